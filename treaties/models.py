"""Parties, treaties, the parties' participation in them, and their provisions."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.countries import country_by_code
from core.models import PartialDatesModel, ReviewedModel, TimeStampedModel
from core.partial_dates import not_before, partial_date_constraint, precision_field
from sources.models import Citation
from treaties.choices import (
    ConsentType,
    EndCause,
    MilitaryAid,
    Obligation,
    PartyKind,
    TreatyKind,
)

_alpha2 = RegexValidator(r"^[A-Z]{2}$", "Use an upper-case ISO 3166 alpha-2 code, e.g. 'KP'.")
_alpha3 = RegexValidator(r"^[A-Z]{3}$", "Use an upper-case ISO 3166 alpha-3 code, e.g. 'PRK'.")
_qid = RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata QID looks like 'Q423'.")


def _aliases_field() -> models.JSONField:
    return models.JSONField(
        default=list, blank=True, help_text="Other names it is known by, as a list of strings."
    )


def _validate_aliases(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        return "Aliases must be a list of non-empty strings."
    return None


class Party(ReviewedModel, TimeStampedModel):
    """A state, former state, or international organisation or body."""

    id = models.SlugField(
        primary_key=True, max_length=100, help_text="Stable identifier, e.g. 'north-korea'."
    )
    name = models.CharField(max_length=300, help_text="Common English name.")
    kind = models.CharField(
        max_length=20, choices=PartyKind.choices, help_text="State, former state or organisation."
    )
    aliases = _aliases_field()
    iso_alpha2 = models.CharField(
        max_length=2,
        null=True,
        blank=True,
        unique=True,
        validators=[_alpha2],
        help_text="ISO 3166-1 (or 3166-3 for former states) alpha-2 code; null for organisations.",
    )
    iso_alpha3 = models.CharField(
        max_length=3,
        null=True,
        blank=True,
        unique=True,
        validators=[_alpha3],
        help_text="ISO 3166-1 (or 3166-3 for former states) alpha-3 code; null for organisations.",
    )
    wikidata_qid = models.CharField(
        max_length=20, blank=True, validators=[_qid], help_text="Wikidata item id, when known."
    )
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        help_text="Parties that succeeded this one (the Soviet Union -> the Russian Federation).",
    )
    citations = GenericRelation(Citation, related_query_name="party")
    history = HistoricalRecords(m2m_fields=[successors])

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if problem := _validate_aliases(self.aliases):
            errors["aliases"] = problem
        country = None
        for field in ("iso_alpha2", "iso_alpha3"):
            code = getattr(self, field)
            if not code:
                continue
            found = country_by_code(code)
            if found is None or code not in (found.alpha2, found.alpha3):
                errors[field] = f"{code!r} is not an ISO 3166 code (current or former)."
            elif country and found != country:
                errors[field] = f"{code!r} is {found.name}, but iso_alpha2 is {country.name}."
            else:
                country = found
        if country and self.kind == PartyKind.ORGANISATION:
            errors["kind"] = "An organisation has no ISO 3166 country code."
        elif country and country.former and self.kind != PartyKind.FORMER_STATE:
            errors["kind"] = (
                f"{country.name} is a former state in ISO 3166-3; use kind 'former_state'."
            )
        if errors:
            raise ValidationError(errors)


class ObligationType(models.Model):
    """The fixed vocabulary of provision obligations (rows made by a migration from choices)."""

    code = models.CharField(
        primary_key=True, max_length=40, choices=Obligation.choices, help_text="Obligation code."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class Treaty(ReviewedModel, PartialDatesModel, TimeStampedModel):
    """A treaty: who signed it, when and where, when it bound them and when it ended."""

    partial_dates = ("signed_on", "entered_into_force_on", "ended_on")
    date_order = (
        ("signed_on", "entered_into_force_on"),
        ("entered_into_force_on", "ended_on"),
        ("signed_on", "ended_on"),
    )

    id = models.SlugField(
        primary_key=True, max_length=100, help_text="Stable identifier, e.g. 'ussr-dprk-1961'."
    )
    title = models.CharField(
        max_length=500, help_text="Title, or the description the sources give."
    )
    aliases = _aliases_field()
    kind = models.CharField(
        max_length=20, choices=TreatyKind.choices, help_text="Bilateral or multilateral."
    )
    summary = models.TextField(blank=True, help_text="What the treaty does, in a sentence or two.")
    signed_on = models.DateField(
        null=True, blank=True, db_index=True, help_text="Date of signature (partial)."
    )
    signed_on_precision = precision_field("signed_on")
    signed_at = models.CharField(
        max_length=200, blank=True, help_text="Place of signature, when known."
    )
    entered_into_force_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Date of entry into force (partial); null when unknown.",
    )
    entered_into_force_on_precision = precision_field("entered_into_force_on")
    ended_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Date it ceased to be in force (partial); null when unknown or still in force.",
    )
    ended_on_precision = precision_field("ended_on")
    end_cause = models.CharField(
        max_length=20,
        choices=EndCause.choices,
        blank=True,
        help_text="Why it ended, when it has and the sources say.",
    )
    replaces = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="replaced_by",
        blank=True,
        help_text="Earlier treaties this one replaces.",
    )
    amends = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="amended_by",
        blank=True,
        help_text="Earlier treaties this one amends.",
    )
    citations = GenericRelation(Citation, related_query_name="treaty")
    history = HistoricalRecords(m2m_fields=[replaces, amends])

    class Meta:
        ordering = ["signed_on", "id"]
        verbose_name_plural = "treaties"
        # The list's order, ties included: with `signed_on` alone, the many treaties signed
        # the same day were sorted by id on every page (an incremental sort of 50,000 rows
        # at 100,000 treaties).
        indexes = [models.Index(fields=["signed_on", "id"], name="treaty_signed_id_idx")]
        constraints = [
            partial_date_constraint("treaty", "signed_on"),
            partial_date_constraint("treaty", "entered_into_force_on"),
            partial_date_constraint("treaty", "ended_on"),
            not_before("treaty", "signed_on", "entered_into_force_on"),
            not_before("treaty", "entered_into_force_on", "ended_on"),
            not_before("treaty", "signed_on", "ended_on"),
            models.CheckConstraint(
                condition=Q(end_cause="") | Q(ended_on__isnull=False),
                name="treaty_end_cause_needs_end",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if problem := _validate_aliases(self.aliases):
            raise ValidationError({"aliases": problem})
        if self.end_cause and self.ended_on is None:
            raise ValidationError({"end_cause": "An end cause needs an end date (ended_on)."})


class Participation(PartialDatesModel, TimeStampedModel):
    """A party's part in a treaty, with its own dated actions."""

    review_parents = ("treaty", "party")  # public when its treaty and its party are

    partial_dates = ("signed_on", "consented_on", "withdrew_on")
    date_order = (
        ("signed_on", "consented_on"),
        ("consented_on", "withdrew_on"),
        ("signed_on", "withdrew_on"),
    )

    treaty = models.ForeignKey(
        Treaty, on_delete=models.CASCADE, related_name="participations", help_text="The treaty."
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="participations", help_text="The party."
    )
    signed_on = models.DateField(
        null=True, blank=True, help_text="When this party signed (partial)."
    )
    signed_on_precision = precision_field("signed_on")
    signatory_name = models.CharField(
        max_length=200, blank=True, help_text="Who signed for the party."
    )
    signatory_office = models.CharField(
        max_length=200, blank=True, help_text="The signatory's office at the time."
    )
    consent_type = models.CharField(
        max_length=20,
        choices=ConsentType.choices,
        blank=True,
        help_text="How the party consented to be bound, when known.",
    )
    consented_on = models.DateField(
        null=True, blank=True, help_text="When the party's consent took effect (partial)."
    )
    consented_on_precision = precision_field("consented_on")
    withdrew_on = models.DateField(
        null=True, blank=True, help_text="When the party's withdrawal took effect (partial)."
    )
    withdrew_on_precision = precision_field("withdrew_on")
    citations = GenericRelation(Citation, related_query_name="participation")
    history = HistoricalRecords()

    class Meta:
        ordering = ["treaty_id", "party__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "party"], name="participation_unique_party"),
            partial_date_constraint("participation", "signed_on"),
            partial_date_constraint("participation", "consented_on"),
            partial_date_constraint("participation", "withdrew_on"),
            not_before("participation", "signed_on", "consented_on"),
            not_before("participation", "consented_on", "withdrew_on"),
            models.CheckConstraint(
                condition=Q(consent_type="") | Q(consent_type__in=ConsentType.values),
                name="participation_consent_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_id} in {self.treaty_id}"


class Provision(TimeStampedModel):
    """An article or clause of a treaty and the obligations it creates."""

    review_parents = ("treaty",)  # public when its treaty is published

    treaty = models.ForeignKey(
        Treaty, on_delete=models.CASCADE, related_name="provisions", help_text="The treaty."
    )
    label = models.CharField(
        max_length=100,
        help_text="The article or clause, e.g. 'Article 4' or 'Mutual assistance clause'.",
    )
    summary = models.TextField(help_text="What the provision says, in a sentence.")
    obligations = models.ManyToManyField(
        ObligationType,
        blank=True,
        related_name="provisions",
        help_text="Obligation types the provision creates (ATOP vocabulary plus cooperation kinds).",
    )
    automatic = models.BooleanField(
        null=True,
        blank=True,
        help_text="True where the text says the obligation applies automatically; null when the sources do not say.",
    )
    # The further obligation detail ATOP codes for an alliance; null (blank) when not stated.
    conditional = models.BooleanField(
        null=True,
        blank=True,
        help_text="True where the obligations apply only in stated conditions (ATOP conditio); null when the sources do not say.",
    )
    military_aid = models.CharField(
        max_length=40,
        blank=True,
        choices=MilitaryAid.choices,
        help_text="What military aid the provision provides for (ATOP milaid); blank when the sources do not say.",
    )
    integrated_command = models.BooleanField(
        null=True,
        blank=True,
        help_text="True where it sets up an integrated military command (ATOP intcom); null when the sources do not say.",
    )
    bases = models.BooleanField(
        null=True,
        blank=True,
        help_text="True where it provides for bases or troops of one member on another's territory (ATOP base above 0); null when the sources do not say.",
    )
    secret_articles = models.BooleanField(
        null=True,
        blank=True,
        help_text="True where the treaty has secret articles or is secret (ATOP secrart above 0); null when the sources do not say.",
    )
    renunciation_terms = models.BooleanField(
        null=True,
        blank=True,
        help_text="True where the treaty states terms on which a member may renounce it (ATOP renounce above 0); null when the sources do not say.",
    )
    citations = GenericRelation(Citation, related_query_name="provision")
    history = HistoricalRecords(m2m_fields=[obligations])

    class Meta:
        ordering = ["treaty_id", "label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "label"], name="provision_unique_label"),
            models.CheckConstraint(
                condition=Q(military_aid="") | Q(military_aid__in=MilitaryAid.values),
                name="provision_military_aid_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.treaty_id}: {self.label}"
