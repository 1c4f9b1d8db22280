"""Whole responses to public reads, kept per register version (core.register_state).

A GET under /api/v1/ without credentials (no Authorization header, no session cookie) that
asks for JSON is answered from this cache when the same URL was answered 200 at the same
register version, on the same day, by the same representations (their fingerprints): one
cache read instead of the view, and one query for the version unless the process hears each
write announce it (PostgreSQL, ``register_state.heard``). The client's rate limits are
counted as the view counts them (a client over its limit goes on to the view, which refuses it
in the usual shape), and a conditional request is answered 304 from the kept ETag. Everything
else goes to the view; a cacheable 200 that the view returns is kept.

Because the version is replaced in the same transaction as every write, a reader that sees
the new version also sees the write, and nothing cached under an older version is served
again. Where the version is heard rather than read, an answer may be that of the version
before a write for the milliseconds its announcement takes to reach the process. Entries also expire after ``TIMEOUT`` seconds, which bounds what a write that
bypasses the services (raw SQL) could leave stale.

The cache is the "responses" alias (config/settings): Redis, shared by the workers, when
REDIS_URL is set, memory per worker otherwise. READ_CACHE=0 turns this off.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.module_loading import import_string

from core import register_state
from core.api.views import not_modified
from core.representations import code_version

CACHE_ALIAS = "responses"
PREFIX = "/api/v1/"
MAX_BODY = 512 * 1024  # larger answers (a source with its whole file) are not kept
TIMEOUT = 60
# Media types a client may accept for the cached JSON: each is answered with JSON anyway.
JSON_TYPES = frozenset({"", "*/*", "application/*", "application/json"})
# Headers a 304 does not carry.
BODY_HEADERS = frozenset({"content-type", "content-length"})


@dataclass(frozen=True)
class Entry:
    """A kept 200 but its body (kept apart, under ``body_key``, so that a conditional request
    answered 304 neither fetches nor unpickles it): its headers, those a 304 sends, its ETag,
    and the rate limits its view applies. ``answer`` names this answer: its body is kept as
    (answer, content), and served with these headers only when the names agree (two workers
    storing the same key at once may each write one of the two entries last)."""

    answer: str
    headers: tuple[tuple[str, str], ...]
    headers_304: tuple[tuple[str, str], ...]
    etag: str | None
    throttles: tuple[str, ...]
    throttle_scope: str | None


def body_key(key: str) -> str:
    return f"{key}:body"


# In every key: a release that keeps its answers in another shape reads none of an older one's
# (workers of both share Redis during a rolling deploy).
FORMAT = "entry-" + register_state.shape(Entry) + "-body-(answer,content)"


def cacheable_request(request: HttpRequest) -> bool:
    """A public read of the API asking for JSON, from a client without credentials."""
    if request.method != "GET" or not request.path_info.startswith(PREFIX):
        return False
    if "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    accept = request.META.get("HTTP_ACCEPT", "")
    return all(part.split(";")[0].strip().lower() in JSON_TYPES for part in accept.split(","))


def cache_key(request: HttpRequest) -> str:
    """The format of kept answers, the register version, the day, the representations'
    shapes and the absolute URL.

    The version is the one this process heard announced where it listens (no query; at most
    milliseconds behind a commit), else the one the database holds."""
    parts = (
        FORMAT,
        register_state.heard() or register_state.version(),
        timezone.localdate().isoformat(),
        code_version(),
        # The absolute URL as sent (what the answer's links are built from); the raw query
        # string, not a normalised one, is cheaper and at worst keeps two entries for one URL.
        f"{request.scheme}://{request.get_host()}{request.path}?{request.META.get('QUERY_STRING', '')}",
    )
    return "read:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


class PublicReadCacheMiddleware:
    """Serve repeated public reads from the cache (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (settings.READ_CACHE and cacheable_request(request)):
            return self.get_response(request)
        # The version is read before the view runs: what the view reads is at least as new.
        key = cache_key(request)
        cache = caches[CACHE_ALIAS]
        entry, body = _kept(cache, key, conditional="HTTP_IF_NONE_MATCH" in request.META)
        if entry is not None:
            fresh = entry.etag is not None and not_modified(request, entry.etag)
            if not fresh and body is None:
                body = cache.get(body_key(key))
            # A body evicted, or another answer's, leaves the answer to the view, which alone
            # then counts the request against the limits.
            whole = fresh or (body is not None and body[0] == entry.answer)
            if whole and _allowed(request, entry):
                return (
                    _not_modified(entry.headers_304) if fresh else _response(body[1], entry.headers)
                )
        # The view answers in full, so that a client that only ever revalidates (its requests
        # all conditional) fills the cache too; the condition is applied here.
        condition = request.META.pop("HTTP_IF_NONE_MATCH", None)
        request.__dict__.pop("headers", None)  # a cached view of META
        response = self.get_response(request)
        if condition is not None:
            request.META["HTTP_IF_NONE_MATCH"] = condition
            request.__dict__.pop("headers", None)
        entry = _entry(request, response)
        if entry is not None:
            cache.set_many({key: entry, body_key(key): (entry.answer, response.content)}, TIMEOUT)
        etag = response.get("ETag")
        if response.status_code == 200 and etag and not_modified(request, etag):
            return _not_modified(_headers_304(response.items()))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The DRF view class that answers, for its rate limits.
        request.read_cache_view = getattr(view_func, "cls", None)


def _entry(request: HttpRequest, response: HttpResponse) -> Entry | None:
    """What to keep of the view's response: a public JSON 200 of a DRF view, or nothing."""
    view = getattr(request, "read_cache_view", None)
    if view is None or response.status_code != 200 or response.streaming or response.cookies:
        return None
    if not response.get("Content-Type", "").startswith("application/json"):
        return None
    if len(response.content) > MAX_BODY:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    headers = tuple(response.items())
    return Entry(
        answer=secrets.token_hex(8),
        headers=headers,
        headers_304=_headers_304(headers),
        etag=response.get("ETag"),
        throttles=tuple(f"{c.__module__}.{c.__qualname__}" for c in view.throttle_classes),
        throttle_scope=getattr(view, "throttle_scope", None),
    )


@functools.cache
def _throttle_class(path: str) -> type:
    return import_string(path)


def _allowed(request: HttpRequest, entry: Entry) -> bool:
    """Count the request against the rate limits its view applies, as the view would."""
    request.user = AnonymousUser()  # what authentication finds without credentials
    view = SimpleNamespace(throttle_scope=entry.throttle_scope)
    return all(_throttle_class(path)().allow_request(request, view) for path in entry.throttles)


def _kept(cache, key: str, *, conditional: bool) -> tuple[Entry | None, tuple | None]:
    """The kept entry, with its body unless the request is conditional (likely a 304, which
    needs none): one round trip to the cache (a conditional request that is not answered 304
    then fetches the body in a second)."""
    if conditional:
        return cache.get(key), None
    found = cache.get_many([key, body_key(key)])
    return found.get(key), found.get(body_key(key))


def _response(content: bytes, headers) -> HttpResponse:
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def _headers_304(headers) -> tuple[tuple[str, str], ...]:
    """A 200's headers less those that describe its body."""
    return tuple((name, value) for name, value in headers if name.lower() not in BODY_HEADERS)


def _not_modified(headers) -> HttpResponse:
    """304 Not Modified with these headers."""
    response = HttpResponseNotModified()
    for name, value in headers:
        response[name] = value
    return response
