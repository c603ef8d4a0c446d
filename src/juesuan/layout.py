"""How each standard table is laid out on a grid (workbook sheet, and later DOCX/HTML tables).

One function per table kind turns a ``TableSpec`` into header cells (with merges) and tells where
each model cell goes.  The workbook writer uses it to write, the generic grid reader reads any
grid laid out like this (and like the official tables, which this imitates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from juesuan import yaml_io
from juesuan.model import Cell, Row, Table
from juesuan.tables import ColumnSpec, Profile, RowSpec, TableSpec, render_formula

FIELDS_FILE = Path(__file__).parent / "workbook_fields.yaml"


@dataclass
class HeaderCell:
    row: int  # 0-based within the header block
    col: int  # 0-based column
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Block:
    """One side of a table (or one group of table 6): label column(s) and amount columns."""

    side: str | None
    columns: tuple[ColumnSpec, ...]
    label_col: int  # where the label (项目 / 科目名称) goes
    code_col: int | None = None
    line_col: int | None = None
    first_amount_col: int = 0
    rows: list[RowSpec | None] = field(default_factory=list)  # fixed layouts: row per line


@dataclass
class Layout:
    spec: TableSpec
    width: int
    header: list[HeaderCell]
    header_rows: int
    line_row: bool  # a 栏次 row follows the header
    blocks: list[Block]

    def amount_col(self, block: Block, col_key: str) -> int:
        for i, c in enumerate(block.columns):
            if c.key == col_key:
                return block.first_amount_col + i
        raise KeyError(col_key)


def sheet_name(spec: TableSpec) -> str:
    """``表1 收入支出决算总表`` — at most 31 characters (Excel's limit)."""
    return f"表{spec.number} {spec.title}"[:31]


# ------------------------------------------------------------------------------- header
def _header_for(columns: list[tuple[int, tuple[str, ...]]], depth: int) -> list[HeaderCell]:
    """Merge a set of column paths (col index, path of labels) into header cells."""
    cells: list[HeaderCell] = []
    for level in range(depth):
        i = 0
        while i < len(columns):
            col, path = columns[i]
            if level >= len(path):
                i += 1
                continue
            if level == len(path) - 1:  # leaf: spans down to the bottom
                cells.append(HeaderCell(level, col, path[level], rowspan=depth - level))
                i += 1
                continue
            j = i
            while (j + 1 < len(columns) and len(columns[j + 1][1]) > level + 1
                   and columns[j + 1][1][: level + 1] == path[: level + 1]
                   and columns[j + 1][0] == columns[j][0] + 1):
                j += 1
            cells.append(HeaderCell(level, col, path[level], colspan=j - i + 1))
            i = j + 1
    return cells


def _path(c: ColumnSpec) -> tuple[str, ...]:
    return (*c.path, c.header)


def layout(spec: TableSpec) -> Layout:
    if spec.sides:
        return _two_sided(spec)
    if spec.groups:
        return _grouped(spec)
    if spec.kind == "coded":
        return _coded(spec)
    return _single_row(spec)


def _has_lines(spec: TableSpec) -> bool:
    return any(c.line for c in spec.columns)


def _coded(spec: TableSpec) -> Layout:
    paths = [(2 + i, _path(c)) for i, c in enumerate(spec.columns)]
    depth = max(len(p) for _, p in paths)
    kind = "功能分类" if spec.classification == "function" else "经济分类"
    header = [
        HeaderCell(0, 0, f"{kind}科目编码", rowspan=depth),
        HeaderCell(0, 1, "科目名称", rowspan=depth),
        *_header_for(paths, depth),
    ]
    block = Block(None, spec.columns, label_col=1, code_col=0, first_amount_col=2)
    return Layout(spec, 2 + len(spec.columns), header, depth, _has_lines(spec), [block])


def _single_row(spec: TableSpec) -> Layout:
    paths = [(i, _path(c)) for i, c in enumerate(spec.columns)]
    depth = max(len(p) for _, p in paths)
    block = Block(None, spec.columns, label_col=-1, first_amount_col=0)
    return Layout(spec, len(spec.columns), _header_for(paths, depth), depth, _has_lines(spec),
                  [block])


def _side_rows(spec: TableSpec, side: str) -> list[RowSpec]:
    return [r for r in spec.rows if r.side == side]


def _two_sided(spec: TableSpec) -> Layout:
    with_lines = all(r.line for r in spec.rows)
    blocks: list[Block] = []
    header: list[HeaderCell] = []
    col = 0
    sides = list(spec.sides)
    per_side_cols = {s: spec.columns_for_side(s) for s in sides}
    depth = 1 + max(max(len(_path(c)) for c in cols) for cols in per_side_cols.values())
    for side in sides:
        cols = per_side_cols[side]
        start = col
        label_col, line_col = col, (col + 1 if with_lines else None)
        first = col + (2 if with_lines else 1)
        width = (first - start) + len(cols)
        header.append(HeaderCell(0, start, spec.sides[side], colspan=width))
        header.append(HeaderCell(1, label_col, "项目", rowspan=depth - 1))
        if line_col is not None:
            header.append(HeaderCell(1, line_col, "行次", rowspan=depth - 1))
        sub = _header_for([(first + i, _path(c)) for i, c in enumerate(cols)], depth - 1)
        for h in sub:
            h.row += 1
        header.extend(sub)
        blocks.append(Block(side, cols, label_col=label_col, line_col=line_col,
                            first_amount_col=first))
        col += width
    _place_rows(spec, blocks, with_lines)
    return Layout(spec, col, header, depth, _has_lines(spec), blocks)


def _place_rows(spec: TableSpec, blocks: list[Block], with_lines: bool) -> None:
    """Which spec row sits on which grid line, per side (as in the official tables)."""
    if with_lines:
        for b in blocks:
            rows = _side_rows(spec, b.side)  # type: ignore[arg-type]
            first = min(r.line for r in rows)  # type: ignore[type-var]
            last = max(r.line for r in rows)  # type: ignore[type-var]
            b.rows = [None] * (last - first + 1)
            for r in rows:
                b.rows[r.line - first] = r  # type: ignore[operator]
        n = max(len(b.rows) for b in blocks)
        for b in blocks:
            b.rows += [None] * (n - len(b.rows))
        return
    # no 行次: bodies top-aligned, then the total rows, the last (总计) on the last line
    parts = []
    for b in blocks:
        rows = _side_rows(spec, b.side)  # type: ignore[arg-type]
        first_total = next((i for i, r in enumerate(rows) if r.total), len(rows))
        parts.append((rows[:first_total], rows[first_total:-1], rows[-1:]))
    body = max(len(p[0]) for p in parts)
    middle = max(len(p[1]) for p in parts)
    for b, (top, mid, last) in zip(blocks, parts, strict=True):
        b.rows = [*top, *[None] * (body - len(top)), *mid, *[None] * (middle - len(mid)), *last]


def _grouped(spec: TableSpec) -> Layout:
    """Table 6: groups side by side (人员经费 | 公用经费), each 编码 | 科目名称 | 决算数."""
    header: list[HeaderCell] = []
    blocks: list[Block] = []
    amount = spec.columns[0]
    for gi, g in enumerate(spec.groups):
        base = gi * 3
        header.append(HeaderCell(0, base, g.label, colspan=3))
        kind = "经济分类" if spec.classification == "economic" else "功能分类"
        header.append(HeaderCell(1, base, f"{kind}科目编码"))
        header.append(HeaderCell(1, base + 1, "科目名称"))
        header.append(HeaderCell(1, base + 2, amount.header))
        rows = [r for r in spec.rows if r.code and r.code[:3] in g.classes]
        blocks.append(Block(g.key, spec.columns, label_col=base + 1, code_col=base,
                            first_amount_col=base + 2, rows=list(rows)))
    n = max(len(b.rows) for b in blocks)
    for b, g in zip(blocks, spec.groups, strict=True):
        b.rows += [None] * (n - len(b.rows))
        b.rows.append(spec.row(g.total))
    return Layout(spec, 3 * len(spec.groups), header, 2, False, blocks)


# -------------------------------------------------------------------------------- body
@dataclass
class GridCell:
    """One body cell of a laid-out table, whatever the output format."""

    kind: str  # label | code | line | amount | empty
    text: str | None = None
    cell: Cell | None = None  # the model cell behind an amount
    total: bool = False  # a 合计/类/款 row: printed bold, computed when left blank
    row_key: str | None = None
    col_key: str | None = None


@dataclass
class Grid:
    """A table as the official layout prints it: header cells (with spans), an optional 栏次 row
    and body rows of exactly ``layout.width`` cells.  Writers only style what they get here."""

    layout: Layout
    line_row: list[str] | None
    rows: list[list[GridCell]]


def printed_notes(spec: TableSpec) -> list[str]:
    """The lines every copy of the table carries under it: its 注 and its printed formulas."""
    notes = [f"注：{spec.note}"] if spec.note else []
    formulas = [render_formula(f, spec) for f in spec.formulas if f.printed]
    if formulas:
        notes.append("；".join(formulas) + "。")
    return notes


def own_notes(spec: TableSpec, table: Table | None) -> list[str]:
    """The notes the document itself wrote under the table (not the template's 注)."""
    return [n for n in (table.notes if table else []) if n != spec.note]


def grid(spec: TableSpec, table: Table | None, blank_rows: int = 0) -> Grid:
    """Place ``table`` (``None`` for an empty template, with ``blank_rows`` for coded tables)."""
    lay = layout(spec)
    if spec.groups:
        rows = _grid_grouped(spec, lay, table)
    elif spec.kind == "coded":
        rows = _grid_coded(spec, lay, table, blank_rows)
    else:
        rows = _grid_fixed(spec, lay, table)
    line_row = None
    if lay.line_row:
        line_row = [""] * lay.width
        for b in lay.blocks:
            if b.label_col >= 0:
                line_row[b.label_col] = "栏次"
            for i, c in enumerate(b.columns):
                line_row[b.first_amount_col + i] = str(c.line or "")
    return Grid(lay, line_row, rows)


def _empty_row(width: int) -> list[GridCell]:
    return [GridCell("empty") for _ in range(width)]


def _amounts(out: list[GridCell], b: Block, row_key: str | None, table: Table | None, total: bool,
             cells: dict[str, Cell] | None = None) -> None:
    for i, c in enumerate(b.columns):
        if cells is not None:
            cell = cells.get(c.key)
        else:
            cell = table.cell(row_key, c.key) if (table is not None and row_key) else None
        out[b.first_amount_col + i] = GridCell("amount", cell=cell, total=total, row_key=row_key,
                                               col_key=c.key)


def _grid_fixed(spec: TableSpec, lay: Layout, table: Table | None) -> list[list[GridCell]]:
    if not spec.sides:  # a single row of amounts (三公)
        out = _empty_row(lay.width)
        _amounts(out, lay.blocks[0], spec.rows[0].key, table, False)
        return [out]
    n = max(len(b.rows) for b in lay.blocks)
    # 行次 of each block's first grid line (its first placed row's line, minus the blank lines above)
    line0 = {id(b): next(x.line - i for i, x in enumerate(b.rows) if x is not None)  # type: ignore[operator]
             for b in lay.blocks if b.line_col is not None}
    rows = []
    for k in range(n):
        out = _empty_row(lay.width)
        for b in lay.blocks:
            rs = b.rows[k] if k < len(b.rows) else None
            out[b.label_col] = GridCell("label", rs.label if rs else None, total=bool(rs and rs.total),
                                        row_key=rs.key if rs else None)
            if b.line_col is not None:
                out[b.line_col] = GridCell("line", str(line0[id(b)] + k))
            _amounts(out, b, rs.key if rs else None, table, bool(rs and rs.total))
        rows.append(out)
    return rows


def _grid_coded(spec: TableSpec, lay: Layout, table: Table | None,
                blank_rows: int) -> list[list[GridCell]]:
    total_key = spec.total_key
    doc_rows: list[Row | None] = list(table.rows) if table else [None] * blank_rows
    total = next((r for r in doc_rows if r is not None and r.key == total_key), None)
    body = [r for r in doc_rows if r is None or r.key != total_key]
    if total_key and total is None:
        total = Row(key=total_key, label=spec.total_row.label)  # type: ignore[union-attr]
    head = [total] if total_key else []
    ordered = [*body, *head] if spec.total_row and spec.total_row.position == "bottom" else [*head, *body]
    b = lay.blocks[0]
    rows = []
    for r in ordered:
        out = _empty_row(lay.width)
        if r is None:
            out[b.code_col] = GridCell("code")  # type: ignore[index]
            out[b.label_col] = GridCell("label")
            _amounts(out, b, None, None, False)
        else:
            is_total = r.key == total_key or bool(r.code and len(r.code) < 7)
            label = spec.total_row.label if r.key == total_key else r.label  # type: ignore[union-attr]
            out[b.code_col] = GridCell("code", r.code, total=is_total, row_key=r.key)  # type: ignore[index]
            out[b.label_col] = GridCell("label", label, total=is_total, row_key=r.key)
            _amounts(out, b, r.key, table, is_total, cells=r.cells)
        rows.append(out)
    return rows


def _grid_grouped(spec: TableSpec, lay: Layout, table: Table | None) -> list[list[GridCell]]:
    per_group: list[list[RowSpec | Row | None]] = []
    for b, g in zip(lay.blocks, spec.groups, strict=True):
        if table is not None:  # the document's own rows, grouped
            rows: list[RowSpec | Row | None] = [spec.row(r.key) or r for r in table.rows
                                                if r.code and r.code[:3] in g.classes]
        else:
            rows = [r for r in b.rows[:-1] if r is not None]
        per_group.append(rows)
    n = max(len(r) for r in per_group)
    for rows, g in zip(per_group, spec.groups, strict=True):
        rows += [None] * (n - len(rows))
        rows.append(spec.row(g.total))
    out_rows = []
    for k in range(n + 1):
        out = _empty_row(lay.width)
        for b, rows in zip(lay.blocks, per_group, strict=True):
            rs = rows[k]
            if rs is None:
                out[b.code_col] = GridCell("code")  # type: ignore[index]
                out[b.label_col] = GridCell("label")
                _amounts(out, b, None, None, False)
                continue
            doc = table.row(rs.key) if table else None
            code = getattr(rs, "code", None)
            total = rs.key.endswith("_total") or bool(code and len(code) == 3)
            out[b.code_col] = GridCell("code", code, total=total, row_key=rs.key)  # type: ignore[index]
            out[b.label_col] = GridCell("label", doc.label if doc and doc.label else rs.label,
                                        total=total, row_key=rs.key)
            _amounts(out, b, rs.key, table, total)
        out_rows.append(out)
    return out_rows


# ------------------------------------------------------------------------------ fields
@dataclass(frozen=True)
class FieldSpec:
    path: str
    label: str
    unit: str | None = None
    note: str | None = None
    kind: str = "amount"  # amount | int | date | text


@dataclass(frozen=True)
class FieldSheet:
    name: str
    intro: str
    fields: tuple[FieldSpec, ...]


@cache
def field_sheets() -> tuple[FieldSheet, ...]:
    data = yaml_io.load(FIELDS_FILE.read_text(encoding="utf-8"))
    out = []
    for s in data["sheets"]:
        fields = []
        for f in s["fields"]:
            kind = f.get("kind") or ("amount" if f["path"].startswith("others.") else "text")
            fields.append(FieldSpec(f["path"], f["label"], f.get("unit"), f.get("note"), kind))
        out.append(FieldSheet(s["name"], s.get("intro", ""), tuple(fields)))
    return tuple(out)


@cache
def text_fields() -> tuple[tuple[str, str], ...]:
    data = yaml_io.load(FIELDS_FILE.read_text(encoding="utf-8"))
    return tuple((t["key"], t["label"]) for t in data["texts"])


def get_path(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    return obj


def set_path(obj: Any, path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    if isinstance(obj, dict):
        obj[parts[-1]] = value
    else:
        setattr(obj, parts[-1], value)


def profile_sheet_names(profile: Profile) -> list[str]:
    return [sheet_name(t) for t in profile.tables]
