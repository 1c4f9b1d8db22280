"""Store the register's names with a new version (core.register_state.Names)."""

from django.core.management.base import BaseCommand

from core import register_state


class Command(BaseCommand):
    help = (
        "Read the names that filters resolve (published parties' ids, codes and successions; "
        "published regimes' ids and keys) and store them with a new register version. Every "
        "write through the services keeps them current; run this after an upgrade (until "
        "then they are read once per version) or after changing parties or regimes in SQL."
    )

    def handle(self, *args, **options) -> None:
        register_state.refresh_names()
        self.stdout.write("names stored")
