"""The 名词解释 part: the profile's standard terms and one entry per function 项 the unit used.

Terms are data (``glossary.yaml``); a 项 is explained by its official 科目说明 where the shipped
catalog has it, otherwise only named — the officer can write the text in the workbook
(说明文字, key ``glossary:<code>``) and the build lists the 项 still without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from juesuan import yaml_io
from juesuan.catalog import Catalog
from juesuan.model import Disclosure

GLOSSARY = Path(__file__).with_name("glossary.yaml")


@dataclass
class Entry:
    term: str
    text: str
    code: str | None = None
    entries: list[Entry] = field(default_factory=list)  # the 项 under a ``codes`` heading

    @property
    def explained(self) -> bool:
        return bool(self.text)


@cache
def _data() -> dict:
    return yaml_io.load(GLOSSARY.read_text(encoding="utf-8"))


def _nonzero(d: Disclosure, ref: str) -> bool:
    table, row, *col = ref.split(".")
    t = d.table(table)
    return bool(t.value(row, col[0] if col else "C1") if t is not None else None)


def glossary(d: Disclosure, items, catalog: Catalog, key: str) -> list[Entry]:
    """The entries of glossary ``key``; ``items``: the 项 the unit spent on (``code``, ``chain``)."""
    data = _data()
    terms = data["glossaries"].get(key) or data["glossaries"][data["default"]]
    out = []
    for t in terms:
        if "codes" in t:
            if items:
                out.append(Entry(t["codes"], "", entries=[
                    Entry(i.chain, d.texts.get(f"glossary:{i.code}") or catalog.description(i.code) or "",
                          i.code) for i in items]))
            continue
        if t.get("when") and not _nonzero(d, t["when"]):
            continue
        out.append(Entry(t["term"], d.texts.get(f"glossary:{t['term']}", t["text"])))
    return out
