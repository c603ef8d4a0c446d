"""The few figures the library compares across units and years, computed once per document.

Amounts are kept as strings of ``Decimal`` (never floats) in the summary JSON.  The 类 → 款 → 项
tree for the drill-down is read from the stored disclosure itself when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.model import Disclosure, Table
from juesuan.money import ZERO

FIGURES = {  # key: (label, how to get it)
    "grand_total": "收入支出总计",
    "income_total": "本年收入合计",
    "expenditure_total": "本年支出合计",
    "fiscal_grand_total": "财政拨款收支总计",
    "gpb_expenditure": "一般公共预算财政拨款支出",
    "basic": "基本支出",
    "project": "项目支出",
    "sangong_total": "“三公”经费支出",
    "running_cost": "机关运行经费",
    "procurement_total": "政府采购支出",
}


def _detail(d: Disclosure) -> Table | None:
    """The coded table with money by function code: 表3 (all money), else 表5."""
    for key in ("T3", "T5"):
        t = d.table(key)
        if t is not None and any(r.code and r.value("C1") for r in t.rows):
            return t
    return None


def summarize(d: Disclosure) -> dict:
    """Totals, 基本/项目, 三公 and the structure by 类, as strings (empty when unknown)."""
    from juesuan.build.figures import figures

    out: dict = {}
    try:
        f = figures(d)
    except Exception:  # a partial document: keep what the tables give
        f = None
    if f is not None:
        v = f.values
        out.update({
            "grand_total": v.get("grand_total"), "income_total": v.get("income_total"),
            "expenditure_total": v.get("expenditure_total"),
            "fiscal_grand_total": v.get("fiscal_grand_total"),
            "gpb_expenditure": v.get("gpb_expenditure"),
            "basic": sum((p.amount for p in f.lists["expenditure"] if p.label == "基本支出"), ZERO),
            "project": sum((p.amount for p in f.lists["expenditure"] if p.label == "项目支出"), ZERO),
            "sangong_total": f.sangong.actual.get("total") if f.sangong else None,
            "running_cost": f.running_cost.current if f.running_cost else None,
            "procurement_total": v.get("total"),
        })
    t = _detail(d)
    out["classes"] = [{"code": r.code, "name": r.label or r.code, "amount": r.value("C1")}
                      for r in (t.rows if t else []) if r.code and len(r.code) == 3 and r.value("C1")]
    return _strings(out)


def _strings(obj):
    if isinstance(obj, Decimal):
        return f"{obj:f}"
    if isinstance(obj, dict):
        return {k: _strings(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_strings(v) for v in obj]
    return obj


@dataclass
class Node:
    code: str
    name: str
    amount: Decimal | None
    children: list[Node] = field(default_factory=list)


def tree(d: Disclosure, code: str | None = None) -> tuple[list[Node], list[Node]]:
    """(breadcrumb, children) of ``code`` (``None``: the 类) in the document's detail table."""
    t = _detail(d)
    rows = {r.code: r for r in (t.rows if t else []) if r.code}
    crumbs = []
    if code:
        for n in (3, 5, 7):
            if len(code) >= n and code[:n] in rows:
                r = rows[code[:n]]
                crumbs.append(Node(r.code, r.label or r.code, r.value("C1")))  # type: ignore[arg-type]
    depth = len(code) + 2 if code else 3
    kids = [Node(c, r.label or c, r.value("C1")) for c, r in sorted(rows.items())
            if len(c) == depth and (code is None or c.startswith(code))]
    return crumbs, kids
