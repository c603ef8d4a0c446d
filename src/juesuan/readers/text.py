"""Plain text and Markdown → ``Document``.

Text pasted from disclosures, or converted from their PDFs, carries tables in a few shapes:

* rows with cells separated by tabs (most converters), or by ``|`` (Markdown, web pages);
* one cell per line, each ending in `` |`` or not, when a web page flattened a table;
* HTML tags left over in cells (``<b>201</b>``, ``<p>…</p>``, checkbox inputs).

Lines are kept with their 1-based number as the source.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from juesuan.errors import UnreadableDocument
from juesuan.model import Source
from juesuan.money import is_amount_text
from juesuan.readers.document import Document, Line, TableBlock
from juesuan.readers.grid import GCell, Grid
from juesuan.readers.normalize import clean_line, looks_traditional

TAG = re.compile(r"<[^>]{1,200}>")
MD_HEADING = re.compile(r"^(#{1,6})\s+")
MD_RULE = re.compile(r"^\|?\s*:?-{3,}")


def decode(raw: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "gb18030", "big5"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("无法识别文字编码（不是 UTF-8、GBK 或 Big5）", where=name)


def _strip_tags(text: str) -> str:
    return TAG.sub("", text).replace("&nbsp;", " ").replace("&amp;", "&").strip()


def _cells(line: str) -> list[str] | None:
    """The cells of a table row, or None when the line is not one."""
    if "\t" in line.strip("\t") or line.count("\t") >= 2:
        return [_strip_tags(c) for c in line.split("\t")]
    if (line.count("|") >= 2 and not line.strip().endswith("|")) or line.strip().startswith("|"):
        parts = line.strip().strip("|").split("|")
        if len(parts) >= 2:
            return [_strip_tags(c) for c in parts]
    return None


def _cell_per_line(items: list[tuple[int, str]]) -> list[list[tuple[int, str]]] | None:
    """Rebuild a table flattened to one cell per line: find the row length that makes the
    columns most consistent (numbers under numbers, text under text)."""
    cells = [(n, t.rstrip("|").strip()) for n, t in items]
    if len(cells) < 6:
        return None
    best, best_score = None, 0.0
    for width in range(2, min(13, len(cells) // 2 + 1)):
        rows = [cells[i:i + width] for i in range(0, len(cells), width)]
        if len(rows) < 2:
            continue
        score = 0.0
        for c in range(width):
            col = [r[c][1] for r in rows[1:] if c < len(r)]
            nums = sum(1 for v in col if v and is_amount_text(v))
            texts = sum(1 for v in col if v and not is_amount_text(v))
            score += max(nums, texts) / max(1, len(col))
        score /= width
        if score > best_score + 0.02:
            best, best_score = rows, score
    return best if best_score >= 0.8 else None


def read_text_document(path: Path) -> Document:
    text = decode(path.read_bytes(), path.name)
    raw_lines = text.splitlines()
    traditional = looks_traditional(text)
    blocks: list[Line | TableBlock] = []
    pending: list[tuple[int, list[str]]] = []
    flat: list[tuple[int, str]] = []

    def flush_table() -> None:
        if len(pending) >= 2:
            width = max(len(c) for _, c in pending)
            rows = [[GCell(clean_line(c, traditional), Source(line=n)) for c in cells]
                    + [GCell("", Source(line=n))] * (width - len(cells)) for n, cells in pending]
            blocks.append(TableBlock(Grid(rows, name=f"第{pending[0][0]}行起的表格"),
                                     Source(line=pending[0][0])))
        else:
            for n, cells in pending:
                blocks.append(Line(clean_line(" ".join(cells), traditional), Source(line=n)))
        pending.clear()

    def flush_flat() -> None:
        rows = _cell_per_line(flat)
        if rows:
            width = max(len(r) for r in rows)
            grid = [[GCell(clean_line(t, traditional), Source(line=n)) for n, t in r]
                    + [GCell("", Source(line=r[-1][0]))] * (width - len(r)) for r in rows]
            blocks.append(TableBlock(Grid(grid, name=f"第{flat[0][0]}行起的表格"),
                                     Source(line=flat[0][0])))
        else:
            for n, t in flat:
                blocks.append(Line(clean_line(t.rstrip("|").strip(), traditional), Source(line=n)))
        flat.clear()

    for n, line in enumerate(raw_lines, start=1):
        if not line.strip():
            continue
        if MD_RULE.match(line.strip()):
            continue
        stripped = line.strip()
        if stripped.endswith(" |") and stripped.count("|") == 1:
            if pending:
                flush_table()
            flat.append((n, stripped))
            continue
        if flat:
            flush_flat()
        cells = _cells(line)
        if cells is not None and sum(1 for c in cells if c) >= 1:
            pending.append((n, cells))
            continue
        if pending:
            flush_table()
        heading = None
        m = MD_HEADING.match(stripped)
        if m:
            heading = len(m.group(1))
            stripped = stripped[m.end():]
        stripped = _strip_tags(re.sub(r"^[-*]\s+", "", stripped)).strip("*").strip()
        cleaned = clean_line(stripped, traditional)
        if cleaned:
            blocks.append(Line(cleaned, Source(line=n), heading=heading))
    if flat:
        flush_flat()
    if pending:
        flush_table()
    if not blocks:
        raise UnreadableDocument("文件中没有文字", where=path.name)
    return Document(blocks, path.name, "txt", sha256=hashlib.sha256(path.read_bytes()).hexdigest())
