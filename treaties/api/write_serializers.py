"""Input for creating and changing parties and treaties (responses use serializers.py).

Fields, their help text and their null handling come from the models; each serializer names
its fields and the service that writes the record.
"""

from core.api.serializers import PartWriteSerializer, RecordWriteSerializer
from treaties.models import Participation, Party, Provision, Treaty
from treaties.services import party_write, treaty_write


class PartyWriteSerializer(RecordWriteSerializer):
    """A party as a curator writes it."""

    related_fields = ("successors",)

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

    def write(self, instance, **related) -> None:
        party_write(party=instance, **related)


class ParticipationWriteSerializer(PartWriteSerializer):
    """A party's part in the treaty."""

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


class ProvisionWriteSerializer(PartWriteSerializer):
    """An article or clause."""

    class Meta:
        model = Provision
        fields = ["label", "summary", "obligations", "automatic"]


class TreatyWriteSerializer(RecordWriteSerializer):
    """A treaty with its participations and provisions, as a curator writes it.

    ``participations`` and ``provisions``, when given, replace the current lists (matched by
    party and by label, so that existing ones keep their citations).
    """

    participations = ParticipationWriteSerializer(
        many=True, required=False, help_text="The parties (replaces the list)."
    )
    provisions = ProvisionWriteSerializer(
        many=True, required=False, help_text="The provisions (replaces the list)."
    )

    related_fields = ("replaces", "amends", "participations", "provisions")

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

    def write(self, instance, **related) -> None:
        treaty_write(treaty=instance, **related)
