from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import RecordReadSerializer
from sanctions.choices import DesignationStatus, RegimeStatus
from sanctions.models import Designation, DesignationIdentifier, SanctionsRegime
from sanctions.selectors import designation_status, regime_status
from sources.api.serializers import CitationSerializer, SourceBriefSerializer
from treaties.api.serializers import PartyBriefSerializer


class RegimeBriefSerializer(RecordReadSerializer):
    """A reference to a sanctions regime."""

    class Meta:
        model = SanctionsRegime
        fields = ["id", "key", "name"]


class RegimeSerializer(RecordReadSerializer):
    """A sanctions regime: issuer, targets, basis, dates, measures and evidence."""

    issuer = PartyBriefSerializer(read_only=True, allow_null=True)
    targets = PartyBriefSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField(
        help_text="active, or ended once its end date has passed."
    )
    measures = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
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

    @extend_schema_field(serializers.ChoiceField(choices=RegimeStatus.choices))
    def get_status(self, regime: SanctionsRegime) -> str:
        return regime_status(regime)


class IdentifierSerializer(RecordReadSerializer):
    """A document or registry number a list gives (passport, national id, IMO, ...)."""

    class Meta:
        model = DesignationIdentifier
        fields = ["type", "value", "normalised", "country"]


class DesignationSerializer(RecordReadSerializer):
    """A listed person, entity, vessel or aircraft."""

    aliases = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Other names it is listed under."
    )
    regimes = RegimeBriefSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField(
        help_text="listed, or delisted once a delisting date is recorded."
    )
    nationality = PartyBriefSerializer(read_only=True, allow_null=True)
    source = SourceBriefSerializer(read_only=True, allow_null=True)
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

    @extend_schema_field(serializers.ChoiceField(choices=DesignationStatus.choices))
    def get_status(self, designation: Designation) -> str:
        return designation_status(designation)
