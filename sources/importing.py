"""Importer toolkit: read an official file, keep it as a Source, cite it.

Adding an importer is one module of parsing code plus a command:

1. Parse, writing nothing: ``file = read_file(path)``; ``csv_rows(file, ...)`` for CSV;
   refuse bad input with ``file.failure(where, problem)`` (an ImportFailure naming the file
   and the line or record). Return plain data (e.g. sanctions.importers.parsed).
2. Write, all of it or nothing: in ``transaction.atomic()`` and ``change_reason(...)``, get
   the file's Source with ``official_source(...)``, resolve countries with
   treaties.importing.party_for_country, write each record through its app's service
   function (turn its ValidationError into ``ImportFailure.refusal(...)``, naming file,
   record and field), and cite the file with a ``CitationWriter``.
3. The command: core.imports.import_run (progress bar, summary, exit code), counting
   outcomes in a core.imports.ImportSummary.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.contrib.contenttypes.models import ContentType

from core.choices import ReviewStatus
from core.history import history_bulk_created
from core.imports import ImportFailure
from core.partial_dates import PartialDate
from sources.choices import Stance
from sources.models import Citation, Source
from sources.services import citation_exists, citation_write, source_write

BATCH = 500


# What makes two citations the same (the database's unique constraint on citations).
@dataclass
class ImportFile:
    """An official file read whole: its bytes, its sha256 and (decoded on first use) its text."""

    path: Path
    data: bytes
    encoding: str = "utf-8"

    @property
    def name(self) -> str:
        return self.path.name

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def text(self) -> str:
        """The decoded text; bytes that are not in the encoding refuse the file."""
        try:
            return self.data.decode(self.encoding)
        except UnicodeDecodeError as exc:
            label = "UTF-8" if self.encoding.lower().replace("-", "") == "utf8" else self.encoding
            raise self.failure(f"byte {exc.start}", f"not {label} text") from None

    def failure(self, where: str | None, problem: str) -> ImportFailure:
        """The error refusing this file at ``where`` (e.g. "line 12, record KPi.001")."""
        return ImportFailure(self.name, where, problem)


def read_file(path: Path, *, encoding: str = "utf-8") -> ImportFile:
    """Read a whole file; one that cannot be read is refused with an ImportFailure."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(path.name, None, f"cannot be read: {exc.strerror}") from None
    return ImportFile(path=path, data=data, encoding=encoding)


@dataclass(frozen=True)
class CsvRow:
    """One CSV record: the line it ends on, its values (a dict with a header), its raw line."""

    line: int
    values: list[str] | dict[str, str]
    raw: str = ""


def csv_rows(
    file: ImportFile,
    *,
    columns: int | set[str],
    what: str,
    text: str | None = None,
    raw: bool = False,
) -> Iterator[CsvRow]:
    """The CSV records of ``file`` (or of ``text``, e.g. the file's text trimmed).

    ``columns`` is the exact number of columns of a file without a header, or the columns
    a header must name (rows are then dicts). ``what`` names the format in errors ("ATOP
    data"); ``raw`` adds each record's line as written, to quote. Refuses a missing column,
    a row of the wrong width, or malformed CSV, naming the line.
    """
    text = file.text if text is None else text
    lines = text.splitlines() if raw else []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = None
        if isinstance(columns, set):
            header = next(reader, [])
            missing = columns - set(header)
            if missing:
                raise file.failure(
                    "line 1", f"not {what}: missing columns {', '.join(sorted(missing))}"
                )
        width = len(header) if header is not None else columns
        for row in reader:
            line = reader.line_num
            if header is not None and not row:
                continue  # a blank line, as csv.DictReader skips it
            if len(row) != width:
                raise file.failure(
                    f"line {line}",
                    f"{len(row)} columns, expected {width} (not {what}, or cut short)",
                )
            values = dict(zip(header, row, strict=True)) if header is not None else row
            yield CsvRow(line, values, lines[line - 1] if line - 1 < len(lines) else "")
    except csv.Error as exc:
        raise file.failure(
            f"line {reader.line_num}", f"malformed CSV ({exc}); the file may be cut short"
        ) from None


def official_source(
    *,
    id: str,
    file_name: str,
    sha256: str,
    text: str,
    kind: str,
    title: str,
    publisher: str,
    published_on: PartialDate | str | None,
    url: str = "",
) -> Source:
    """The Source for an imported file: added on the first import, returned again for the
    same file (same sha256); a different file under the same id is refused."""
    source = Source.objects.filter(pk=id).first()
    if source is not None:
        if source.sha256 != sha256:
            raise ImportFailure(
                file_name,
                None,
                f"a different file was already imported as {id} (sha256 {source.sha256})",
            )
        return source
    source = Source(
        id=id,
        kind=kind,
        title=title,
        publisher=publisher,
        url=url,
        file_name=file_name,
        sha256=sha256,
        text=text,
        review_status=ReviewStatus.PUBLISHED,
    )
    source.set_partial("published_on", published_on)
    source_write(source=source)
    return source


class CitationWriter:
    """Cites one Source's text. Quotes come in file order, so each is searched forward from
    the last one found (then from the start); a quote that is not in the text refuses the
    import: the parser built it from the file, so that is a bug, never a silent pass."""

    def __init__(self, *, source: Source) -> None:
        self.source = source
        self.cursor = 0
        self.pending: list[Citation] = []

    def locate(self, quote: str) -> tuple[int, int]:
        """Offsets of ``quote`` in the source text; ImportFailure if it is not there."""
        text = self.source.text
        start = text.find(quote, self.cursor) if quote else -1
        if start < 0 and quote:
            start = text.find(quote)
        if start < 0:
            raise ImportFailure(
                self.source.file_name or self.source.pk, None, f"quote {quote!r} is not in the file"
            )
        self.cursor = start
        return start, start + len(quote)

    def cite(self, record, field: str, quote: str) -> None:
        """Cite ``quote`` for ``field`` of a saved ``record`` (once: citing again is a no-op)."""
        citation = self._citation(record, field, quote)
        if not citation_exists(citation):
            citation_write(citation=citation)

    def dispute(self, record, field: str, quote: str, *, note: str) -> None:
        """Record that the file states a claim about ``field`` the register does not take
        (a curated value kept): a ``disputes`` citation with ``note`` saying why (once)."""
        citation = self._citation(record, field, quote)
        citation.stance, citation.note = Stance.DISPUTES, note
        if not citation_exists(citation):
            citation_write(citation=citation)

    def add(self, record, field: str, quote: str) -> None:
        """Queue a citation for a record that has none from this source yet (see save)."""
        self.pending.append(self._citation(record, field, quote))

    def _citation(self, record, field: str, quote: str) -> Citation:
        start, end = self.locate(quote)
        return Citation(
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=str(record.pk),
            field=field,
            source=self.source,
            quote=quote,
            start=start,
            end=end,
            stance=Stance.SUPPORTS,
        )

    def save(self) -> None:
        """Write the queued citations in bulk, with their history and change-feed rows."""
        Citation.objects.bulk_create(self.pending, batch_size=BATCH)
        history_bulk_created(Citation, self.pending)
        self.pending = []
