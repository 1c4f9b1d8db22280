from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import RecordReadSerializer
from sanctions.choices import DesignationStatus, RegimeStatus
from sanctions.models import (
    Designation,
    DesignationAddress,
    DesignationAlias,
    DesignationIdentifier,
    SanctionsRegime,
)
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
        fields = ["type", "value", "normalised", "country", "issued_on", "expires_on", "note"]


class AddressSerializer(RecordReadSerializer):
    """An address or place of birth as the list gives it, its country as a party."""

    country = PartyBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DesignationAddress
        fields = [
            "text",
            "street",
            "city",
            "state_province",
            "postal_code",
            "country_name",
            "country",
            "note",
        ]


class AliasDetailSerializer(RecordReadSerializer):
    """An alias with the list's grading or type of it and the script it is written in."""

    class Meta:
        model = DesignationAlias
        fields = ["name", "quality", "script"]


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
    alias_details = AliasDetailSerializer(
        source="aliases",
        many=True,
        read_only=True,
        help_text="The aliases with the list's grading or type (e.g. 'a.k.a.', 'f.k.a.', "
        "'original script') and their script (ISO 15924).",
    )
    addresses = AddressSerializer(
        source="street_addresses",
        many=True,
        read_only=True,
        help_text="Addresses the list gives (where it is or was found).",
    )
    places_of_birth = AddressSerializer(
        many=True, read_only=True, help_text="Places of birth the list gives (individuals)."
    )
    vessel_flag = PartyBriefSerializer(read_only=True, allow_null=True)

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
            "alias_details",
            "addresses",
            "places_of_birth",
            "call_sign",
            "vessel_type",
            "vessel_flag",
            "tonnage",
            "gross_registered_tonnage",
            "vessel_owner",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=DesignationStatus.choices))
    def get_status(self, designation: Designation) -> str:
        return designation_status(designation)
