"""Fill in the script of the aliases written before aliases had one."""

from django.db import migrations

from core.scripts import script_code

BATCH = 5000


def scripts_fill(apps, schema_editor):
    alias_model = apps.get_model("sanctions", "DesignationAlias")
    pending = []
    for alias in alias_model.objects.filter(script="").only("pk", "name").iterator(BATCH):
        code = script_code(alias.name)
        if code:
            alias.script = code
            pending.append(alias)
        if len(pending) >= BATCH:
            alias_model.objects.bulk_update(pending, ["script"])
            pending = []
    alias_model.objects.bulk_update(pending, ["script"])


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0011_identifier_dates_addresses_scripts_vessels")]

    operations = [migrations.RunPython(scripts_fill, migrations.RunPython.noop, elidable=True)]
