"""Render every stored representation again (core.representations)."""

from django.core.management.base import BaseCommand

from core.representations import refresh_all


class Command(BaseCommand):
    help = (
        "Render the stored representation of every public record again, in batches of 500. "
        "Writes keep them current and a read renders a missing or outdated one, so this only "
        "warms the store, e.g. after an upgrade that changes a representation."
    )

    def handle(self, *args, **options) -> None:
        for label, count in refresh_all():
            self.stdout.write(f"{label}: {count} rendered")
