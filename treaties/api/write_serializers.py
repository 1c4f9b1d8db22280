"""Input for creating and changing parties and treaties (responses use serializers.py).

Fields, their help text and their null handling come from the models; each serializer names
its fields and the service that writes the record.
"""

from core.api.serializers import PartWriteSerializer, RecordWriteSerializer
from core.models import curated_fields
from treaties.models import Participation, Party, Provision, Treaty
from treaties.services import party_write, treaty_write


class PartyWriteSerializer(RecordWriteSerializer):
    """A party as a curator writes it."""

    related_fields = ("successors",)

    class Meta:
        model = Party
        fields = [*curated_fields(Party), "review_status"]

    def write(self, instance, **related) -> None:
        party_write(party=instance, **related)


class ParticipationWriteSerializer(PartWriteSerializer):
    """A party's part in the treaty."""

    class Meta:
        model = Participation
        fields = curated_fields(Participation)


class ProvisionWriteSerializer(PartWriteSerializer):
    """An article or clause."""

    class Meta:
        model = Provision
        fields = curated_fields(Provision)


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
        fields = [*curated_fields(Treaty), "participations", "provisions", "review_status"]

    def write(self, instance, **related) -> None:
        treaty_write(treaty=instance, **related)
