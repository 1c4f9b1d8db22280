"""Render every stored representation again (core.representations)."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from core.representations import refresh_all, representer


class Command(BaseCommand):
    help = (
        "Render the stored representation of every public record again, in batches of 500. "
        "Writes keep them current and a read renders a missing or outdated one, so this only "
        "warms the store, e.g. after an upgrade that changes a representation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--model",
            dest="models",
            action="append",
            metavar="APP_LABEL.MODEL",
            help="Only this kind of record, e.g. sanctions.Designation (repeatable; default: all).",
        )

    def handle(self, *args, models: list[str] | None = None, **options) -> None:
        chosen = [self._model(label) for label in models] if models else None
        for label, count in refresh_all(chosen):
            self.stdout.write(f"{label}: {count} rendered")

    def _model(self, label: str):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            raise CommandError(f"--model {label!r}: no such model") from None
        if representer(model) is None:
            raise CommandError(f"--model {label!r}: has no stored representation")
        return model
