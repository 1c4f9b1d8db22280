"""Cut the committed UN list excerpts from the full files in ../shared/data (run once, by hand).

Each excerpt keeps the file's own header, a few whole records byte for byte, and the closing
tags, so quotes and offsets behave as in the full files.

    python tests/sanctions/data/make_excerpts.py ../shared/data/un
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


if __name__ == "__main__":
    source = Path(sys.argv[1])
    for name, references in WANTED.items():
        text = (source / name).read_text(encoding="utf-8")
        out = Path(__file__).with_name(name.replace(".xml", "_excerpt.xml"))
        out.write_text(excerpt(text, references), encoding="utf-8")
        print(
            out, len(re.findall("<REFERENCE_NUMBER>", out.read_text(encoding="utf-8"))), "records"
        )
