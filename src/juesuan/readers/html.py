"""Web pages (.html) → ``Document``: block text as lines, ``<table>`` as grids.

Row and column spans are spread over the cells they cover.  Scripts, styles and navigation
chrome are dropped; the element path of each table is kept as its source.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from juesuan.errors import UnreadableDocument
from juesuan.model import Source
from juesuan.readers.document import Document, Line, TableBlock
from juesuan.readers.grid import GCell, Grid
from juesuan.readers.normalize import clean_line, looks_traditional
from juesuan.readers.text import decode

BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "br", "tr",
         "dt", "dd", "pre", "blockquote", "caption", "ul", "ol", "header", "footer", "center"}
SKIP = {"script", "style", "noscript", "head", "nav", "form", "select", "option", "button", "svg"}


def _grid(table, index: int, traditional: bool) -> Grid:
    placed: dict[tuple[int, int], GCell] = {}
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in placed:
                c += 1
            text = clean_line(" ".join(td.itertext()).strip(), traditional)
            rs = max(1, min(int(td.get("rowspan", "1") or 1), 200))
            cs = max(1, min(int(td.get("colspan", "1") or 1), 50))
            cell = GCell(text, Source(table_index=index, path=f"第{r + 1}行第{c + 1}列"))
            for dr in range(rs):
                for dc in range(cs):
                    placed[(r + dr, c + dc)] = cell
            c += cs
    if not placed:
        return Grid([], name=f"第{index + 1}个表格")
    nr = max(k[0] for k in placed) + 1
    nc = max(k[1] for k in placed) + 1
    rows = [[placed.get((r, c), GCell("", Source(table_index=index))) for c in range(nc)]
            for r in range(nr)]
    return Grid(rows, name=f"第{index + 1}个表格")


def read_html_document(path: Path) -> Document:
    import lxml.html

    text = decode(path.read_bytes(), path.name)
    try:
        root = lxml.html.fromstring(text)
    except Exception as exc:  # lxml raises ParserError on empty or broken documents
        raise UnreadableDocument("无法解析网页文件", where=path.name) from exc
    for bad in root.xpath("//script|//style|//noscript|//nav"):
        bad.drop_tree()
    traditional = looks_traditional(root.text_content())
    blocks: list[Line | TableBlock] = []
    buffer: list[str] = []
    tables = 0

    def flush(el) -> None:
        line = clean_line(" ".join("".join(buffer).split()), traditional)
        buffer.clear()
        if line:
            heading = int(el.tag[1]) if isinstance(el.tag, str) and el.tag in {
                "h1", "h2", "h3", "h4", "h5", "h6"} else None
            blocks.append(Line(line, Source(path=root.getroottree().getpath(el)), heading=heading))

    def walk(el) -> None:
        nonlocal tables
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP:
            return
        if tag == "table":
            flush(el)
            grid = _grid(el, tables, traditional)
            if grid.rows:
                blocks.append(TableBlock(grid, Source(table_index=tables,
                                                      path=root.getroottree().getpath(el))))
            tables += 1
            if el.tail:
                buffer.append(el.tail)
            return
        if tag in BLOCK:
            flush(el)
        if el.text:
            buffer.append(el.text)
        for child in el:
            walk(child)
        if tag in BLOCK:
            flush(el)
        if el.tail:
            buffer.append(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush(root)
    if not blocks:
        raise UnreadableDocument("网页中没有文字", where=path.name)
    return Document(blocks, path.name, "html", sha256=hashlib.sha256(path.read_bytes()).hexdigest())
