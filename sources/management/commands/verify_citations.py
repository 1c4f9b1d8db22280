"""Re-check every citation against the stored text of its source."""

from django.core.management.base import BaseCommand, CommandError

from sources.models import Citation
from sources.selectors import citations_failing_verification


class Command(BaseCommand):
    help = "Verify that every citation's quote occurs verbatim at its offsets in its source."

    def handle(self, *args, **options):
        failures = 0
        for failure in citations_failing_verification():
            failures += 1
            c = failure.citation
            self.stderr.write(
                f"citation {c.pk}: {c.content_type.app_label}.{c.content_type.model} {c.object_id!r} "
                f"field '{c.field}', source {c.source_id!r}: {failure.problem}"
            )
        total = Citation.objects.count()
        if failures:
            raise CommandError(f"{failures} of {total} citations failed verification")
        self.stdout.write(self.style.SUCCESS(f"all {total} citations verified"))
