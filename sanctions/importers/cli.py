"""What the list import commands share: parse, write with progress, print the summary."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand

from core.imports import import_run
from sanctions.importers.parsed import OfficialList
from sanctions.importers.writer import ImportReport, official_list_import


def run_list_import(
    command: BaseCommand, parse: Callable[[], OfficialList], *, label: str
) -> ImportReport:
    """Import an official list with core.imports.import_run (exit code, progress, summary)."""
    return import_run(
        command,
        label=label,
        parse=parse,
        size=lambda parsed: len(parsed.records),
        write=lambda parsed, progress: official_list_import(parsed=parsed, progress=progress),
    )
