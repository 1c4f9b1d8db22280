"""Import the UN Security Council Consolidated List (XML)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from sanctions.importers.cli import run_list_import
from sanctions.importers.un import un_list_parse


class Command(BaseCommand):
    help = "Import a UN Security Council Consolidated List XML file (all or nothing; re-import updates)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The consolidated list XML file.")

    def handle(self, *args, path: Path, **options):
        run_list_import(self, lambda: un_list_parse(path), label=path.name)
