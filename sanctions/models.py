"""Sanctions regimes (programmes), their measures, and the people and things they list."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.choices import ReviewStatus
from core.models import PartialDatesModel, ReviewedModel, TimeStampedModel
from core.partial_dates import (
    PartialDate,
    PartialDateError,
    not_before,
    partial_date_constraint,
    precision_field,
)
from sanctions.choices import AddressKind, DesignationKind, IdentifierType, Measure
from sources.models import Citation, Source
from treaties.models import Party

_key = RegexValidator(
    r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$", "Use upper-case words joined by hyphens, e.g. 'UN-DPRK'."
)


class MeasureType(models.Model):
    """The fixed vocabulary of measures (rows made by a migration from choices)."""

    code = models.CharField(
        primary_key=True, max_length=40, choices=Measure.choices, help_text="Measure code."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class SanctionsRegime(ReviewedModel, PartialDatesModel, TimeStampedModel):
    """A sanctions programme: who imposes it on whom, on what basis, since when, with which measures."""

    partial_dates = ("started_on", "ended_on")
    date_order = (("started_on", "ended_on"),)

    id = models.SlugField(
        primary_key=True, max_length=100, help_text="Stable identifier, e.g. 'un-dprk'."
    )
    key = models.CharField(
        max_length=100,
        unique=True,
        validators=[_key],
        help_text="Issuer-target-basis key, e.g. 'UN-DPRK' or 'US-OFAC-DPRK2'.",
    )
    name = models.CharField(max_length=300, help_text="Name of the regime.")
    issuer = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regimes_issued",
        help_text="Who imposes it; null when the sources do not establish it.",
    )
    targets = models.ManyToManyField(
        Party, blank=True, related_name="regimes_targeting", help_text="Parties the regime targets."
    )
    legal_basis = models.CharField(
        max_length=500,
        blank=True,
        help_text="Instrument it rests on, e.g. a resolution or executive order, when known.",
    )
    reason = models.TextField(blank=True, help_text="Why it was imposed, as the sources state.")
    started_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When it began (partial); null when unknown.",
    )
    started_on_precision = precision_field("started_on")
    ended_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When it ended (partial); null while active.",
    )
    ended_on_precision = precision_field("ended_on")
    measures = models.ManyToManyField(
        MeasureType,
        blank=True,
        related_name="regimes",
        help_text="Measures from the fixed vocabulary.",
    )
    citations = GenericRelation(Citation, related_query_name="regime")
    history = HistoricalRecords(m2m_fields=[targets, measures])

    class Meta:
        ordering = ["key"]
        constraints = [
            partial_date_constraint("regime", "started_on"),
            partial_date_constraint("regime", "ended_on"),
            not_before("regime", "started_on", "ended_on"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"


class Designation(ReviewedModel, PartialDatesModel, TimeStampedModel):
    """A person, entity, vessel or aircraft listed under one or more regimes.

    A delisting sets ``delisted_on``; the record is never deleted because a list dropped it.
    """

    partial_dates = ("listed_on", "delisted_on")
    date_order = (("listed_on", "delisted_on"),)

    id = models.SlugField(
        primary_key=True, max_length=100, help_text="Stable identifier, e.g. 'un-kpi-001'."
    )
    kind = models.CharField(
        max_length=20, choices=DesignationKind.choices, db_index=True, help_text="What is listed."
    )
    name = models.CharField(
        max_length=500, db_index=True, help_text="Primary name as the list gives it."
    )
    reference_number = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        help_text="Reference number as the list gives it, e.g. 'KPi.001'.",
    )
    list_record_id = models.CharField(
        max_length=100, blank=True, help_text="The list's own id for the record."
    )
    regimes = models.ManyToManyField(
        SanctionsRegime, related_name="designations", help_text="Regimes it is listed under."
    )
    listed_on = models.DateField(
        null=True, blank=True, db_index=True, help_text="When it was listed (partial)."
    )
    listed_on_precision = precision_field("listed_on")
    delisted_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When it was delisted (partial); null while listed.",
    )
    delisted_on_precision = precision_field("delisted_on")
    delisting_reason = models.CharField(
        max_length=500, blank=True, help_text="Why it was delisted, e.g. absent from a newer list."
    )
    nationality = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nationals_designated",
        help_text="Nationality (individuals) or country (entities), when the list gives one.",
    )
    dates_of_birth = models.JSONField(
        default=list,
        blank=True,
        help_text="Dates of birth as partial ISO dates, e.g. ['1958', '1960-04-15'].",
    )
    remarks = models.TextField(blank=True, help_text="Remarks as the list gives them.")
    call_sign = models.CharField(
        max_length=50, blank=True, help_text="A vessel's radio call sign, when the list gives one."
    )
    vessel_type = models.CharField(
        max_length=100,
        blank=True,
        help_text="A vessel's type as the list gives it, e.g. 'Crude Oil Tanker'.",
    )
    vessel_flag = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vessels_flagged",
        help_text="The state whose flag a vessel flies, when the list gives one it recognises.",
    )
    tonnage = models.PositiveIntegerField(
        null=True, blank=True, help_text="A vessel's tonnage, when the list gives it."
    )
    gross_registered_tonnage = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="A vessel's gross registered tonnage (GRT), when the list gives it.",
    )
    vessel_owner = models.CharField(
        max_length=300,
        blank=True,
        help_text="A vessel's owner as the list names it, when it does.",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="designations",
        help_text="The list file the record came from.",
    )
    import_snapshot = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The values the last list import set; a later import changes only fields still equal to them.",
    )
    citations = GenericRelation(Citation, related_query_name="designation")
    history = HistoricalRecords(m2m_fields=[regimes], excluded_fields=["import_snapshot"])

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # The list's default order within one nationality: its filter reads no other rows.
            models.Index(fields=["nationality", "name", "id"], name="designation_nationality_name"),
            # The public list's default order (name, id) over published rows only: a keyset
            # walk (cursor pages, exports) reads it without the table (PostgreSQL: index-only).
            models.Index(
                fields=["name", "id"],
                condition=models.Q(review_status=ReviewStatus.PUBLISHED),
                name="designation_published_name",
            ),
        ]
        constraints = [
            partial_date_constraint("designation", "listed_on"),
            partial_date_constraint("designation", "delisted_on"),
            not_before("designation", "listed_on", "delisted_on"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def street_addresses(self) -> list[DesignationAddress]:
        """Its addresses that are not places of birth (from the prefetched addresses)."""
        return [a for a in self.addresses.all() if a.kind == AddressKind.ADDRESS]

    @property
    def places_of_birth(self) -> list[DesignationAddress]:
        """Its places of birth (from the prefetched addresses)."""
        return [a for a in self.addresses.all() if a.kind == AddressKind.PLACE_OF_BIRTH]

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.dates_of_birth, list):
            raise ValidationError({"dates_of_birth": "Give a list of partial ISO dates."})
        for value in self.dates_of_birth:
            try:
                PartialDate.parse(value)
            except PartialDateError as exc:
                raise ValidationError({"dates_of_birth": str(exc)}) from None


class DesignationAlias(models.Model):
    """Another name a designation is listed under."""

    review_parents = ("designation",)  # public when its designation is published

    designation = models.ForeignKey(
        Designation, on_delete=models.CASCADE, related_name="aliases", help_text="The designation."
    )
    name = models.CharField(
        max_length=500, db_index=True, help_text="The alias as the list gives it."
    )
    history = HistoricalRecords()
    quality = models.CharField(
        max_length=20,
        blank=True,
        help_text="The list's own grading or type of the alias (e.g. 'Good', 'Low', 'a.k.a.', "
        "'f.k.a.', 'n.k.a.', 'original script').",
    )
    script = models.CharField(
        max_length=4,
        blank=True,
        help_text="ISO 15924 code of the script the alias is written in (e.g. 'Latn', 'Arab', "
        "'Cyrl', 'Hang'), derived from its letters; blank when it has none.",
    )

    class Meta:
        ordering = ["designation_id", "name", "id"]
        verbose_name_plural = "designation aliases"
        constraints = [
            models.UniqueConstraint(fields=["designation", "name"], name="designation_alias_unique")
        ]

    def __str__(self) -> str:
        return self.name


class DesignationIdentifier(PartialDatesModel):
    """A document or registry number the list gives for a designation (passport, IMO, ...)."""

    review_parents = ("designation",)  # public when its designation is published
    partial_dates = ("issued_on", "expires_on")

    designation = models.ForeignKey(
        Designation,
        on_delete=models.CASCADE,
        related_name="identifiers",
        help_text="The designation.",
    )
    type = models.CharField(
        max_length=20, choices=IdentifierType.choices, help_text="What kind of identifier."
    )
    value = models.CharField(max_length=200, help_text="The identifier as the list gives it.")
    normalised = models.CharField(
        max_length=200,
        db_index=True,
        help_text="Upper-case letters and digits only, as compared (e.g. 'OA454044').",
    )
    country = models.CharField(
        max_length=2,
        blank=True,
        help_text="ISO 3166 alpha-2 code of the issuing country, when the list gives one.",
    )
    issued_on = models.DateField(
        null=True, blank=True, help_text="When it was issued (partial), when the list says."
    )
    issued_on_precision = precision_field("issued_on")
    expires_on = models.DateField(
        null=True,
        blank=True,
        help_text="When it expires or expired (partial), when the list says.",
    )
    expires_on_precision = precision_field("expires_on")
    note = models.CharField(
        max_length=1000,
        blank=True,
        help_text="What else the list says of it, as given (e.g. 'alt.', 'issued under name X', "
        "a country it does not name as an ISO code).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["designation_id", "type", "normalised", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["designation", "type", "normalised"], name="designation_identifier_unique"
            ),
            partial_date_constraint("identifier", "issued_on"),
            partial_date_constraint("identifier", "expires_on"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.value}"


class DesignationAddress(models.Model):
    """An address of a designation, or a person's place of birth, as the list gives it."""

    review_parents = ("designation",)  # public when its designation is published

    designation = models.ForeignKey(
        Designation,
        on_delete=models.CASCADE,
        related_name="addresses",
        help_text="The designation.",
    )
    kind = models.CharField(
        max_length=20,
        choices=AddressKind.choices,
        help_text="An address, or a place of birth.",
    )
    text = models.CharField(
        max_length=1000, help_text="The whole address as the list gives it, its parts joined."
    )
    street = models.CharField(max_length=500, blank=True, help_text="Street, when given.")
    city = models.CharField(
        max_length=300,
        blank=True,
        help_text="City, when given (OFAC's add.csv joins city, state or province and postal "
        "code in one column; it is kept here as given).",
    )
    state_province = models.CharField(
        max_length=300, blank=True, help_text="State or province, when given."
    )
    postal_code = models.CharField(max_length=50, blank=True, help_text="Postal code, when given.")
    country_name = models.CharField(
        max_length=200, blank=True, help_text="The country as the list writes it."
    )
    country = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="designation_addresses",
        help_text="The country as a party, when the list's wording is recognised.",
    )
    note = models.CharField(
        max_length=1000, blank=True, help_text="The list's note on the address, as given."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["designation_id", "kind", "text", "id"]
        verbose_name_plural = "designation addresses"

    def __str__(self) -> str:
        return self.text


class DesignationNameKey(models.Model):
    """A normalised key of a designation's names (core.names.name_keys): the match index.

    Derived data, written only by the designation services with the names it comes from.
    """

    designation = models.ForeignKey(
        Designation,
        on_delete=models.CASCADE,
        related_name="name_keys",
        help_text="The designation.",
    )
    key = models.CharField(
        max_length=64, help_text="'t:' a name token or joined pair, 'p:' a phonetic key."
    )

    class Meta:
        ordering = ["designation_id", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "designation"], name="designation_name_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.key
