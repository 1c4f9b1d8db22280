"""What every importer shares: the error that refuses a file before anything is written, and
the one safe way to read an official list's XML."""

from __future__ import annotations

import contextlib
import re

from lxml import etree


class ImportFailure(Exception):
    """The file cannot be imported; the message names the file, the line or record, the problem."""

    def __init__(self, file: str, where: str | None, problem: str) -> None:
        self.file, self.where, self.problem = file, where, problem
        super().__init__(f"{file}: {where}: {problem}" if where else f"{file}: {problem}")


# Only used to word the refusal; the refusal itself comes from the parser's doctype event.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s+(SYSTEM|PUBLIC)?")
_SUBSET_END = re.compile(rb"\]\s*>")
_NEWLINE = b"\n"
_REFUSED = "refused, official lists carry no DOCTYPE or entity declarations"


def xml_parse(data: bytes, *, file: str) -> etree._Element:
    """The root element of an official list's XML; raise ImportFailure for a file with a
    DOCTYPE (external entities, entity expansion) or that is not well-formed XML.

    The DOCTYPE is refused before the tree is built, and the parser never resolves entities,
    loads a DTD or touches the network, so nothing the file declares is ever expanded.
    """
    if _has_doctype(data):
        raise _doctype_refusal(data, file)
    root = _parse(data, file)
    if root.getroottree().docinfo.internalDTD is not None:  # in case the first pass missed it
        raise _doctype_refusal(data, file)
    return root


class _Prolog:
    """A parser target that stops at the first DOCTYPE or element, whichever comes first."""

    class Stop(Exception):
        pass

    doctype_seen = False

    def doctype(self, name, public_id, system_url):
        self.doctype_seen = True
        raise self.Stop

    def start(self, tag, attrib, nsmap=None):
        raise self.Stop

    def close(self):
        return None


def _has_doctype(data: bytes) -> bool:
    prolog = _Prolog()
    # A syntax error is left to the full parse, which reports it with its line.
    with contextlib.suppress(_Prolog.Stop, etree.XMLSyntaxError):
        etree.fromstring(data, _parser(target=prolog))
    return prolog.doctype_seen


def _parser(**options) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=True,
        **options,
    )


def _parse(data: bytes, file: str) -> etree._Element:
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise ImportFailure(
            file, f"line {line}" if line else None, f"not well-formed XML ({exc.msg})"
        ) from None


def _doctype_refusal(data: bytes, file: str) -> ImportFailure:
    start = data.find(b"<!DOCTYPE")
    if start < 0:  # e.g. UTF-16 text: the parser saw a DOCTYPE these bytes do not spell
        return ImportFailure(file, None, f"the file has a DOCTYPE declaration: {_REFUSED}")
    where = f"line {data.count(_NEWLINE, 0, start) + 1}"
    # Entities are declared only in an internal subset: "[" before the DOCTYPE's first ">".
    first_close = data.find(b">", start)
    opening = data.find(b"[", start, first_close)
    closing = _SUBSET_END.search(data, opening) if opening >= 0 else None
    declarations = _ENTITY_DECLARATION.findall(data, start, closing.end()) if closing else []
    external = [name.decode(errors="replace") for _, name, kind in declarations if kind]
    internal = [name.decode(errors="replace") for _, name, kind in declarations if not kind]
    if external:
        problem = f"the DOCTYPE declares an external entity ({', '.join(external)})"
    elif internal:
        problem = (
            f"the DOCTYPE declares internal entities ({', '.join(internal)}), "
            "whose expansion could grow without bound"
        )
    else:
        problem = "the file has a DOCTYPE declaration"
    return ImportFailure(file, where, f"{problem}: {_REFUSED}")
