"""What every rule sees: the disclosure, its profile, the catalog, and how to name a cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.catalog import Catalog
from juesuan.model import Cell, Disclosure, Row, Source, Table
from juesuan.rules.findings import Location
from juesuan.tables import Profile, TableSpec


@dataclass(frozen=True, order=True)
class CellRef:
    table: str
    row: str
    col: str

    def __str__(self) -> str:
        return f"{self.table}:{self.row}:{self.col}"


@dataclass
class Context:
    disclosure: Disclosure
    profile: Profile
    catalog: Catalog
    _tables: dict[str, Table] = field(default_factory=dict)
    _rows: dict[tuple[str, str], Row] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # rules look cells up tens of thousands of times: index once, here
        self._tables = {t.key: t for t in self.disclosure.tables}
        self._rows = {(t.key, r.key): r for t in self.disclosure.tables for r in t.rows}

    # -- access ------------------------------------------------------------------------------
    def spec(self, key: str) -> TableSpec | None:
        return self.profile.table(key)

    def table(self, key: str) -> Table | None:
        return self._tables.get(key)

    def cell(self, ref: CellRef) -> Cell | None:
        r = self._rows.get((ref.table, ref.row))
        return r.cells.get(ref.col) if r is not None else None

    def value(self, ref: CellRef) -> Decimal | None:
        r = self._rows.get((ref.table, ref.row))
        if r is None:
            return None
        c = r.cells.get(ref.col)
        return c.value if c is not None else None

    # -- naming ------------------------------------------------------------------------------
    def row_label(self, table: str, row: str) -> str:
        spec = self.spec(table)
        t = self.table(table)
        r = t.row(row) if t is not None else None
        if spec is not None and (spec.row(row) is not None or row == spec.total_key):
            return spec.row_label(row)
        if r is not None and r.code:
            return f"{r.code} {r.label or ''}".strip()
        return r.label if r is not None and r.label else row

    def col_label(self, table: str, col: str) -> str:
        spec = self.spec(table)
        c = spec.column(col) if spec else None
        return c.label if c else col

    def cell_name(self, ref: CellRef, *, with_table: bool = False) -> str:
        spec = self.spec(ref.table)
        row = self.row_label(ref.table, ref.row)
        name = row
        if spec is None or len(spec.columns_for_row(ref.row)) > 1:
            name = f"{row}·{self.col_label(ref.table, ref.col)}"
        if with_table:
            name = f"表{spec.number if spec else ref.table} {name}"
        return name

    def table_name(self, key: str) -> str:
        spec = self.spec(key)
        t = self.table(key)
        if spec is not None:
            number = t.number if t is not None and t.number else spec.number
            return f"表{number}《{spec.title}》"
        return t.title if t is not None and t.title else key

    def locate(self, ref: CellRef) -> Location:
        cell = self.cell(ref)
        t = self.table(ref.table)
        r = t.row(ref.row) if t is not None else None
        src: Source | None = (cell.source if cell else None) or (r.source if r else None)
        src = src or (t.source if t else None)
        return Location(
            table=ref.table,
            table_name=self.table_name(ref.table),
            row=ref.row,
            row_label=self.row_label(ref.table, ref.row),
            column=ref.col,
            column_label=self.col_label(ref.table, ref.col),
            **source_fields(src),
        )

    def locate_row(self, table: str, row: str) -> Location:
        t = self.table(table)
        r = t.row(row) if t is not None else None
        return Location(
            table=table, table_name=self.table_name(table), row=row,
            row_label=self.row_label(table, row),
            **source_fields((r.source if r else None) or (t.source if t else None)),
        )

    def locate_table(self, key: str) -> Location:
        t = self.table(key)
        return Location(table=key, table_name=self.table_name(key),
                        **source_fields(t.source if t else None))


def source_fields(src: Source | None) -> dict:
    if src is None:
        return {}
    return {
        "source": src.describe() or None,
        "page": src.page,
        "bbox": src.bbox if src.page else None,
        "sheet": src.sheet,
        "cell": src.cell,
        "line": src.line,
    }
