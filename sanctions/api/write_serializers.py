"""Input for creating and changing regimes and designations (responses use serializers.py)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from core.api.serializers import (
    PartialDateField,
    TextOrNullField,
    ValidatedModelSerializer,
    _field_errors,
)
from core.choices import ReviewStatus
from sanctions.models import Designation, MeasureType, SanctionsRegime
from sanctions.services import designation_create, designation_update
from sources.models import Source
from treaties.models import Party


class RegimeWriteSerializer(ValidatedModelSerializer):
    """A sanctions regime as a curator writes it."""

    issuer = serializers.PrimaryKeyRelatedField(
        queryset=Party.objects.all(),
        allow_null=True,
        required=False,
        help_text="Issuer's party id; null when unknown.",
    )
    targets = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Party.objects.all(), help_text="Target party ids."
    )
    legal_basis = TextOrNullField(
        read_only=False, required=False, help_text="Instrument it rests on."
    )
    reason = TextOrNullField(read_only=False, required=False, help_text="Why it was imposed.")
    started_on = PartialDateField(
        read_only=False, required=False, help_text="When it began (partial)."
    )
    ended_on = PartialDateField(
        read_only=False, required=False, help_text="When it ended (partial)."
    )
    measures = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=MeasureType.objects.all(),
        help_text="Measure codes.",
    )
    review_status = serializers.ChoiceField(
        choices=ReviewStatus.choices, required=False, help_text="draft or published."
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
            "measures",
            "review_status",
        ]
        extra_kwargs = {
            "id": {"help_text": "Stable identifier (slug); cannot change once created."}
        }


class DesignationWriteSerializer(ValidatedModelSerializer):
    """A designation as a curator writes it."""

    aliases = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        help_text="Other names (replaces the list).",
    )
    reference_number = TextOrNullField(
        read_only=False, required=False, help_text="Reference number as the list gives it."
    )
    list_record_id = TextOrNullField(
        read_only=False, required=False, help_text="The list's own id."
    )
    regimes = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=SanctionsRegime.objects.all(),
        help_text="Regime ids (at least one).",
    )
    listed_on = PartialDateField(
        read_only=False, required=False, help_text="When it was listed (partial)."
    )
    delisted_on = PartialDateField(
        read_only=False, required=False, help_text="When it was delisted (partial)."
    )
    delisting_reason = TextOrNullField(
        read_only=False, required=False, help_text="Why it was delisted."
    )
    nationality = serializers.PrimaryKeyRelatedField(
        queryset=Party.objects.all(),
        allow_null=True,
        required=False,
        help_text="Nationality party id.",
    )
    dates_of_birth = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Partial ISO dates."
    )
    remarks = TextOrNullField(read_only=False, required=False, help_text="Remarks.")
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        help_text="Id of the list file's source.",
    )
    review_status = serializers.ChoiceField(
        choices=ReviewStatus.choices, required=False, help_text="draft or published."
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
            "nationality",
            "dates_of_birth",
            "remarks",
            "source",
            "review_status",
        ]
        extra_kwargs = {
            "id": {"help_text": "Stable identifier (slug); cannot change once created."}
        }

    def save(self, **kwargs):
        """Write through the designation service; its refusal is a 400 naming the field."""
        values = {**self.validated_data, **kwargs}
        regimes, aliases = values.pop("regimes", None), values.pop("aliases", None)
        try:
            if self.instance is None:
                self.instance = designation_create(
                    values=values, regimes=regimes or [], aliases=aliases or []
                )
            else:
                self.instance = designation_update(
                    designation=self.instance, values=values, regimes=regimes, aliases=aliases
                )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_field_errors(exc)) from None
        return self.instance
