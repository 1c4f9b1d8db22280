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
        review_status=extra.pop("review_status", "published"),
        kind=extra.pop("kind", "article"),
        title=extra.pop("title", "A test article"),
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        **extra,
    )


def make_party(*, id: str, name: str | None = None, **extra) -> Party:
    extra.setdefault("review_status", "published")
    return Party.objects.create(
        id=id, name=name or id.replace("-", " ").title(), kind=extra.pop("kind", "state"), **extra
    )


def make_treaty(*, id: str = "test-treaty", **extra) -> Treaty:
    treaty = Treaty(
        id=id, title=extra.pop("title", "Test treaty"), kind=extra.pop("kind", "bilateral")
    )
    treaty.review_status = extra.pop("review_status", "published")
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


def make_participation(*, treaty: Treaty, party: Party, **dates):
    from treaties.models import Participation

    participation = Participation(treaty=treaty, party=party)
    for field, value in dates.items():
        participation.set_partial(field, value)
    participation.save()
    return participation


def make_regime(
    *,
    id: str,
    key: str | None = None,
    issuer: Party | None = None,
    targets=(),
    measures=(),
    **extra,
):
    from sanctions.models import SanctionsRegime

    regime = SanctionsRegime(
        id=id, key=key or id.upper(), name=extra.pop("name", id), issuer=issuer
    )
    regime.review_status = extra.pop("review_status", "published")
    for field in SanctionsRegime.partial_dates:
        if field in extra:
            regime.set_partial(field, extra.pop(field))
    regime.full_clean()
    regime.save()
    regime.targets.set(targets)
    regime.measures.set(measures)
    return regime


def make_designation(*, id: str, regimes=(), aliases=(), **extra):
    from sanctions.models import Designation

    designation = Designation(
        id=id, kind=extra.pop("kind", "individual"), name=extra.pop("name", id.title())
    )
    designation.review_status = extra.pop("review_status", "published")
    for field in Designation.partial_dates:
        if field in extra:
            designation.set_partial(field, extra.pop(field))
    for name, value in extra.items():
        setattr(designation, name, value)
    designation.save()
    designation.regimes.set(regimes)
    for alias in aliases:
        designation.aliases.create(name=alias)
    return designation
