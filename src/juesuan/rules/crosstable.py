"""Cross-table identities (domain.md §2): the same money seen from two tables.

Tables and columns are found by canonical key and column *role*, never by position, so the
rules hold for every profile whose tables declare those roles.  A relation that needs a table
the disclosure does not have is skipped (the completeness rule reports the missing table).
"""

from __future__ import annotations

from collections.abc import Iterator

from juesuan.money import ZERO
from juesuan.rules.context import CellRef, Context
from juesuan.rules.findings import Severity
from juesuan.rules.identities import Identity

FAMILY = "表间"

#: T1 income rows and the T2 column role that must show the same total.
T1_T2_INCOME = {
    "inc_superior": "superior",
    "inc_business": "business",
    "inc_operating": "operating",
    "inc_affiliated": "affiliated",
    "inc_other": "other",
}

#: 三公 actual columns (T9) that bound what table 6 shows for the same item in 基本支出.
T9_T6_ITEMS = {
    "actual_abroad": "30212",
    "actual_reception": "30217",
    "actual_car_running": "30231",
    "actual_car_purchase": "31013",
}


class _Builder:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def col(self, table: str, role: str, side: str | None = None) -> str | None:
        spec = self.ctx.spec(table)
        if spec is None or self.ctx.table(table) is None:
            return None
        c = spec.column_by_role(role, side)
        return c.key if c else None

    def ref(self, table: str, row: str | None, role: str, side: str | None = None):
        col = self.col(table, role, side)
        if col is None or row is None:
            return None
        return CellRef(table, row, col)

    def nonzero(self, ref: CellRef | None) -> bool:
        return ref is not None and self.ctx.value(ref) not in (None, ZERO)

    def total_row(self, table: str) -> str | None:
        spec = self.ctx.spec(table)
        return spec.total_key if spec else None

    def class_rows(self, table: str) -> list[str]:
        """Keys of the 类 rows a table shows (coded rows of 3 digits, or T1/T4 class rows)."""
        t, spec = self.ctx.table(table), self.ctx.spec(table)
        if t is None:
            return []
        out = []
        for r in t.rows:
            code = r.code or (spec.row(r.key).code if spec and spec.row(r.key) else None)
            if code and len(code) == 3:
                out.append(r.key)
        return out

    def coded_rows(self, table: str) -> list[str]:
        t = self.ctx.table(table)
        return [r.key for r in t.rows if r.code] if t is not None else []


def _eq(rule, lhs, *terms, severity=Severity.ERROR, title=None) -> Identity | None:
    if lhs is None or any(t is None for t in terms):
        return None
    return Identity(rule, FAMILY, lhs, tuple((1, t) for t in terms), "eq", severity, title)


def _ge(rule, lhs, rhs, title=None) -> Identity | None:
    if lhs is None or rhs is None:
        return None
    return Identity(rule, FAMILY, lhs, ((1, rhs),), "ge", Severity.WARNING, title)


