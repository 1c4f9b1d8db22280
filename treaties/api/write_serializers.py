"""Input for creating and changing parties and treaties (responses use serializers.py)."""

from django.db import transaction
from rest_framework import serializers

from core.api.serializers import (
    NestedValidatedSerializer,
    PartialDateField,
    TextOrNullField,
    ValidatedModelSerializer,
)
from core.choices import ReviewStatus
from treaties.models import ObligationType, Participation, Party, Provision, Treaty
from treaties.services import (
    participations_replace,
    provisions_replace,
    self_reference_problem,
    succession_problem,
)


class PartyWriteSerializer(ValidatedModelSerializer):
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

    def validate_successors(self, value):
        party_id = self.instance.pk if self.instance else self.initial_data.get("id")
        if problem := succession_problem(party_id=party_id, successor_ids=[p.pk for p in value]):
            raise serializers.ValidationError(problem, code="invalid")
        return value

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


class ParticipationWriteSerializer(NestedValidatedSerializer):
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


class ProvisionWriteSerializer(NestedValidatedSerializer):
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


class TreatyWriteSerializer(ValidatedModelSerializer):
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

    def _self_reference(self, value, relation: str):
        record_id = self.instance.pk if self.instance else self.initial_data.get("id")
        if problem := self_reference_problem(
            record_id=record_id, linked_ids=[t.pk for t in value], relation=relation
        ):
            raise serializers.ValidationError(problem, code="invalid")
        return value

    def validate_replaces(self, value):
        return self._self_reference(value, "replace")

    def validate_amends(self, value):
        return self._self_reference(value, "amend")

    def validate_participations(self, value):
        parties = [item["party"].pk for item in value]
        if len(parties) != len(set(parties)):
            raise serializers.ValidationError("A party can take part only once.", code="invalid")
        return value

    def validate_provisions(self, value):
        labels = [item["label"] for item in value]
        if len(labels) != len(set(labels)):
            raise serializers.ValidationError(
                "Provision labels must be unique within a treaty.", code="invalid"
            )
        return value

    @transaction.atomic
    def save(self, **kwargs):
        participations = self.validated_data.pop("participations", None)
        provisions = self.validated_data.pop("provisions", None)
        treaty = super().save(**kwargs)
        if participations is not None:
            participations_replace(treaty=treaty, items=participations)
        if provisions is not None:
            provisions_replace(treaty=treaty, items=provisions)
        return treaty
