from django.db import migrations, models

from core.search_indexes import SearchStatistics


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_register_state"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="change",
            index=models.Index(fields=["object_id"], name="change_record_idx"),
        ),
        SearchStatistics(
            "core_change",
            {"change_reason_stats": '"reason"::text', "change_object_id_stats": '"object_id"::text'},
        ),
    ]
