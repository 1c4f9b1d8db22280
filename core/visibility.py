"""Which records the public may see: published ones, and the parts and evidence of those.

A model with ``review_status`` is public when published; a model that is part of another
(``review_parent = "treaty"``) is public when its parent is; evidence and change-log rows
that point at records through (content type, object id) follow the record they point at.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from core.choices import ReviewStatus


def _reviewed_models():
    for model in apps.get_models():
        if model._meta.model_name.startswith("historical"):
            continue  # django-simple-history's copies carry review_status too
        if hasattr(model, "review_status"):
            yield model, "review_status"
        elif getattr(model, "review_parent", None):
            yield model, f"{model.review_parent}__review_status"


def draft_records_q(
    content_type_field: str = "content_type", object_id_field: str = "object_id"
) -> Q:
    """Rows whose (content type, object id) points at a draft record or a part of one."""
    condition = Q(pk__in=[])
    for model, status_path in _reviewed_models():
        drafts = model._default_manager.filter(**{status_path: ReviewStatus.DRAFT})
        ids = drafts.annotate(_id=Cast("pk", CharField())).values("_id")
        # Match the content type by name, not by a looked-up row: building this touches no table.
        condition |= Q(
            **{
                f"{content_type_field}__app_label": model._meta.app_label,
                f"{content_type_field}__model": model._meta.model_name,
                f"{object_id_field}__in": ids,
            }
        )
    return condition
