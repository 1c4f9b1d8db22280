"""Input for creating and changing sources and citations."""

from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from core.api.serializers import RecordWriteSerializer
from sources.api.serializers import CITABLE
from sources.models import Citation, Source
from sources.services import citation_write, source_write


class SourceWriteSerializer(RecordWriteSerializer):
    """A source as a curator writes it; its sha256 is computed from the text."""

    related_fields = ("text",)

    class Meta:
        model = Source
        fields = [
            "id",
            "kind",
            "title",
            "publisher",
            "published_on",
            "url",
            "text",
            "review_status",
        ]
        extra_kwargs = {
            "text": {"trim_whitespace": False},  # citation offsets index into it as given
        }

    def write(self, instance, **related) -> None:
        source_write(source=instance, **related)


class CitationWriteSerializer(RecordWriteSerializer):
    """A citation as a curator writes it: pick the record, the field and the source, paste the
    quote. Offsets are found in the source text; a quote that is not there is refused."""

    record_type = serializers.ChoiceField(
        choices=sorted(CITABLE), help_text="The kind of record cited for."
    )
    record_id = serializers.CharField(max_length=100, help_text="The record's id.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Curator's note (required to dispute).",
    )

    class Meta:
        model = Citation
        fields = ["record_type", "record_id", "field", "source", "quote", "stance", "note"]

    renamed_fields = {"object_id": "record_id", "content_type": "record_type"}

    def validate(self, attrs):
        record_type = attrs.pop("record_type", None)
        record_id = attrs.pop("record_id", None)
        if self.instance is None or record_type or record_id:
            current = self.instance.content_type.natural_key() if self.instance else None
            current_type = next((n for n, t in CITABLE.items() if t == current), None)
            attrs["content_type"], attrs["object_id"] = self._record(
                record_type or current_type,
                record_id or (self.instance.object_id if self.instance else None),
            )
        return attrs

    def write(self, instance, **related) -> None:
        citation_write(citation=instance)

    def _record(self, record_type: str, record_id: str):
        """The content type and id the citation points at; citation_validate checks the
        record exists (a 400 on record_id)."""
        app_label, model_name = CITABLE[record_type]
        return ContentType.objects.get_by_natural_key(app_label, model_name), str(record_id)
