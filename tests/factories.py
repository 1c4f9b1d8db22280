"""Small builders for test records; each returns a saved, valid instance."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType

from sources.models import Citation, Source
from treaties.models import Party, Treaty

ARTICLE_TEXT = (
    "The historic treaty of friendship and mutual assistance signed in 1961 between North Korea "
    "and the Soviet Union included provisions for automatic military intervention."
)


def make_source(*, id: str = "test-article", text: str = ARTICLE_TEXT, **extra) -> Source:
    return Source.objects.create(
        id=id,
        kind=extra.pop("kind", "article"),
        title=extra.pop("title", "A test article"),
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        **extra,
    )


def make_party(*, id: str, name: str | None = None, **extra) -> Party:
    return Party.objects.create(
        id=id, name=name or id.replace("-", " ").title(), kind=extra.pop("kind", "state"), **extra
    )


def make_treaty(*, id: str = "test-treaty", **extra) -> Treaty:
    treaty = Treaty(
        id=id, title=extra.pop("title", "Test treaty"), kind=extra.pop("kind", "bilateral")
    )
    for field in Treaty.partial_dates:
        if field in extra:
            treaty.set_partial(field, extra.pop(field))
    for name, value in extra.items():
        setattr(treaty, name, value)
    treaty.full_clean()
    treaty.save()
    return treaty


def make_citation(*, record, source: Source, quote: str, field: str = "title", **extra) -> Citation:
    citation = Citation(
        record=record,
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        source=source,
        quote=quote,
        field=field,
        **extra,
    )
    citation.full_clean(exclude=["start", "end"])
    citation.save()
    return citation
