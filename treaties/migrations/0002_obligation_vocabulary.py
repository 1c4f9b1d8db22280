"""Fill the obligation vocabulary (treaties.choices.Obligation)."""

from django.db import migrations

CODES = [
    "defense",
    "offense",
    "neutrality",
    "non_aggression",
    "consultation",
    "economic_cooperation",
    "cultural_cooperation",
    "military_technical_cooperation",
]


def add_codes(apps, schema_editor):
    ObligationType = apps.get_model("treaties", "ObligationType")
    for code in CODES:
        ObligationType.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("treaties", "0001_initial")]
    operations = [migrations.RunPython(add_codes, migrations.RunPython.noop)]
