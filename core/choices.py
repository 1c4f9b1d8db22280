from django.db import models


class ReviewStatus(models.TextChoices):
    """Where a curated record stands in review. The public API shows published records only."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ChangeAction(models.TextChoices):
    """What a change did to a record (the change feed and each record's history)."""

    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
