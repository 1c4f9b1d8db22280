"""Loading curated records from reviewable text files, with errors that point at the line.

Every problem is a RecordError naming the file, the record and the field, so a curator can
find it without reading a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from core.history import edited_since_loaded
from core.partial_dates import PartialDate, PartialDateError
from core.services import problems_of


class RecordError(Exception):
    """A bad record in a fixture file; the message names file, record and field."""

    def __init__(self, file: str, record: str, field: str | None, problem: str) -> None:
        self.file, self.record, self.field, self.problem = file, record, field, problem
        where = f"{file}: {record}" + (f": field '{field}'" if field else "")
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class FixtureRecord:
    """The file and record being loaded, for error messages; ``kept`` collects the records
    left alone because someone edited them after they were loaded."""

    file: str
    record: str
    kept: list[str] = field(default_factory=list, compare=False)

    def error(self, field: str | None, problem: str) -> RecordError:
        return RecordError(self.file, self.record, field, problem)

    def child(self, label: str) -> FixtureRecord:
        return FixtureRecord(self.file, f"{self.record} > {label}", self.kept)

    def keep(self, instance) -> bool:
        """Leave ``instance`` alone (and say so) if it was edited since it was loaded."""
        if edited_since_loaded(instance):
            self.kept.append(
                f"{self.file}: {self.record}: edited since it was loaded; kept as it is"
            )
            return True
        return False


def read_toml(path: Path, *, display: str) -> dict[str, Any]:
    """Parse a TOML fixture file; a syntax error names the file and line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise RecordError(display, "(file)", None, f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise RecordError(display, "(file)", None, f"cannot be read: {exc.strerror}") from None


def keys_check(
    spec: dict[str, Any], where: FixtureRecord, allowed: Iterable[str], required: Iterable[str] = ()
) -> None:
    """Refuse unknown keys (typos) and missing required keys."""
    unknown = sorted(set(spec) - set(allowed))
    if unknown:
        raise where.error(unknown[0], "unknown field (check its spelling)")
    for key in required:
        if spec.get(key) in (None, ""):
            raise where.error(key, "is required")


def partial_date(spec: dict[str, Any], key: str, where: FixtureRecord) -> PartialDate | None:
    """Read an optional partial date ("1961", "1961-07", "1961-07-06")."""
    value = spec.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(key, f'must be a quoted date string like "1961-07-06", got {value!r}')
    try:
        return PartialDate.parse(value)
    except PartialDateError as exc:
        raise where.error(key, str(exc)) from None


def partial_date_values(spec: dict[str, Any], key: str, where: FixtureRecord) -> dict[str, Any]:
    """The two stored columns (date, precision) for an optional partial date in ``spec``."""
    value = partial_date(spec, key, where)
    return {
        key: value.start if value else None,
        f"{key}_precision": value.precision if value else "",
    }


def values_set(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set attributes on ``instance``; True when any value differs from what it held."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def written(
    where: FixtureRecord,
    write: Callable[..., bool],
    *,
    parts: dict[str, list[str]] | None = None,
    **arguments: Any,
) -> bool:
    """Call a record's write service; its first problem becomes a RecordError naming the
    file, the record (or its part, labelled by ``parts``: collection -> label per index)
    and the field."""
    try:
        return write(**arguments)
    except ValidationError as exc:
        name, messages = next(iter(problems_of(exc).items()))
        here = where
        collection, _, rest = name.partition(".")
        if rest and parts and collection in parts:
            index, _, name = rest.partition(".")
            here = where.child(parts[collection][int(index)])
        field = None if name in (NON_FIELD_ERRORS, "") else name
        raise here.error(field, " ".join(messages)) from None
