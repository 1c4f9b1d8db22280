from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import PARTIAL_DATE_SCHEMA
from treaties.api.serializers import PartyBriefSerializer


class SuccessionStepSerializer(serializers.Serializer):
    predecessor = serializers.CharField(
        help_text="Id of the predecessor party that is the actual party."
    )
    successor = serializers.CharField(help_text="Id of the party it leads to.")


class TimelineParties(serializers.ListSerializer):
    """An entry's parties, each party rendered once per response: a timeline repeats the same
    few parties across hundreds of entries (536 at 100,000 treaties, 5,360 memberships), and
    often the same list of them (the selector gives treaties with the same parties one shared
    tuple of them): each such list of briefs is built once per response too."""

    def to_representation(self, data):
        rendered = self.context.setdefault("party_briefs", {})
        # By the list's identity; the list is kept with its briefs, so no other list made
        # while this response renders can take its id.
        lists = self.context.setdefault("party_brief_lists", {})
        if (found := lists.get(id(data))) is None:
            for party in data:
                if party.pk not in rendered:
                    rendered[party.pk] = self.child.to_representation(party)
            found = lists[id(data)] = (data, [rendered[party.pk] for party in data])
        return found[1]


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
    parties = TimelineParties(
        child=PartyBriefSerializer(),
        help_text="Its parties (treaty) or issuer and targets (regime).",
    )
    via_succession = SuccessionStepSerializer(
        many=True,
        help_text="Succession links followed to reach it; empty when it ties the parties directly.",
    )

    def to_representation(self, entry):
        """What the fields above render, built directly: walking them costs DRF about 10 µs
        an entry, and a timeline has hundreds (536 for RU and KP at 100,000 treaties).
        tests/register/test_relations_rendering.py holds the two to the same output."""
        return {
            "type": str(entry.type),
            "id": str(entry.id),
            "title": str(entry.title),
            "start": self.get_start(entry),
            "end": self.get_end(entry),
            "status": str(entry.status),
            "in_force_on": None if entry.in_force_on is None else bool(entry.in_force_on),
            "parties": self.fields["parties"].to_representation(entry.parties),
            "via_succession": [
                {"predecessor": str(step["predecessor"]), "successor": str(step["successor"])}
                for step in entry.via_succession
            ],
        }

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
