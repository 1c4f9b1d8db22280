from rest_framework import serializers

from core.api.serializers import PartialDateField, TextOrNullField
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


class SourceBriefSerializer(serializers.ModelSerializer):
    """A source named in a citation: its id and title."""

    class Meta:
        model = Source
        fields = ["id", "title"]


class CitationSerializer(serializers.ModelSerializer):
    """Evidence for one field of the record it is embedded in."""

    source = SourceBriefSerializer(read_only=True, help_text="The cited source.")
    note = TextOrNullField(help_text="Curator's note; null when there is none.")

    class Meta:
        model = Citation
        fields = ["source", "field", "quote", "start", "end", "stance", "note"]
        read_only_fields = fields


class SourceSerializer(serializers.ModelSerializer):
    """A document that facts come from."""

    publisher = TextOrNullField(
        help_text="Who published it, as the document shows; null if it names none."
    )
    published_on = PartialDateField(help_text="Publication date as far as the document shows it.")
    url = TextOrNullField(help_text="Where the document is published; null when unknown.")
    file_name = TextOrNullField(help_text="The file the text was read from; null when none.")
    citation_count = serializers.IntegerField(
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
        read_only_fields = fields


class SourceDetailSerializer(SourceSerializer):
    """A source with its full text, so that every citation's offsets can be checked."""

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text"]
        read_only_fields = fields


class CitationDetailSerializer(CitationSerializer):
    """A citation with the record it is evidence for."""

    record_type = serializers.SerializerMethodField(help_text="The kind of record cited for.")
    record_id = serializers.CharField(
        source="object_id", read_only=True, help_text="The record's id."
    )

    class Meta(CitationSerializer.Meta):
        fields = ["id", "record_type", "record_id", *CitationSerializer.Meta.fields]
        read_only_fields = fields

    def get_record_type(self, citation: Citation) -> str:
        key = (citation.content_type.app_label, citation.content_type.model)
        return {target: name for name, target in CITABLE.items()}.get(
            key, citation.content_type.model
        )
