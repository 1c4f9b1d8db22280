"""Typed readers for settings that come from the environment.

A misconfigured variable stops the process with one line that names it, rather than a
traceback from deep inside Django.
"""

import os
import re


class ConfigError(SystemExit):
    """Raised (as a clean exit) when an environment variable is missing or malformed."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"configuration error: {name} {problem}")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean: 1/true/yes/on or 0/false/no/off (any case)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(name, f"must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    """Read a whole number."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(name, f"must be a whole number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    """Read a string."""
    return os.environ.get(name, default)


def require(name: str, value: str, *, reason: str) -> str:
    """Return value, or exit naming the variable when it is empty."""
    if not value:
        raise ConfigError(name, f"is not set ({reason})")
    return value


_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name: str, default: str) -> str:
    """A rate limit like "120/minute" (DRF's format)."""
    value = os.environ.get(name, default).strip()
    if not _RATE.match(value):
        raise ConfigError(
            name, f"must look like 120/minute (per second, minute, hour or day), got {value!r}"
        )
    return value


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, default).strip().upper()
    if value not in choices:
        raise ConfigError(name, f"must be one of {', '.join(sorted(choices))}, got {value!r}")
    return value


def database_config(default: str, **options) -> dict:
    """DATABASE_URL (or ``default``) parsed by dj-database-url; a bad URL names the variable."""
    import dj_database_url

    try:
        return dj_database_url.config(default=default, **options)
    except (ValueError, KeyError) as exc:
        raise ConfigError(
            "DATABASE_URL", f"is not a database URL dj-database-url understands ({exc})"
        ) from None
