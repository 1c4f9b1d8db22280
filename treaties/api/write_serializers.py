"""Input for creating and changing parties and treaties (responses use serializers.py)."""

from rest_framework import serializers

from core.api.serializers import PartialDateField, RecordWriteSerializer, TextOrNullField
from core.choices import ReviewStatus
from treaties.models import ObligationType, Participation, Party, Provision, Treaty
from treaties.services import party_write, treaty_write


class PartyWriteSerializer(RecordWriteSerializer):
    """A party as a curator writes it."""

    iso_alpha2 = serializers.CharField(
        max_length=2,
        allow_null=True,
        required=False,
        help_text="ISO 3166 alpha-2 (or 3166-3 for former states).",
    )
    iso_alpha3 = serializers.CharField(
        max_length=3,
        allow_null=True,
        required=False,
        help_text="ISO 3166 alpha-3 (or 3166-3 for former states).",
    )
    wikidata_qid = TextOrNullField(
        read_only=False, required=False, help_text="Wikidata item id, e.g. 'Q423'."
    )
    aliases = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Other names."
    )
    successors = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Party.objects.all(),
        help_text="Ids of parties that succeeded this one.",
    )
    review_status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        required=False,
        help_text="draft (default for new records) or published.",
    )

    related_fields = ("successors",)

    def write(self, instance, **related) -> None:
        party_write(party=instance, **related)

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
            "successors",
            "review_status",
        ]
        extra_kwargs = {
            "id": {"help_text": "Stable identifier (slug); cannot change once created."}
        }


class ParticipationWriteSerializer(serializers.ModelSerializer):
    """A party's part in the treaty."""

    party = serializers.PrimaryKeyRelatedField(
        queryset=Party.objects.all(), help_text="The party's id."
    )
    signed_on = PartialDateField(
        read_only=False, required=False, help_text="When the party signed (partial date)."
    )
    signatory_name = TextOrNullField(read_only=False, required=False, help_text="Who signed.")
    signatory_office = TextOrNullField(
        read_only=False, required=False, help_text="The signatory's office."
    )
    consent_type = TextOrNullField(
        read_only=False,
        required=False,
        help_text="ratification, accession, acceptance, approval or succession.",
    )
    consented_on = PartialDateField(
        read_only=False, required=False, help_text="When consent took effect."
    )
    withdrew_on = PartialDateField(
        read_only=False, required=False, help_text="When withdrawal took effect."
    )

    class Meta:
        model = Participation
        fields = [
            "party",
            "signed_on",
            "signatory_name",
            "signatory_office",
            "consent_type",
            "consented_on",
            "withdrew_on",
        ]


class ProvisionWriteSerializer(serializers.ModelSerializer):
    """An article or clause."""

    obligations = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=ObligationType.objects.all(),
        help_text="Obligation codes.",
    )

    class Meta:
        model = Provision
        fields = ["label", "summary", "obligations", "automatic"]


class TreatyWriteSerializer(RecordWriteSerializer):
    """A treaty with its participations and provisions, as a curator writes it.

    ``participations`` and ``provisions``, when given, replace the current lists (matched by
    party and by label, so that existing ones keep their citations).
    """

    aliases = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Other names."
    )
    summary = TextOrNullField(read_only=False, required=False, help_text="What the treaty does.")
    signed_on = PartialDateField(
        read_only=False, required=False, help_text="Date of signature (partial)."
    )
    signed_at = TextOrNullField(read_only=False, required=False, help_text="Place of signature.")
    entered_into_force_on = PartialDateField(
        read_only=False, required=False, help_text="Entry into force (partial)."
    )
    ended_on = PartialDateField(read_only=False, required=False, help_text="End (partial).")
    end_cause = TextOrNullField(
        read_only=False, required=False, help_text="termination, expiry, withdrawal or replacement."
    )
    replaces = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Treaty.objects.all(),
        help_text="Ids of treaties this one replaces.",
    )
    amends = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Treaty.objects.all(),
        help_text="Ids of treaties this one amends.",
    )
    participations = ParticipationWriteSerializer(
        many=True, required=False, help_text="The parties (replaces the list)."
    )
    provisions = ProvisionWriteSerializer(
        many=True, required=False, help_text="The provisions (replaces the list)."
    )
    review_status = serializers.ChoiceField(
        choices=ReviewStatus.choices, required=False, help_text="draft or published."
    )

    class Meta:
        model = Treaty
        fields = [
            "id",
            "title",
            "aliases",
            "kind",
            "summary",
            "signed_on",
            "signed_at",
            "entered_into_force_on",
            "ended_on",
            "end_cause",
            "replaces",
            "amends",
            "participations",
            "provisions",
            "review_status",
        ]
        extra_kwargs = {
            "id": {"help_text": "Stable identifier (slug); cannot change once created."}
        }

    related_fields = ("replaces", "amends", "participations", "provisions")

    def write(self, instance, **related) -> None:
        treaty_write(treaty=instance, **related)
