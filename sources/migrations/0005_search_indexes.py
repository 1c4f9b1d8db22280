from django.db import migrations

from core.search_indexes import TrigramIndexes


class Migration(migrations.Migration):
    dependencies = [("sources", "0004_help_text_for_both_sides")]

    operations = [
        TrigramIndexes(
            "sources_citation",
            {"citation_quote_trgm": '"quote"::text', "citation_note_trgm": '"note"::text'},
        ),
    ]
