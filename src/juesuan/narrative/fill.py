"""Figures the text discloses outside the tables → ``Disclosure.others``.

For a published document, 政府采购, 机关运行经费, 年初预算 per 项, vehicles and last year's
totals exist only as sentences.  Putting them into ``others`` lets the same rules check a
published document and an input workbook.  Fields the disclosure already has are left alone.
"""

from __future__ import annotations

from juesuan.model import BudgetItem, Cell, Disclosure
from juesuan.narrative.claims import Claim, extract
from juesuan.narrative.names import chain_code

PROCUREMENT = {
    "proc_total": "total", "proc_goods": "goods", "proc_works": "works",
    "proc_services": "services", "proc_sme": "sme_contract", "proc_micro": "small_micro_contract",
    "proc_sme_goods": "sme_goods", "proc_sme_works": "sme_works",
    "proc_sme_services": "sme_services", "proc_reserved_sme": "reserved_sme_budget",
    "proc_reserved_micro": "reserved_micro_budget",
}
PRIOR = {"grand_total": "grand_total", "fiscal_grand_total": "fiscal_grand_total",
         "gpb_expenditure": "gpb_expenditure", "running_cost": "running_cost",
         "income_total": "income_total", "expenditure_total": "expenditure_total",
         "sangong": "sangong_total"}


def _cell(c: Claim) -> Cell:
    return Cell(value=c.value, raw=c.raw, source=c.source)


def _set(obj, field: str, c: Claim) -> None:
    if getattr(obj, field) is None:
        setattr(obj, field, _cell(c))


def fill_others(d: Disclosure, claims: list[Claim] | None = None) -> None:
    claims = claims if claims is not None else extract(d)
    o = d.others
    money = [c for c in claims if c.money and c.unit != "元"]
    for c in money:
        if c.quantity != "amount" or c.subject is None:
            continue
        if c.subject in PROCUREMENT and c.context == "procurement":
            _set(o.procurement, PROCUREMENT[c.subject], c)
        elif c.subject == "running_cost" and c.context == "running_cost":
            _set(o, "running_cost", c)
    for c in claims:
        if c.context != "assets" or c.quantity != "count" or not c.subject:
            continue
        if c.subject == "vehicles" and o.assets.vehicles_total is None:
            o.assets.vehicles_total = _cell(c)
        elif c.subject.startswith("vehicle:"):
            o.assets.vehicles.setdefault(c.subject.split(":", 1)[1], _cell(c))
        elif c.subject in ("equipment_100", "equipment_50"):
            _set(o.assets, c.subject, c)
    # 年初预算: the total, and item by item (subject = a 类/款/项 chain)
    detail = [c for c in money if c.context == "gpb_detail"]
    total = next((c for c in detail if c.subject == "gpb_expenditure" and c.quantity == "budget"), None)
    if total is not None:
        _set(o, "initial_budget_total", total)
    if not o.budget_items:
        items: dict[str, BudgetItem] = {}
        for c in detail:
            if not c.subject or not c.subject.startswith("class:") or c.quantity not in ("budget",
                                                                                        "actual"):
                continue
            if c.subject not in items:
                items[c.subject] = BudgetItem(code=chain_code(d, c.subject)[0], name=c.label,
                                              source=c.source)
            item = items[c.subject]
            if c.quantity == "budget" and item.budget is None:
                item.budget = _cell(c)
            elif c.quantity == "actual" and item.actual is None:
                item.actual = _cell(c)
        o.budget_items = [i for i in items.values() if i.budget is not None]
    # last year's totals, from this year's amount and the stated change
    for c in claims:
        if c.quantity != "change" or c.subject not in PRIOR or not c.money:
            continue
        current = next((x.value for x in claims if x.subject == c.subject and x.quantity == "amount"
                        and x.context == c.context and x.money), None)
        field = PRIOR[c.subject]
        if current is not None and getattr(o.prior_year, field) is None:
            setattr(o.prior_year, field, Cell(value=current - c.signed, source=c.source,
                                              derived=True))

