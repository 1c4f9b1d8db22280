"""Domain-free model bases."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models

from core.choices import ChangeAction, ReviewStatus
from core.partial_dates import PartialDate, PartialDateError

# Kept by the register itself, never written as part of a record's content.
BOOKKEEPING_FIELDS = frozenset({"created_at", "updated_at", "review_status"})


def curated_fields(model: type[models.Model]) -> list[str]:
    """The fields a curator writes, in declaration order: editable fields and links, without
    an automatic key, bookkeeping, a partial date's ``_precision`` twin (the date carries it) or the record a
    part belongs to (its cascading foreign key: a part is written nested in that record)."""
    twins = {f"{name}_precision" for name in getattr(model, "partial_dates", ())}
    names = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if not field.editable or field.auto_created:
            continue
        if field.name in BOOKKEEPING_FIELDS or field.name in twins:
            continue
        if field.many_to_one and field.remote_field.on_delete is models.CASCADE:
            continue
        names.append(field.name)
    return names


class TimeStampedModel(models.Model):
    """Records when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the record last changed.")

    class Meta:
        abstract = True


class ReviewedModel(models.Model):
    """A curated record that is a draft until a curator publishes it.

    Records made by hand start as drafts; the record loader and the importers publish what
    they bring in, since it is already reviewed evidence.
    """

    review_status = models.CharField(
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
        help_text="draft (visible to curators only) or published (public).",
    )

    class Meta:
        abstract = True


class PartialDatesModel(models.Model):
    """A model with partial dates: each name in ``partial_dates`` has a ``_precision`` twin.

    ``clean`` checks every pair and that ``date_order`` pairs are in order over their
    intervals (an end cannot certainly precede its start).
    """

    partial_dates: tuple[str, ...] = ()
    # (earlier, later) pairs whose order clean() and the database both enforce.
    date_order: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True

    def get_partial(self, field: str) -> PartialDate | None:
        """The partial date stored in ``field`` (None when unknown)."""
        return PartialDate.from_columns(getattr(self, field), getattr(self, f"{field}_precision"))

    def set_partial(self, field: str, value: PartialDate | str | None) -> None:
        """Store a partial date (or its ISO string) in ``field`` and its precision twin."""
        if isinstance(value, str):
            value = PartialDate.parse(value)
        setattr(self, field, value.start if value else None)
        setattr(self, f"{field}_precision", value.precision if value else "")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        for field in self.partial_dates:
            start, precision = getattr(self, field), getattr(self, f"{field}_precision")
            if start is None and precision:
                errors[f"{field}_precision"] = "Precision is set but the date is unknown."
            elif start is not None and not precision:
                errors[f"{field}_precision"] = "A known date needs a precision."
            elif start is not None:
                try:
                    PartialDate(start=start, precision=precision)
                except PartialDateError as exc:
                    errors[field] = str(exc)
        for earlier, later in self.date_order:
            first, second = self.get_partial_safe(earlier), self.get_partial_safe(later)
            if first and second and second.end < first.start:
                errors[later] = f"{later} ({second}) cannot be before {earlier} ({first})."
        if errors:
            raise ValidationError(errors)

    def get_partial_safe(self, field: str) -> PartialDate | None:
        try:
            return self.get_partial(field)
        except PartialDateError:
            return None


class Change(models.Model):
    """One change to a curated record: the feed that clients sync from (`changes/`).

    Written for every historical record django-simple-history makes; the full before/after
    state stays in that model's history table.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, help_text="The kind of record."
    )
    object_id = models.CharField(max_length=100, help_text="The record's id.")
    record = GenericForeignKey("content_type", "object_id")  # public when the record is
    history_id = models.BigIntegerField(
        help_text="The id of the historical version this change made."
    )
    action = models.CharField(
        max_length=10,
        choices=ChangeAction.choices,
        help_text="created, changed or deleted.",
    )
    changed_at = models.DateTimeField(db_index=True, help_text="When the change was made.")
    user = models.CharField(
        max_length=150, blank=True, help_text="Who made it (blank for commands)."
    )
    reason = models.TextField(blank=True, help_text="Why it was made.")
    changed_fields = models.JSONField(
        default=list, blank=True, help_text="Fields a change altered."
    )

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "changed_at"], name="change_model_time_idx"),
            # `record_id`: a record's few changes among millions.
            models.Index(fields=["object_id"], name="change_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type.model} {self.object_id} at {self.changed_at:%Y-%m-%d %H:%M}"


class RegisterState(models.Model):
    """One row: the register's version, a token every committed write replaces in its own
    transaction (core.register_state). Caches of public reads are keyed by it. With it, the
    rows that filters resolve names from, rewritten by each write that changes them."""

    version = models.CharField(max_length=32, help_text="Replaced by every write.")
    changed_at = models.DateTimeField(help_text="When the last write committed its change.")
    names_version = models.CharField(
        max_length=32,
        blank=True,
        default="",
        help_text="The version of the last write that changed the names (empty: never written).",
    )
    names = models.TextField(
        blank=True,
        default="",
        help_text=(
            "The rows the register's names are built from (the published parties' and "
            "regimes' ids, codes, keys and successions), as JSON, written by the write that "
            "changed them (core.register_state.Names)."
        ),
    )

    def __str__(self) -> str:
        return self.version


class Representation(models.Model):
    """The public JSON of one record exactly as the API serves it, and its ETag: lists and
    details are served from here without rendering (see core.representations)."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The kind of record.",
    )
    object_id = models.CharField(max_length=100, help_text="The record's id.")
    body = models.TextField(help_text="The record's public representation, as JSON.")
    etag = models.CharField(max_length=40, help_text="The strong ETag of the representation.")
    version = models.CharField(
        max_length=16, help_text="Fingerprint of the serializer that rendered it."
    )
    stale_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day a value derived from today's date (a status) may change; null: never.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="representation_unique_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"
