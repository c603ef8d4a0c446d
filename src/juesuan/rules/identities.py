"""Linear identities between cells, and their evaluation with rounding tolerance.

Table formulas, the 类/款/项 hierarchy and the cross-table relations all reduce to one shape:
``lhs = Σ ± term`` (or ``lhs ≥ Σ term`` for relations that only bound).  Evaluating them in one
place gives one tolerance policy, and lets the culprit analysis (``culprit.py``) reason about
all of them together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from juesuan.catalog import level_of, parent_of
from juesuan.money import ZERO, tolerance
from juesuan.rules.context import CellRef, Context
from juesuan.rules.findings import Severity
from juesuan.tables import Formula, TableSpec, Term

Relation = Literal["eq", "ge"]
Status = Literal["ok", "rounding", "fail"]

MAX_NAMED_TERMS = 6


@dataclass(frozen=True)
class Identity:
    rule: str
    family: str
    lhs: CellRef
    terms: tuple[tuple[int, CellRef], ...]
    relation: Relation = "eq"
    severity: Severity = Severity.ERROR
    title: str | None = None

    def cells(self) -> tuple[CellRef, ...]:
        return (self.lhs, *(ref for _, ref in self.terms))

    def coefficient(self, ref: CellRef) -> int:
        """Coefficient of ``ref`` in ``lhs - Σ sign·term``."""
        c = 1 if ref == self.lhs else 0
        for sign, t in self.terms:
            if t == ref:
                c -= sign
        return c


@dataclass(frozen=True)
class Outcome:
    identity: Identity
    lhs: Decimal | None
    rhs: Decimal
    residual: Decimal
    tolerance: Decimal
    status: Status


def evaluate(ctx: Context, ident: Identity) -> Outcome | None:
    """``None`` when there is nothing to check (every cell empty)."""
    lhs = ctx.value(ident.lhs)
    rhs = ZERO
    present = 0
    for sign, ref in ident.terms:
        v = ctx.value(ref)
        if v is not None:
            present += 1
            rhs += v if sign > 0 else -v
    if lhs is None and present == 0:
        return None
    residual = (lhs or ZERO) - rhs
    tol = tolerance(present)
    if ident.relation == "ge":
        status: Status = "ok" if residual >= 0 else ("rounding" if -residual <= tol else "fail")
    elif residual == 0:
        status = "ok"
    else:
        status = "rounding" if abs(residual) <= tol else "fail"
    return Outcome(ident, lhs, rhs, residual, tol, status)


# ------------------------------------------------------------------------------ naming
def describe(ctx: Context, ident: Identity) -> str:
    """``本年收入合计 = 一般公共预算财政拨款收入 + … + 其他收入`` in the words of the tables."""
    refs = ident.cells()
    tables = {r.table for r in refs}
    rows = {r.row for r in refs}
    cols = {r.col for r in refs}
    if len(tables) == 1 and len(cols) == 1:
        name = lambda r: ctx.row_label(r.table, r.row)  # noqa: E731
    elif len(tables) == 1 and len(rows) == 1:
        name = lambda r: ctx.col_label(r.table, r.col)  # noqa: E731
    else:
        name = lambda r: ctx.cell_name(r, with_table=len(tables) > 1)  # noqa: E731
    terms = list(ident.terms)
    shown = terms if len(terms) <= MAX_NAMED_TERMS else [*terms[:2], None, terms[-1]]
    parts = []
    for i, t in enumerate(shown):
        if t is None:
            parts.append(" + …")
            continue
        sign, ref = t
        op = ("" if sign > 0 else "−") if i == 0 else (" + " if sign > 0 else " − ")
        parts.append(f"{op}{name(ref)}")
    rel = "=" if ident.relation == "eq" else "≥"
    return f"{name(ident.lhs)} {rel} {''.join(parts)}"


# ------------------------------------------------------------------ formulas and hierarchy
def formula_identities(ctx: Context, spec: TableSpec) -> Iterator[Identity]:
    """Instantiate each printed formula: a row formula in every column of its row, a column
    formula on every row of the document that has the column, a cell formula once."""
    table = ctx.table(spec.key)
    if table is None:
        return
    for f in spec.formulas:
        if f.kind == "cell":
            places = [(None, None)]
        elif f.kind == "row":
            places = [(None, c.key) for c in spec.columns_for_row(f.lhs.row)]  # type: ignore[arg-type]
        else:
            places = [(r.key, None) for r in table.rows
                      if any(c.key == f.lhs.col for c in spec.columns_for_row(r.key))]
        for row, col in places:
            yield _instantiate(spec.key, f, row, col)


def _instantiate(table: str, f: Formula, row: str | None, col: str | None) -> Identity:
    def at(t: Term) -> CellRef:  # a row term takes the column, a column term the row
        return CellRef(table, t.row or row, t.col or col)  # type: ignore[arg-type]

    sev = Severity.ERROR if f.severity == "error" else Severity.WARNING
    terms = tuple((t.sign, at(t)) for t in f.terms)
    return Identity(f"{table}.{f.id}", "表内公式", at(f.lhs), terms, "eq", sev, f.title)


def hierarchy_identities(ctx: Context, spec: TableSpec) -> Iterator[Identity]:
    """类 = Σ款, 款 = Σ项, 合计 = Σ类 in every amount column of a coded table."""
    table = ctx.table(spec.key)
    if table is None or not spec.hierarchy:
        return
    kind = "function" if spec.classification == "function" else "economic"
    coded = [r for r in table.rows if r.code and level_of(r.code, kind)]
    children: dict[str, list[str]] = {}
    for r in coded:
        p = parent_of(r.code)  # type: ignore[arg-type]
        if p is not None:
            children.setdefault(p, []).append(r.key)
    classes = [r.key for r in coded if len(r.code) == 3]  # type: ignore[arg-type]
    total = spec.total_key if spec.total_key and table.row(spec.total_key) else None
    for col in spec.columns:
        for r in coded:
            kids = children.get(r.code)  # type: ignore[arg-type]
            if kids:
                rule = f"{spec.key}.H.{'class' if len(r.code) == 3 else 'item'}"  # type: ignore[arg-type]
                yield Identity(rule, "层级", CellRef(spec.key, r.key, col.key),
                               tuple((1, CellRef(spec.key, k, col.key)) for k in kids))
        if total and classes:
            yield Identity(f"{spec.key}.H.total", "层级", CellRef(spec.key, total, col.key),
                           tuple((1, CellRef(spec.key, k, col.key)) for k in classes))


def table_identities(ctx: Context) -> Iterator[Identity]:
    for spec in ctx.profile.tables:
        yield from formula_identities(ctx, spec)
        yield from hierarchy_identities(ctx, spec)
