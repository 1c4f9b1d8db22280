# ruff: noqa: RUF001 (a name in Cyrillic on purpose)
"""The migration that adds the match index builds the keys of designations already stored."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.names import names_keys

BEFORE = [("sanctions", "0008_search_indexes")]
AFTER = [("sanctions", "0009_identifiers_and_name_keys")]


@pytest.mark.django_db(transaction=True)
def test_migration_builds_keys_for_stored_designations():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Designation = old.get_model("sanctions", "Designation")
    Designation.objects.create(id="d-1", kind="individual", name="YUN HO-JIN")
    Designation.objects.create(id="d-2", kind="entity", name="OOO Romashka")
    old.get_model("sanctions", "DesignationAlias").objects.create(
        designation_id="d-1",
        name="Юн Хо Джин",
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    keys = new.get_model("sanctions", "DesignationNameKey").objects
    assert set(keys.filter(designation_id="d-1").values_list("key", flat=True)) == names_keys(
        ["YUN HO-JIN", "Юн Хо Джин"],
        legal_forms=False,
    )
    assert set(keys.filter(designation_id="d-2").values_list("key", flat=True)) == names_keys(
        ["OOO Romashka"]
    )
    new.get_model("sanctions", "Designation").objects.all().delete()
    call_command("migrate", verbosity=0)
