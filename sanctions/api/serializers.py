from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import PartialDateField, TextOrNullField
from sanctions.choices import DesignationStatus, RegimeStatus
from sanctions.models import Designation, DesignationIdentifier, SanctionsRegime
from sanctions.selectors import designation_status, regime_status
from sources.api.serializers import CitationSerializer, SourceBriefSerializer
from treaties.api.serializers import PartyBriefSerializer


class RegimeBriefSerializer(serializers.ModelSerializer):
    """A reference to a sanctions regime."""

    class Meta:
        model = SanctionsRegime
        fields = ["id", "key", "name"]
        read_only_fields = fields


class RegimeSerializer(serializers.ModelSerializer):
    """A sanctions regime: issuer, targets, basis, dates, measures and evidence."""

    issuer = PartyBriefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Who imposes it; null when the sources do not establish it.",
    )
    targets = PartyBriefSerializer(
        many=True, read_only=True, help_text="Parties the regime targets."
    )
    legal_basis = TextOrNullField(help_text="The instrument it rests on; null when unknown.")
    reason = TextOrNullField(
        help_text="Why it was imposed, as the sources state; null when unknown."
    )
    started_on = PartialDateField(help_text="When it began; null when unknown.")
    ended_on = PartialDateField(help_text="When it ended; null while active.")
    status = serializers.SerializerMethodField(
        help_text="active, or ended once its end date has passed."
    )
    measures = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Measure codes from the fixed vocabulary.",
    )
    citations = CitationSerializer(
        many=True, read_only=True, help_text="Evidence for the regime's fields."
    )

    class Meta:
        model = SanctionsRegime
        fields = [
            "id",
            "key",
            "name",
            "issuer",
            "targets",
            "legal_basis",
            "reason",
            "started_on",
            "ended_on",
            "status",
            "measures",
            "citations",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=RegimeStatus.choices))
    def get_status(self, regime: SanctionsRegime) -> str:
        return regime_status(regime)


class IdentifierSerializer(serializers.ModelSerializer):
    """A document or registry number a list gives (passport, national id, IMO, ...)."""

    country = TextOrNullField(help_text="ISO 3166 alpha-2 code of the issuing country, or null.")

    class Meta:
        model = DesignationIdentifier
        fields = ["type", "value", "normalised", "country"]
        read_only_fields = fields


class DesignationSerializer(serializers.ModelSerializer):
    """A listed person, entity, vessel or aircraft."""

    aliases = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Other names it is listed under."
    )
    reference_number = TextOrNullField(
        help_text="Reference number as the list gives it, e.g. 'KPi.001'."
    )
    list_record_id = TextOrNullField(help_text="The list's own id for the record.")
    regimes = RegimeBriefSerializer(
        many=True, read_only=True, help_text="Regimes it is listed under."
    )
    listed_on = PartialDateField(help_text="When it was listed.")
    delisted_on = PartialDateField(help_text="When it was delisted; null while listed.")
    delisting_reason = TextOrNullField(help_text="Why it was delisted; null while listed.")
    status = serializers.SerializerMethodField(
        help_text="listed, or delisted once a delisting date is recorded."
    )
    nationality = PartyBriefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Nationality or country; null when the list gives none.",
    )
    dates_of_birth = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Dates of birth as partial ISO dates.",
    )
    remarks = TextOrNullField(help_text="Remarks as the list gives them.")
    source = SourceBriefSerializer(
        read_only=True, allow_null=True, help_text="The list file it came from."
    )
    citations = CitationSerializer(
        many=True, read_only=True, help_text="Evidence for the designation's fields."
    )
    identifiers = IdentifierSerializer(
        many=True, read_only=True, help_text="Documents and registry numbers the list gives."
    )

    class Meta:
        model = Designation
        fields = [
            "id",
            "kind",
            "name",
            "aliases",
            "reference_number",
            "list_record_id",
            "regimes",
            "listed_on",
            "delisted_on",
            "delisting_reason",
            "status",
            "nationality",
            "dates_of_birth",
            "remarks",
            "source",
            "citations",
            "identifiers",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=DesignationStatus.choices))
    def get_status(self, designation: Designation) -> str:
        return designation_status(designation)
