from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import PARTIAL_DATE_SCHEMA, PartialDateField, TextOrNullField
from sanctions.choices import DesignationStatus, RegimeStatus
from sanctions.models import Designation, SanctionsRegime
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
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=DesignationStatus.choices))
    def get_status(self, designation: Designation) -> str:
        return designation_status(designation)


class SuccessionStepSerializer(serializers.Serializer):
    predecessor = serializers.CharField(
        help_text="Id of the predecessor party that is the actual party."
    )
    successor = serializers.CharField(help_text="Id of the party it leads to.")


class TimelineEntrySerializer(serializers.Serializer):
    """One treaty or regime that ties the two parties."""

    type = serializers.ChoiceField(choices=["treaty", "regime"], help_text="What the entry is.")
    id = serializers.CharField(help_text="Its id under treaties/ or regimes/.")
    title = serializers.CharField(help_text="Treaty title or regime name.")
    start = serializers.SerializerMethodField(
        help_text="Signed on (treaty) or started on (regime)."
    )
    end = serializers.SerializerMethodField(help_text="Ended on; null when unknown or not ended.")
    status = serializers.CharField(help_text="Derived status as of today.")
    in_force_on = serializers.BooleanField(
        allow_null=True,
        help_text="With `on`: in force (treaty) or active (regime) that day; else null.",
    )
    parties = PartyBriefSerializer(
        many=True, help_text="Its parties (treaty) or issuer and targets (regime)."
    )
    via_succession = SuccessionStepSerializer(
        many=True,
        help_text="Succession links followed to reach it; empty when it ties the parties directly.",
    )

    @extend_schema_field(PARTIAL_DATE_SCHEMA)
    def get_start(self, entry) -> str | None:
        return entry.start.isoformat() if entry.start else None

    @extend_schema_field(PARTIAL_DATE_SCHEMA)
    def get_end(self, entry) -> str | None:
        return entry.end.isoformat() if entry.end else None


class RelationsSerializer(serializers.Serializer):
    """The dated timeline of treaties and regimes that tie two parties."""

    party = PartyBriefSerializer(help_text="The first party.")
    other = PartyBriefSerializer(help_text="The second party.")
    on = serializers.DateField(
        allow_null=True, help_text="The date asked about, or null for all time."
    )
    timeline = TimelineEntrySerializer(
        many=True, help_text="Entries in date order (unknown dates last)."
    )
