"""Where facts come from: source documents and the quoted evidence that ties them to records."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import PartialDatesModel, ReviewedModel, TimeStampedModel
from core.partial_dates import partial_date_constraint, precision_field
from sources.choices import SourceKind, Stance


class Source(ReviewedModel, PartialDatesModel, TimeStampedModel):
    """A document that facts come from: a seed article, an official list file, a dataset."""

    partial_dates = ("published_on",)

    id = models.SlugField(
        primary_key=True,
        max_length=100,
        help_text="Stable identifier, e.g. 'thejournal-2024-06-19'.",
    )
    kind = models.CharField(
        max_length=20, choices=SourceKind.choices, help_text="What sort of document this is."
    )
    title = models.CharField(max_length=500, help_text="The document's own title.")
    publisher = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who published it, as the document shows, if it names anyone.",
    )
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Publication date (partial), as far as the document shows it.",
    )
    published_on_precision = precision_field("published_on")
    url = models.URLField(
        max_length=1000, blank=True, help_text="Where the document is published, when known."
    )
    file_name = models.CharField(
        max_length=300,
        blank=True,
        help_text="The file the text was read from (e.g. under seeds/), if any.",
    )
    sha256 = models.CharField(
        max_length=64, help_text="SHA-256 of the exact file bytes, in lowercase hex."
    )
    text = models.TextField(
        blank=True,
        help_text="The full text, decoded as UTF-8; citation offsets count characters in it.",
    )
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["id"]
        constraints = [
            partial_date_constraint("source", "published_on"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="source_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def set_text(self, text: str) -> None:
        """Store a text typed or pasted in (not read from a file) with its SHA-256."""
        self.text = text
        self.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()

    def citations_broken_by(self, text: str) -> list[int]:
        """Ids of this source's citations whose quote would no longer be at its offsets in ``text``."""
        if self._state.adding:
            return []
        return [c.pk for c in self.citations.all() if text[c.start : c.end] != c.quote]

    def text_sha256(self) -> str:
        """SHA-256 of the stored text encoded as UTF-8 (equals ``sha256`` for a text file)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class Citation(TimeStampedModel):
    """Evidence: a verbatim quote from a source that supports or disputes one field of a record.

    The offsets are computed from the source text, never typed: ``clean`` finds the quote and
    rejects it when it does not occur verbatim.
    """

    review_parents = ("source",)  # public when its source and its record are

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", help_text="The cited source."
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        help_text="The kind of record the quote is evidence for.",
    )
    object_id = models.CharField(
        max_length=100, help_text="The id of the record the quote is evidence for."
    )
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        max_length=100,
        help_text="The field of the record the quote supports or disputes, e.g. 'signed_on'.",
    )
    quote = models.TextField(help_text="The exact words of the source, character for character.")
    start = models.PositiveIntegerField(
        help_text="Offset of the quote's first character in the source text (0-based)."
    )
    end = models.PositiveIntegerField(
        help_text="Offset just past the quote's last character: text[start:end] == quote."
    )
    stance = models.CharField(
        max_length=10,
        choices=Stance.choices,
        default=Stance.SUPPORTS,
        help_text="Whether the quote supports the recorded value or states a claim the register disputes.",
    )
    note = models.TextField(
        blank=True,
        help_text="Curator's note: why a claim is disputed, or how the quote supports the value.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type_id", "object_id", "field", "start", "id"]
        indexes = [
            # The record's id first: `record_id` alone (no record_type) finds its citations
            # here, where an index led by the content type was walked end to end (7,862 pages
            # at 2.3M citations, 26 ms). Lookups by (content type, record) also have the
            # unique constraint's index, which leads with both.
            models.Index(fields=["object_id", "content_type"], name="citation_record_idx"),
            # `field`: most fields are cited a few times among millions of citations.
            models.Index(fields=["field"], name="citation_field_idx"),
            # `stance=disputes`: a curator's few; importers write only supports, unindexed.
            models.Index(
                fields=["id"], condition=Q(stance=Stance.DISPUTES), name="citation_disputes_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="citation_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="citation_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(stance=Stance.SUPPORTS) | ~Q(note=""), name="citation_dispute_has_note"
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "source", "start", "end", "stance"],
                name="citation_unique_per_field",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} [{self.start}:{self.end}] for {self.field}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.stance == Stance.DISPUTES and not self.note.strip():
            errors["note"] = "A disputed claim needs a note saying why it is disputed."
        if self.content_type_id:
            model = self.content_type.model_class()
            try:
                model._meta.get_field(self.field)
            except (FieldDoesNotExist, AttributeError):
                errors["field"] = (
                    f"{model.__name__ if model else 'The record'} has no field {self.field!r}."
                )
        if self.source_id and self.quote:
            try:
                self.start, self.end = locate_quote(self.source.text, self.quote, hint=self.start)
            except QuoteNotFound as exc:
                errors["quote"] = str(exc)
        if errors:
            raise ValidationError(errors)


class QuoteNotFound(ValueError):
    """The quote does not occur verbatim in the source text."""


def locate_quote(text: str, quote: str, *, hint: int | None = None) -> tuple[int, int]:
    """Offsets of ``quote`` in ``text``: at ``hint`` if it occurs there, else its first occurrence."""
    if not quote:
        raise QuoteNotFound("The quote is empty.")
    if hint is not None and text[hint : hint + len(quote)] == quote:
        return hint, hint + len(quote)
    start = text.find(quote)
    if start < 0:
        raise QuoteNotFound("The quote does not occur verbatim in the source text.")
    return start, start + len(quote)
