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
from juesuan.tables import ColumnSpec, Profile, RowSpec, TableSpec

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
