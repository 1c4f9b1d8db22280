from django.db import models


class ReviewStatus(models.TextChoices):
    """Where a curated record stands in review. The public API shows published records only."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
