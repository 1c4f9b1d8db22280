"""The API reads JSON only, up to documented limits of size and nesting."""

import re

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

from core.api.exceptions import PayloadTooLarge

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def nesting_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects in a JSON text nest deeper than limit (strings skipped)."""
    depth = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size limit (API_MAX_BODY_BYTES: 413) and a nesting limit
    (API_JSON_MAX_DEPTH: 400 naming it, never a RecursionError), checked before parsing."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        raw = stream.read(settings.API_MAX_BODY_BYTES + 1)
        if len(raw) > settings.API_MAX_BODY_BYTES:
            raise PayloadTooLarge()
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        limit = settings.API_JSON_MAX_DEPTH
        if nesting_exceeds(text, limit):
            raise ParseError(f"JSON parse error - arrays and objects nest deeper than {limit}.")
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
