"""Word (.docx) → ``Document``: paragraphs and tables in body order.

python-docx returns a merged cell once per grid position it covers, so merged headers spread
over their columns by themselves.  Sources are paragraph numbers and table numbers with row and
column (``第3个表格第5行第2列``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from juesuan.errors import UnreadableDocument
from juesuan.model import Source
from juesuan.readers.document import Document, Line, TableBlock
from juesuan.readers.grid import GCell, Grid
from juesuan.readers.normalize import clean_line, looks_traditional

HEADING_STYLE = re.compile(r"(Heading|标题)\s*(\d)")


def read_docx_document(path: Path) -> Document:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for damaged packages
        raise UnreadableDocument("无法打开 Word 文件（文件损坏或不是 .docx）", where=path.name) from exc
    body = document.element.body
    raw: list[tuple[str, object]] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            raw.append(("p", Paragraph(child, document)))
        elif tag == "tbl":
            raw.append(("t", DocxTable(child, document)))
    sample = " ".join(p.text for kind, p in raw[:400] if kind == "p")  # type: ignore[attr-defined]
    traditional = looks_traditional(sample)
    blocks: list[Line | TableBlock] = []
    pno = tno = 0
    for kind, item in raw:
        if kind == "p":
            p = item
            text = clean_line(p.text.strip(), traditional)  # type: ignore[attr-defined]
            if text:
                m = HEADING_STYLE.search(p.style.name or "") if p.style is not None else None  # type: ignore[attr-defined]
                blocks.append(Line(text, Source(paragraph=pno),
                                   heading=int(m.group(2)) if m else None))
            pno += 1
            continue
        table = item
        rows = []
        for i, row in enumerate(table.rows):  # type: ignore[attr-defined]
            cells = []
            for j, cell in enumerate(row.cells):
                text = clean_line("\n".join(p.text for p in cell.paragraphs).strip(), traditional)
                cells.append(GCell(text, Source(table_index=tno, path=f"第{i + 1}行第{j + 1}列")))
            rows.append(cells)
        width = max((len(r) for r in rows), default=0)
        for r in rows:
            r.extend(GCell("", r[-1].source if r else Source(table_index=tno)) for _ in range(width - len(r)))
        if rows:
            blocks.append(TableBlock(Grid(rows, name=f"第{tno + 1}个表格"), Source(table_index=tno)))
        tno += 1
    if not blocks:
        raise UnreadableDocument("Word 文件中没有文字", where=path.name)
    return Document(blocks, path.name, "docx", sha256=hashlib.sha256(path.read_bytes()).hexdigest())
