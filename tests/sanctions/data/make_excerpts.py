"""Cut the committed list excerpts from the full files in ../shared/data (run once, by hand).

Each excerpt keeps whole records byte for byte (the UN file's own header and closing tags; the
SDN file's cp1252 bytes, CRLF line ends and final 0x1A), so quotes and offsets behave as in
the full files.

    python tests/sanctions/data/make_excerpts.py ../shared/data
"""

import re
import sys
from pathlib import Path

WANTED = {
    "un_consolidated_2020-11-30.xml": [
        "KPi.001",
        "KPi.002",
        "KPe.001",
        "TAi.005",
        "IQe.003",
        "SDi.001",
    ],
    "un_consolidated_2025-04-19.xml": [
        "KPi.001",
        "KPi.002",
        "KPe.001",
        "TAi.005",
        "HTi.001",
        "SDi.001",
    ],
}


def excerpt(text: str, references: list[str]) -> str:
    head = text[: text.index("<INDIVIDUALS>") + len("<INDIVIDUALS>")]
    parts = {"INDIVIDUAL": [], "ENTITY": []}
    for reference in references:
        position = text.index(f"<REFERENCE_NUMBER>{reference}</REFERENCE_NUMBER>")
        tag = (
            "INDIVIDUAL"
            if text.rfind("<INDIVIDUAL>", 0, position) > text.rfind("<ENTITY>", 0, position)
            else "ENTITY"
        )
        start = text.rfind(f"<{tag}>", 0, position)
        end = text.index(f"</{tag}>", position) + len(f"</{tag}>")
        parts[tag].append(text[start:end])
    return (
        head
        + "\n"
        + "\n".join(parts["INDIVIDUAL"])
        + "\n</INDIVIDUALS>\n<ENTITIES>\n"
        + "\n".join(parts["ENTITY"])
        + "\n</ENTITIES>\n</CONSOLIDATED_LIST>\n"
    )


SDN_WANTED = {
    "ofac_sdn_2022-02-17.csv": ["36", "9345", "12209", "17614", "17069", "22611", "27307"],
    "ofac_sdn_2024-05-03.csv": ["36", "9345", "12209", "17614", "17069", "17013", "27307"],
}


def sdn_excerpt(data: bytes, entries: list[str]) -> bytes:
    lines = data.rstrip(b"\x1a").split(b"\r\n")
    kept = [line for line in lines if line.split(b",", 1)[0] in {e.encode() for e in entries}]
    return b"\r\n".join(kept) + b"\r\n\x1a"


# USSR-DPRK 1961, China-DPRK 1961, Russia-DPRK 2000; Peru-Bolivia 1873 (secret, renounceable);
# Russia-Tajikistan 1993 (military aid, integrated command, bases)
ATOP_WANTED = {"3440", "3445", "4940", "1305", "4470"}


def atop_excerpt(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return lines[0] + "".join(line for line in lines[1:] if line.split(",", 1)[0] in ATOP_WANTED)


if __name__ == "__main__":
    root = Path(sys.argv[1])
    for name in ("atop_alliance_level.csv", "atop_member_level.csv"):
        out = Path(__file__).with_name(name.replace(".csv", "_excerpt.csv"))
        out.write_text(
            atop_excerpt((root / "atop" / name).read_text(encoding="utf-8")), encoding="utf-8"
        )
        print(out)
    for name, entries in SDN_WANTED.items():
        out = Path(__file__).with_name(name.replace(".csv", "_excerpt.csv"))
        out.write_bytes(sdn_excerpt((root / "ofac" / name).read_bytes(), entries))
        print(out)
    source = root / "un"
    for name, references in WANTED.items():
        text = (source / name).read_text(encoding="utf-8")
        out = Path(__file__).with_name(name.replace(".xml", "_excerpt.xml"))
        out.write_text(excerpt(text, references), encoding="utf-8")
        print(
            out, len(re.findall("<REFERENCE_NUMBER>", out.read_text(encoding="utf-8"))), "records"
        )
