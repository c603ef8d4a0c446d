"""Compute what the officer left blank: totals, 类/款 rows, and the summary tables.

In the input workbook only leaves need typing (项 rows, detail tables); every total that can be
derived is computed here from the same identities the checker uses, and marked ``derived``.
A total the officer did type is left alone — the checker then compares it with its parts.
Published documents are never completed this way: a blank there is what was published.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.catalog import Catalog, level_of, parent_of
from juesuan.model import Cell, Disclosure, Row, Table
from juesuan.money import ZERO
from juesuan.rules.context import Context
from juesuan.rules.crosstable import cross_identities
from juesuan.rules.findings import Severity
from juesuan.rules.identities import Identity, table_identities
from juesuan.tables import Profile, TableSpec, load_profile

MAX_PASSES = 12
SUMMARY_TABLES = ("T1", "T4")


def complete_hierarchy(table: Table, spec: TableSpec, catalog: Catalog) -> int:
    """Add the missing 款/类 rows (and 合计) above the 项 rows of a coded table."""
    if spec.kind != "coded" or not spec.hierarchy or spec.groups:
        return 0
    kind = "function" if spec.classification == "function" else "economic"
    have = {r.code for r in table.rows if r.code}
    added = 0
    for code in sorted(have):
        parent = parent_of(code) if level_of(code, kind) else None
        while parent and parent not in have:
            entry = catalog.lookup(parent)
            table.add_row(Row(key=parent, code=parent, label=entry.name if entry else None))
            have.add(parent)
            added += 1
            parent = parent_of(parent)
    if spec.total_key and table.row(spec.total_key) is None and have:
        table.add_row(Row(key=spec.total_key, label=spec.total_row.label))  # type: ignore[union-attr]
        added += 1
    if added:
        total = [r for r in table.rows if r.key == spec.total_key]
        coded = sorted((r for r in table.rows if r.code), key=lambda r: r.code or "")
        other = [r for r in table.rows if not r.code and r.key != spec.total_key]
        bottom = spec.total_row is not None and spec.total_row.position == "bottom"
        table.rows = [*coded, *other, *total] if bottom else [*total, *coded, *other]
        table._index = None
    return added


def _derivable(ident: Identity) -> bool:
    if ident.relation != "eq" or ident.severity is not Severity.ERROR:
        return False
    if ident.family == "表间":
        return ident.lhs.table in SUMMARY_TABLES and ident.rule != "X.T3-T5.equal"
    return True


def fill_blanks(d: Disclosure, profile: Profile | None = None,
                catalog: Catalog | None = None) -> int:
    """Fill blank left-hand cells of identities whose parts are known; returns cells filled."""
    profile = profile or load_profile(d.profile)
    catalog = catalog or Catalog(d.year)
    for t in d.tables:
        spec = profile.table(t.key)
        if spec is not None:
            complete_hierarchy(t, spec, catalog)
    filled = 0
    strict = True
    for _ in range(MAX_PASSES * 2):
        ctx = Context(d, profile, catalog)
        changed = 0
        derivable = [i for i in [*table_identities(ctx), *cross_identities(ctx)] if _derivable(i)]
        pending = {i.lhs for i in derivable if ctx.value(i.lhs) is None}
        for ident in derivable:
            if ctx.value(ident.lhs) is not None:
                continue
            values = [ctx.value(ref) for _, ref in ident.terms]
            if all(v is None for v in values):
                continue
            if strict and any(v is None and ref in pending
                              for (_, ref), v in zip(ident.terms, values, strict=True)):
                continue  # a part is itself a total still to be computed: wait for the next pass
            total = sum(((v or ZERO) * s for (s, _), v in zip(ident.terms, values, strict=True)),
                        ZERO)
            table = ctx.table(ident.lhs.table)
            if table is None or table.row(ident.lhs.row) is None:
                continue
            row = table.row(ident.lhs.row)
            row.cells[ident.lhs.col] = Cell(value=Decimal(total), derived=True)  # type: ignore[union-attr]
            pending.discard(ident.lhs)
            changed += 1
        filled += changed
        if not changed:
            if not strict:
                break
            strict = False  # what is still pending has no parts at all: count those as zero
        else:
            strict = True
    return filled
