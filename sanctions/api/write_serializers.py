"""Input for creating and changing regimes and designations (responses use serializers.py)."""

from rest_framework import serializers

from core.api.serializers import RecordWriteSerializer
from core.models import curated_fields
from sanctions.models import Designation, SanctionsRegime
from sanctions.services import designation_write, regime_write


class RegimeWriteSerializer(RecordWriteSerializer):
    """A sanctions regime as a curator writes it."""

    related_fields = ("targets", "measures")

    class Meta:
        model = SanctionsRegime
        fields = [*curated_fields(SanctionsRegime), "review_status"]

    def write(self, instance, **related) -> None:
        regime_write(regime=instance, **related)


class DesignationWriteSerializer(RecordWriteSerializer):
    """A designation as a curator writes it."""

    aliases = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        help_text="Other names (replaces the list).",
    )
    regimes = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=SanctionsRegime.objects.all(),
        help_text="Regime ids (at least one).",
    )

    related_fields = ("regimes", "aliases")

    class Meta:
        model = Designation
        fields = [*curated_fields(Designation), "aliases", "review_status"]

    def write(self, instance, **related) -> None:
        designation_write(designation=instance, **related)