def cross_identities(ctx: Context) -> Iterator[Identity]:
    b = _Builder(ctx)
    out: list[Identity | None] = []
    t1_inc = lambda row: b.ref("T1", row, "amount", "income")  # noqa: E731
    t1_exp = lambda row: b.ref("T1", row, "amount", "expenditure")  # noqa: E731

    # T1 ↔ T2: income by source
    t2 = b.total_row("T2")
    out.append(_eq("X.T1-T2.inc_total", t1_inc("inc_total"), b.ref("T2", t2, "total")))
    fiscal = [t1_inc(k) for k in ("inc_gpb", "inc_gf", "inc_sc")
              if ctx.spec("T1") and ctx.spec("T1").row(k)]
    out.append(_eq("X.T1-T2.fiscal", b.ref("T2", t2, "fiscal"), *fiscal,
                   title="表2 财政拨款收入合计 = 表1 三项财政拨款收入之和"))
    for row, role in T1_T2_INCOME.items():
        out.append(_eq(f"X.T1-T2.{row}", t1_inc(row), b.ref("T2", t2, role)))

    # T1 ↔ T3: expenditure by class
    t3 = b.total_row("T3")
    out.append(_eq("X.T1-T3.exp_total", t1_exp("exp_total"), b.ref("T3", t3, "total")))
    t1_classes = [k for k in b.class_rows("T1") if b.nonzero(t1_exp(k))]
    for code in sorted(set(t1_classes) | set(b.class_rows("T3"))):
        out.append(_eq("X.T1-T3.class", t1_exp(code), b.ref("T3", code, "total")))

    # T1 ↔ T4: fiscal income rows
    for row in ("inc_gpb", "inc_gf", "inc_sc"):
        if ctx.spec("T4") and ctx.spec("T4").row(row):
            out.append(_eq("X.T1-T4.income", b.ref("T4", row, "amount", "income"), t1_inc(row)))
    # T1 opening/closing balances include the fiscal ones of T4
    out.append(_ge("X.T1-T4.opening", t1_inc("inc_opening"), b.ref("T4", "inc_opening", "amount")))
    out.append(_ge("X.T1-T4.closing", t1_exp("exp_closing"), b.ref("T4", "exp_closing", "total")))

    # T4 fund columns ↔ T5 / T7 / T8
    for fund_role, table, rule in (("gpb", "T5", "X.T4-T5"), ("gf", "T7", "X.T4-T7"),
                                   ("sc", "T8", "X.T4-T8")):
        if b.col("T4", fund_role) is None or ctx.table(table) is None:
            continue
        out.append(_eq(f"{rule}.total", b.ref("T4", "exp_total", fund_role),
                       b.ref(table, b.total_row(table), "total")))
        t4_nonzero = [k for k in b.class_rows("T4") if b.nonzero(b.ref("T4", k, fund_role))]
        for code in sorted(set(t4_nonzero) | set(b.class_rows(table))):
            out.append(_eq(f"{rule}.class", b.ref("T4", code, fund_role),
                           b.ref(table, code, "total")))
    # T4 fund income and balances ↔ T7 / T8 (where those tables show them)
    for fund, table in (("gf", "T7"), ("sc", "T8")):
        total = b.total_row(table)
        if b.col(table, "income") is None:
            continue
        out.append(_eq(f"X.T4-{table}.income", b.ref("T4", f"inc_{fund}", "amount", "income"),
                       b.ref(table, total, "income")))
        out.append(_eq(f"X.T4-{table}.opening",
                       b.ref("T4", f"inc_opening_{fund}", "amount", "income"),
                       b.ref(table, total, "opening")))
        out.append(_eq(f"X.T4-{table}.closing", b.ref("T4", "exp_closing", fund),
                       b.ref(table, total, "closing")))

    # T5 basic = T6 personnel + public
    t6 = ctx.spec("T6")
    if t6 is not None and ctx.table("T6") is not None:
        groups = [CellRef("T6", g.total, "C1") for g in t6.groups]
        out.append(_eq("X.T5-T6.basic", b.ref("T5", b.total_row("T5"), "basic"), *groups,
                       title="表5 基本支出合计 = 表6 人员经费合计 + 公用经费合计"))

    # T3 covers T5 row by row; equal when all money is 一般公共预算财政拨款
    only_gpb = _only_gpb(ctx, b)
    for row in sorted(set(b.coded_rows("T5")) | ({b.total_row("T5")} - {None})):
        t3_row = b.total_row("T3") if row == b.total_row("T5") else row
        for role in ("total", "basic", "project"):
            lhs, rhs = b.ref("T3", t3_row, role), b.ref("T5", row, role)
            if only_gpb:
                out.append(_eq("X.T3-T5.equal", lhs, rhs,
                               title="单位只有一般公共预算财政拨款时，表3 与表5 逐行相等"))
            else:
                out.append(_ge("X.T3-T5.cover", lhs, rhs))

    # 三公 actuals (T9) cover what T6 shows for the same items in basic expenditure
    t9 = ctx.table("T9")
    if t9 is not None and t9.rows:
        for role, code in T9_T6_ITEMS.items():
            out.append(_ge("X.T6-T9.sangong", b.ref("T9", t9.rows[0].key, role),
                           CellRef("T6", code, "C1") if ctx.table("T6") else None))
    yield from (i for i in out if i is not None)


def _only_gpb(ctx: Context, b: _Builder) -> bool:
    """True when table 1 shows no money other than 一般公共预算财政拨款 and no balances."""
    if ctx.table("T1") is None:
        return False
    others = ("inc_gf", "inc_sc", "inc_superior", "inc_business", "inc_operating",
              "inc_affiliated", "inc_other", "inc_nonfiscal_balance", "inc_opening")
    return not any(b.nonzero(b.ref("T1", row, "amount", "income")) for row in others)
