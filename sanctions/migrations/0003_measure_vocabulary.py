"""Fill the measure vocabulary (sanctions.choices.Measure)."""

from django.db import migrations

CODES = [
    "aid_suspension",
    "arms_embargo",
    "arms_restrictions",
    "asset_freeze",
    "debarment",
    "export_control",
    "financial_restrictions",
    "import_restrictions",
    "investment_ban",
    "services_ban",
    "prohibition_to_satisfy_claims",
    "sectoral_sanctions",
    "transportation_restrictions",
    "travel_ban",
]


def add_codes(apps, schema_editor):
    MeasureType = apps.get_model("sanctions", "MeasureType")
    for code in CODES:
        MeasureType.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0002_initial")]
    operations = [migrations.RunPython(add_codes, migrations.RunPython.noop)]
