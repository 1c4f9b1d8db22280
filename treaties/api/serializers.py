from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import RecordReadSerializer
from core.models import curated_fields
from sources.api.serializers import CitationSerializer
from treaties.choices import ConsentType, TreatyStatus
from treaties.models import Participation, Party, Provision, Treaty
from treaties.selectors import treaty_status


class PartyBriefSerializer(RecordReadSerializer):
    """A reference to a party."""

    class Meta:
        model = Party
        fields = ["id", "name", "kind", "iso_alpha2"]


class PartySerializer(RecordReadSerializer):
    """A state, former state or international organisation, with its succession links."""

    predecessors = PartyBriefSerializer(
        many=True, read_only=True, help_text="Parties this one succeeded."
    )
    successors = PartyBriefSerializer(many=True, read_only=True)
    citations = CitationSerializer(
        many=True, read_only=True, help_text="Evidence for the party's fields."
    )

    class Meta:
        model = Party
        fields = [
            "id",
            "name",
            "kind",
            "iso_alpha2",
            "iso_alpha3",
            "wikidata_qid",
            "aliases",
            "predecessors",
            "successors",
            "citations",
        ]


class TreatyBriefSerializer(RecordReadSerializer):
    """A reference to another treaty."""

    class Meta:
        model = Treaty
        fields = ["id", "title", "signed_on"]


class ActionSerializer(serializers.Serializer):
    """One dated act of a party: signature, consent to be bound, or withdrawal."""

    type = serializers.ChoiceField(
        choices=["signature", *ConsentType.values, "withdrawal"],
        help_text="signature, a kind of consent to be bound (ratification, accession, acceptance, approval, succession), or withdrawal.",
    )
    date = serializers.CharField(
        allow_null=True, help_text="Partial ISO date of the act; null when unknown."
    )
    signatory_name = serializers.CharField(
        allow_null=True, help_text="Who signed (signature only); null when unknown."
    )
    signatory_office = serializers.CharField(
        allow_null=True, help_text="The signatory's office (signature only); null when unknown."
    )


class ParticipationSerializer(RecordReadSerializer):
    """A party's part in the treaty and the dated acts it performed."""

    party = PartyBriefSerializer(read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="Known acts in date order; empty when none is known."
    )
    citations = CitationSerializer(
        many=True, read_only=True, help_text="Evidence for this participation."
    )

    class Meta:
        model = Participation
        fields = ["party", "actions", "citations"]

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, participation: Participation) -> list[dict]:
        actions = []
        signed = participation.get_partial("signed_on")
        if signed or participation.signatory_name:
            actions.append(
                {
                    "type": "signature",
                    "date": signed.isoformat() if signed else None,
                    "signatory_name": participation.signatory_name or None,
                    "signatory_office": participation.signatory_office or None,
                }
            )
        consented = participation.get_partial("consented_on")
        if participation.consent_type:
            actions.append(
                {
                    "type": participation.consent_type,
                    "date": consented.isoformat() if consented else None,
                    "signatory_name": None,
                    "signatory_office": None,
                }
            )
        withdrew = participation.get_partial("withdrew_on")
        if withdrew:
            actions.append(
                {
                    "type": "withdrawal",
                    "date": withdrew.isoformat(),
                    "signatory_name": None,
                    "signatory_office": None,
                }
            )
        return actions


class ProvisionSerializer(RecordReadSerializer):
    """An article or clause and the obligations it creates."""

    obligations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    citations = CitationSerializer(
        many=True, read_only=True, help_text="Evidence for this provision."
    )

    class Meta:
        model = Provision
        fields = [*curated_fields(Provision), "citations"]


class TreatySerializer(RecordReadSerializer):
    """A treaty with its parties, provisions and the evidence for each fact."""

    status = serializers.SerializerMethodField(
        help_text="Derived from the dates as of today: unknown, signed, in_force or ended."
    )
    replaces = TreatyBriefSerializer(many=True, read_only=True)
    replaced_by = TreatyBriefSerializer(
        many=True, read_only=True, help_text="Later treaties that replace this one."
    )
    amends = TreatyBriefSerializer(many=True, read_only=True)
    amended_by = TreatyBriefSerializer(
        many=True, read_only=True, help_text="Later treaties that amend this one."
    )
    participations = ParticipationSerializer(
        many=True, read_only=True, help_text="The parties and their acts."
    )
    provisions = ProvisionSerializer(
        many=True, read_only=True, help_text="Articles or clauses and their obligations."
    )
    citations = CitationSerializer(
        many=True, read_only=True, help_text="Evidence for the treaty's own fields."
    )

    class Meta:
        model = Treaty
        fields = [
            "id",
            "title",
            "aliases",
            "kind",
            "status",
            "summary",
            "signed_on",
            "signed_at",
            "entered_into_force_on",
            "ended_on",
            "end_cause",
            "replaces",
            "replaced_by",
            "amends",
            "amended_by",
            "participations",
            "provisions",
            "citations",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=TreatyStatus.choices))
    def get_status(self, treaty: Treaty) -> str:
        return treaty_status(treaty)
