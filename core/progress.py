"""Progress bars for long commands: shown on a terminal, silent in logs and pipes."""

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def progress_bar(command: BaseCommand, label: str, total: int) -> Progress:
    """A Progress with one task (``progress.task_ids[0]``) of ``total`` steps; use it as a
    context manager."""
    console = Console(file=command.stdout._out)
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    )
    progress.add_task(label, total=total)
    return progress
