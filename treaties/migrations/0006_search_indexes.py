from django.db import migrations

from core.search_indexes import TrigramIndexes


class Migration(migrations.Migration):
    dependencies = [("treaties", "0005_help_text_for_both_sides")]

    operations = [
        TrigramIndexes(
            "treaties_treaty",
            {
                "treaty_title_trgm": '"title"::text',
                "treaty_aliases_trgm": '"aliases"::text',
                "treaty_summary_trgm": '"summary"::text',
                "treaty_id_trgm": '"id"::text',
            },
        ),
    ]
