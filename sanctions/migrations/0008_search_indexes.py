from django.db import migrations

from core.search_indexes import TrigramIndexes


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0007_help_text_for_both_sides")]

    operations = [
        TrigramIndexes(
            "sanctions_designation",
            {
                "designation_name_trgm": '"name"::text',
                "designation_reference_trgm": '"reference_number"::text',
            },
        ),
        TrigramIndexes("sanctions_designationalias", {"alias_name_trgm": '"name"::text'}),
    ]
