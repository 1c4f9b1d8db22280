from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0005_search_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="citation",
            index=models.Index(fields=["field"], name="citation_field_idx"),
        ),
        migrations.AddIndex(
            model_name="citation",
            index=models.Index(
                condition=models.Q(("stance", "disputes")),
                fields=["id"],
                name="citation_disputes_idx",
            ),
        ),
    ]
