from rest_framework import serializers

from core.api.serializers import RecordReadSerializer
from sources.models import Citation, Source

# The kinds of record a citation can support: API name -> (app label, model name). Named as
# strings so this lower layer does not import the apps above it.
CITABLE = {
    "party": ("treaties", "party"),
    "treaty": ("treaties", "treaty"),
    "participation": ("treaties", "participation"),
    "provision": ("treaties", "provision"),
    "regime": ("sanctions", "sanctionsregime"),
    "designation": ("sanctions", "designation"),
    "source": ("sources", "source"),
}


class SourceBriefSerializer(RecordReadSerializer):
    """A source named in a citation: its id and title."""

    class Meta:
        model = Source
        fields = ["id", "title"]


class CitationSerializer(RecordReadSerializer):
    """Evidence for one field of the record it is embedded in."""

    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ["source", "field", "quote", "start", "end", "stance", "note"]


class CitationCountField(serializers.IntegerField):
    """A source's citation count: annotated on the row in a curator's view (drafts included),
    else the public count from ``context["citation_counts"]``
    (sources.selectors.public_citation_counts)."""

    def get_attribute(self, instance):
        counted = getattr(instance, "citation_count", None)
        if counted is not None:
            return counted
        return self.context["citation_counts"].get(instance.pk, 0)


class SourceSerializer(RecordReadSerializer):
    """A document that facts come from."""

    citation_count = CitationCountField(
        read_only=True, help_text="How many citations quote this source."
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "kind",
            "title",
            "publisher",
            "published_on",
            "url",
            "file_name",
            "sha256",
            "citation_count",
        ]


class SourceDetailSerializer(SourceSerializer):
    """A source with its full text, so that every citation's offsets can be checked."""

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text"]


class CitationDetailSerializer(CitationSerializer):
    """A citation with the record it is evidence for."""

    record_type = serializers.SerializerMethodField(help_text="The kind of record cited for.")
    record_id = serializers.CharField(
        source="object_id", read_only=True, help_text="The record's id."
    )

    class Meta(CitationSerializer.Meta):
        fields = ["id", "record_type", "record_id", *CitationSerializer.Meta.fields]

    def get_record_type(self, citation: Citation) -> str:
        key = (citation.content_type.app_label, citation.content_type.model)
        return {target: name for name, target in CITABLE.items()}.get(
            key, citation.content_type.model
        )
