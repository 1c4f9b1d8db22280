"""Create a curator account with a one-time generated password (printed once)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from register.curators import curators_group_sync


class Command(BaseCommand):
    help = "Create a staff account in the curators group and print its one-time password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--superuser", action="store_true", help="Also make the account a superuser."
        )

    def handle(self, username, email="", superuser=False, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(
                f"user {username!r} already exists; change its password with `manage.py changepassword {username}`"
            )
        password = secrets.token_urlsafe(18)
        user = User.objects.create_user(
            username, email, password, is_staff=True, is_superuser=superuser
        )
        user.groups.add(curators_group_sync())
        self.stdout.write(
            f"Created curator {username!r}. One-time password (shown only now): {password}"
        )
        self.stdout.write(
            f"Log in at /admin/ and change it there, or run `manage.py changepassword {username}`."
        )
