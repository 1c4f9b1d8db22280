# ruff: noqa: RUF001 (a name in Cyrillic on purpose)
"""The migration that gives aliases a script fills it in for the aliases already stored."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("sanctions", "0011_identifier_dates_addresses_scripts_vessels")]
AFTER = [("sanctions", "0012_alias_scripts")]


@pytest.mark.django_db(transaction=True)
def test_migration_fills_in_the_scripts_of_stored_aliases():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("sanctions", "Designation").objects.create(
        id="d-1", kind="individual", name="YUN HO-JIN"
    )
    aliases = old.get_model("sanctions", "DesignationAlias").objects
    for name in ("Юн Хо Джин", "Yun Ho-chin", "윤호진", "123"):
        aliases.create(designation_id="d-1", name=name)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    stored = new.get_model("sanctions", "DesignationAlias").objects
    assert dict(stored.values_list("name", "script")) == {
        "Юн Хо Джин": "Cyrl",
        "Yun Ho-chin": "Latn",
        "윤호진": "Hang",
        "123": "",
    }
    new.get_model("sanctions", "Designation").objects.all().delete()
    call_command("migrate", verbosity=0)
