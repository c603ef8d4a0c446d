"""PDF with a text layer → ``Document``.

pdfium (pypdfium2) gives the characters with their boxes in reading order and the vector paths;
from the ruling lines we rebuild each table as a grid of cells (merged cells included), put each
character into its cell, and keep the remaining text as lines.  A table cut by a page break is
joined with its continuation.  A PDF without a text layer is refused with a clear message: an
empty result would look like a clean document.

Coordinates in sources are PDF points from the top-left corner of the page: (x0, top, x1, bottom).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.errors import UnreadableDocument
from juesuan.model import ReadIssue, Source
from juesuan.readers.document import Document, Line, TableBlock
from juesuan.readers.grid import GCell, Grid, is_amount
from juesuan.readers.normalize import clean_line, looks_traditional

RULE_THICKNESS = 2.5  # a path thinner than this is a line, not a box
SNAP = 2.0  # positions closer than this are the same ruling line
MIN_TABLE_CELLS = 2
MAX_REPEATED_HEADER = 6  # header rows a continued table may repeat on the next page
PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$|^第\s*\d+\s*页")


@dataclass
class Char:
    ch: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Seg:
    """A ruling line: horizontal (y fixed, x from a to b) or vertical (x fixed, y from a to b)."""

    horizontal: bool
    pos: float
    a: float
    b: float


@dataclass
class PageTable:
    page: int
    xs: list[float]
    ys: list[float]
    rows: list[list[GCell]]
    bbox: tuple[float, float, float, float]
    chars_used: set[int] = field(default_factory=set)


def _cluster(values: list[float], tol: float = SNAP) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _snap(v: float, anchors: list[float]) -> float:
    return min(anchors, key=lambda a: abs(a - v))


def _merge_segments(segs: list[Seg]) -> list[Seg]:
    """Join collinear pieces (a table border is often drawn cell by cell)."""
    out: list[Seg] = []
    for horizontal in (True, False):
        same = [s for s in segs if s.horizontal == horizontal]
        # snap first: sorting by raw position would interleave pieces of one line drawn at
        # 304.43 and 304.45, and the sweep below would then drop some of them
        anchors = _cluster([s.pos for s in same])
        same = [Seg(horizontal, _snap(s.pos, anchors), s.a, s.b) for s in same]
        group = sorted(same, key=lambda s: (s.pos, s.a))
        current: Seg | None = None
        for s in group:
            if current and abs(s.pos - current.pos) <= SNAP and s.a <= current.b + SNAP:
                current.b = max(current.b, s.b)
            else:
                if current:
                    out.append(current)
                current = Seg(horizontal, s.pos, s.a, s.b)
        if current:
            out.append(current)
    return out


def _segments(page, height: float) -> list[Seg]:
    import pypdfium2.raw as pdfium_c

    segs: list[Seg] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = obj.get_bounds()
        x0, x1, y0, y1 = left, right, height - top, height - bottom
        w, h = x1 - x0, y1 - y0
        if h <= RULE_THICKNESS and w >= 4:
            segs.append(Seg(True, (y0 + y1) / 2, x0, x1))
        elif w <= RULE_THICKNESS and h >= 4:
            segs.append(Seg(False, (x0 + x1) / 2, y0, y1))
        elif w > RULE_THICKNESS and h > RULE_THICKNESS and w * h < 400_000:  # a drawn box
            segs += [Seg(True, y0, x0, x1), Seg(True, y1, x0, x1),
                     Seg(False, x0, y0, y1), Seg(False, x1, y0, y1)]
    return _merge_segments(segs)


def _regions(segs: list[Seg]) -> list[list[Seg]]:
    """Groups of ruling lines that touch each other: one group per table."""
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, s in enumerate(segs) if s.horizontal]
    vs = [i for i, s in enumerate(segs) if not s.horizontal]
    for i in hs:
        h = segs[i]
        for j in vs:
            v = segs[j]
            if h.a - SNAP <= v.pos <= h.b + SNAP and v.a - SNAP <= h.pos <= v.b + SNAP:
                parent[find(i)] = find(j)
    groups: dict[int, list[Seg]] = {}
    for i, s in enumerate(segs):
        groups.setdefault(find(i), []).append(s)
    return [g for g in groups.values() if sum(s.horizontal for s in g) >= 2
            and sum(not s.horizontal for s in g) >= 2]


def _covered(segs: list[Seg], horizontal: bool, pos: float, a: float, b: float) -> bool:
    """Is there a ruling line at ``pos`` covering most of [a, b]?"""
    need = (b - a) * 0.5
    for s in segs:
        if s.horizontal == horizontal and abs(s.pos - pos) <= SNAP:
            overlap = min(s.b, b) - max(s.a, a)
            if overlap >= need:
                return True
    return False


def _cell_text(chars: list[Char]) -> str:
    """Characters of one cell in reading order: lines top to bottom, joined with newlines.

    A character belongs to a line when its centre lies within the line's vertical band, so
    punctuation sitting on the baseline and digits set in another font stay on their line.
    """
    chars = [c for c in chars if not c.ch.isspace()]
    if not chars:
        return ""
    lines: list[tuple[float, float, list[Char]]] = []  # (top, bottom, chars)
    for c in sorted(chars, key=lambda c: c.bottom - c.top, reverse=True):  # tall glyphs first
        for k, (top, bottom, members) in enumerate(lines):
            if top - 1 <= c.cy <= bottom + 1:
                members.append(c)
                lines[k] = (min(top, c.top), max(bottom, c.bottom), members)
                break
        else:
            lines.append((c.top, c.bottom, [c]))
    lines.sort(key=lambda x: x[0])
    return "\n".join("".join(c.ch for c in sorted(m, key=lambda c: c.x0)) for _, _, m in lines)


def _build_table(region: list[Seg], chars: list[Char], page: int) -> PageTable | None:
    xs = _cluster([s.pos for s in region if not s.horizontal])
    ys = _cluster([s.pos for s in region if s.horizontal])
    if len(xs) < 2 or len(ys) < 2 or (len(xs) - 1) * (len(ys) - 1) < MIN_TABLE_CELLS:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    snapped = [Seg(s.horizontal, _snap(s.pos, ys if s.horizontal else xs), s.a, s.b) for s in region]
    # union elementary cells not separated by a ruling line
    parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(snapped, False, xs[c + 1], ys[r], ys[r + 1]):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < nr and not _covered(snapped, True, ys[r + 1], xs[c], xs[c + 1]):
                parent[find((r + 1, c))] = find((r, c))
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k in parent:
        spans.setdefault(find(k), []).append(k)
    box = {}
    for root, members in spans.items():
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        box[root] = (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
    inside: dict[tuple[int, int], list[Char]] = {root: [] for root in spans}
    used: set[int] = set()
    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    for i, ch in enumerate(chars):
        if not (x_lo <= ch.cx <= x_hi and y_lo <= ch.cy <= y_hi):
            continue
        c = next((k for k in range(nc) if xs[k] <= ch.cx <= xs[k + 1]), None)
        r = next((k for k in range(nr) if ys[k] <= ch.cy <= ys[k + 1]), None)
        if c is None or r is None:
            continue
        inside[find((r, c))].append(ch)
        used.add(i)
    texts = {root: _cell_text(cs) for root, cs in inside.items()}
    rows = []
    for r in range(nr):
        row = []
        for c in range(nc):
            root = find((r, c))
            x0, top, x1, bottom = box[root]
            src = Source(page=page, bbox=(round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1)))
            row.append(GCell(texts[root], src))
        rows.append(row)
    return PageTable(page, xs, ys, rows, (x_lo, y_lo, x_hi, y_hi), used)


def _page_chars(page, height: float) -> tuple[list[Char], list[list[int]]]:
    """Characters, and the indices of each text line as pdfium orders them."""
    import pypdfium2.raw as pdfium_c

    tp = page.get_textpage()
    n = tp.count_chars()
    chars: list[Char] = []
    lines: list[list[int]] = [[]]
    for i in range(n):
        code = pdfium_c.FPDFText_GetUnicode(tp.raw, i)
        ch = chr(code) if code else ""
        if ch in ("\r", "\n"):
            if lines[-1]:
                lines.append([])
            continue
        if not ch or ch == "\x02":  # soft hyphen marker
            continue
        left, bottom, right, top = tp.get_charbox(i)
        chars.append(Char(ch, left, height - top, right, height - bottom))
        lines[-1].append(len(chars) - 1)
    return chars, [ln for ln in lines if ln]


def _one_visual_line(chars: list[Char]) -> bool:
    """Do all characters sit on one line (their vertical centres within the tallest glyph)?"""
    tall = max(c.bottom - c.top for c in chars)
    centres = [c.cy for c in chars if not c.ch.isspace()]
    return bool(centres) and max(centres) - min(centres) <= tall * 0.6


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _same_columns(a: PageTable, b: PageTable) -> bool:
    if len(a.xs) != len(b.xs):
        return False
    return all(abs(x - y) <= 3 for x, y in zip(a.xs, b.xs, strict=True))


def read_pdf_document(path: Path) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium raises PdfiumError for damaged or encrypted files
        raise UnreadableDocument("无法打开 PDF（文件损坏或有密码）", where=path.name) from exc
    issues: list[ReadIssue] = []
    pages: list[tuple[list[Line], list[PageTable], float]] = []
    total_chars, empty_pages = 0, []
    for pno in range(len(pdf)):
        page = pdf[pno]
        _, height = page.get_size()
        chars, char_lines = _page_chars(page, height)
        visible = sum(1 for c in chars if not c.ch.isspace())
        total_chars += visible
        if visible == 0 and _has_image(page):
            empty_pages.append(pno + 1)
        tables = [t for t in (_build_table(r, chars, pno + 1) for r in _regions(_segments(page, height)))
                  if t is not None]
        used = set().union(*(t.chars_used for t in tables)) if tables else set()
        lines = []
        for idx in char_lines:
            keep = [chars[i] for i in idx if i not in used]
            if keep and _one_visual_line(keep):
                # left to right: some producers write quotes or digits in a later text run
                keep.sort(key=lambda c: c.x0)
            text = "".join(c.ch for c in keep).strip()
            if not text:
                continue
            top = min(c.top for c in keep)
            bottom = max(c.bottom for c in keep)
            if PAGE_NUMBER.match(text) and (top < 80 or bottom > height - 80):
                continue  # page number in the margin
            bbox = (round(min(c.x0 for c in keep), 1), round(top, 1),
                    round(max(c.x1 for c in keep), 1), round(bottom, 1))
            lines.append(Line(text, Source(page=pno + 1, bbox=bbox),
                              size=round(max(c.bottom - c.top for c in keep), 1)))
        pages.append((lines, sorted(tables, key=lambda t: t.bbox[1]), height))
    if total_chars == 0 and len(pdf) > 0:
        raise UnreadableDocument("扫描件，暂无法读取文字（PDF 中没有文字层，需要先做文字识别）",
                                 where=path.name)
    if empty_pages:
        issues.append(ReadIssue(message=f"第{'、'.join(map(str, empty_pages))}页没有文字层"
                                "（可能是扫描图片），这些页的内容未能读取。"))
    traditional = looks_traditional("".join(ln.text for ls, _, _ in pages for ln in ls))
    blocks: list[Line | TableBlock] = []
    last_table: PageTable | None = None
    last_block_table: TableBlock | None = None
    for lines, tables, _ in pages:
        items: list[tuple[float, object]] = [(ln.source.bbox[1], ln) for ln in lines]  # type: ignore[index]
        items += [(t.bbox[1], t) for t in tables]
        items.sort(key=lambda x: x[0])
        for n, (_, item) in enumerate(items):
            if isinstance(item, Line):
                item.text = clean_line(item.text, traditional)
                if item.text:
                    blocks.append(item)
                continue
            t: PageTable = item  # type: ignore[assignment]
            for row in t.rows:
                for c in row:
                    c.text = clean_line(c.text, traditional)
            continues = (n == 0 and last_table is not None and last_block_table is not None
                         and blocks and blocks[-1] is last_block_table and _same_columns(last_table, t))
            if continues:
                rows = t.rows
                first = last_block_table.grid.rows  # type: ignore[union-attr]
                repeated = 0  # header rows printed again at the top of the page
                while (repeated < min(len(rows), len(first), MAX_REPEATED_HEADER)
                       and [c.text for c in rows[repeated]] == [c.text for c in first[repeated]]
                       and not any(is_amount(c) for c in rows[repeated])):
                    repeated += 1
                last_block_table.grid.rows.extend(rows[repeated:])  # type: ignore[union-attr]
            else:
                last_block_table = TableBlock(Grid(rows=t.rows, name=f"第{t.page}页的表格"),
                                              Source(page=t.page, bbox=tuple(round(v, 1) for v in t.bbox)))
                blocks.append(last_block_table)
            last_table = t
        if items and not isinstance(items[-1][1], PageTable):
            last_table = None
    return Document(blocks, path.name, "pdf", pages=len(pdf), issues=issues,
                    sha256=hashlib.sha256(path.read_bytes()).hexdigest())
