from rest_framework import serializers

from core.api.serializers import PartialDateField, TextOrNullField
from sources.models import Citation, Source


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
