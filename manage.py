#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that serve requests need a real SECRET_KEY (or DEBUG); one-off commands (migrate,
# load_records, check, ...) sign nothing that outlives them, so they may run without one.
SERVING_COMMANDS = {"runserver", "testserver"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in SERVING_COMMANDS:
        os.environ.setdefault("REGISTER_ONE_OFF_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
