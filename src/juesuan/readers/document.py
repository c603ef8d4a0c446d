"""The format-neutral form every reader produces: an ordered list of text lines and tables.

PDF, DOCX, HTML, text and spreadsheet readers only turn their format into a ``Document``;
``assemble.py`` turns any ``Document`` into a ``Disclosure`` (tables identified by title and
header against the profile specs, narrative split into sections, figures in the text parsed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from juesuan.model import ReadIssue, Source
from juesuan.readers.grid import Grid


@dataclass
class Line:
    text: str
    source: Source
    heading: int | None = None  # level when the format marks headings (DOCX style, <h2>, ##)
    size: float | None = None  # font size, when known


@dataclass
class TableBlock:
    grid: Grid
    source: Source
    caption: str | None = None


Block = Line | TableBlock


@dataclass
class Document:
    blocks: list[Block]
    file: str
    format: str
    pages: int | None = None
    issues: list[ReadIssue] = field(default_factory=list)
    sha256: str | None = None

    def lines(self) -> list[Line]:
        return [b for b in self.blocks if isinstance(b, Line)]

    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks if isinstance(b, TableBlock)]
