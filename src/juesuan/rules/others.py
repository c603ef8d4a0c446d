"""Rules on figures disclosed outside the tables (其他事项): 政府采购, 年初预算 per 项,
机关运行经费, 三公 details, 国有资产."""

from __future__ import annotations

from collections.abc import Iterator

from juesuan.model import Cell, value_of
from juesuan.money import ZERO, fmt, tolerance
from juesuan.rules.context import CellRef, Context, source_fields
from juesuan.rules.findings import Finding, Location, Severity
from juesuan.rules.registry import rule

FAMILY = "其他事项"
ADMIN_UNIT_TYPES = ("行政单位", "参照公务员法管理事业单位", "参公", "参公事业单位",
                    "参照公务员法管理的事业单位")


def _loc(section: str, what: str | None, cell: Cell | None = None) -> Location:
    return Location(section=section, row_label=what, **source_fields(cell.source if cell else None))


def _sum_check(rule_id: str, section: str, total: Cell | None, parts: list[Cell | None],
               total_name: str, parts_name: str) -> Iterator[Finding]:
    t = value_of(total)
    values = [value_of(p) for p in parts]
    if t is None or all(v is None for v in values):
        return
    s = sum((v for v in values if v is not None), ZERO)
    diff = t - s
    if diff == 0:
        return
    n = sum(1 for v in values if v is not None)
    rounding = abs(diff) <= tolerance(n)
    yield Finding(
        rule=rule_id, family=FAMILY,
        severity=Severity.INFO if rounding else Severity.ERROR,
        message=(f"{total_name} {fmt(t)} 不等于{parts_name}之和 {fmt(s)}，相差 {fmt(abs(diff))}"
                 + ("，在尾差范围内。" if rounding else "。")),
        location=_loc(section, total_name, total),
        expected=fmt(s), found=fmt(t), difference=fmt(diff),
    )


@rule("O.procurement.sum", FAMILY, Severity.ERROR, "政府采购支出总额 = 货物 + 工程 + 服务")
def procurement_sum(ctx: Context) -> Iterator[Finding]:
    p = ctx.disclosure.others.procurement
    yield from _sum_check("O.procurement.sum", "政府采购支出情况", p.total,
                          [p.goods, p.works, p.services], "政府采购支出总额", "货物、工程、服务采购")


def _not_above(rule_id, section, part, whole, part_name, whole_name, sev) -> Iterator[Finding]:
    a, b = value_of(part), value_of(whole)
    if a is None or b is None or a <= b:
        return
    yield Finding(
        rule=rule_id, family=FAMILY, severity=sev,
        message=f"{part_name} {fmt(a)} 大于{whole_name} {fmt(b)}，前者是后者的一部分，不应更大。",
        location=_loc(section, part_name, part), expected=f"≤ {fmt(b)}", found=fmt(a),
        difference=fmt(a - b),
    )


@rule("O.procurement.sme", FAMILY, Severity.WARNING, "授予中小企业（及小微企业）的合同金额不应超过相应总额")
def procurement_sme(ctx: Context) -> Iterator[Finding]:
    p = ctx.disclosure.others.procurement
    sec = "政府采购支出情况"
    yield from _not_above("O.procurement.sme", sec, p.sme_contract, p.total,
                          "授予中小企业合同金额", "政府采购支出总额", Severity.WARNING)
    yield from _not_above("O.procurement.sme", sec, p.small_micro_contract, p.sme_contract,
                          "授予小微企业合同金额", "授予中小企业合同金额", Severity.ERROR)
    yield from _not_above("O.procurement.sme", sec, p.sme_goods, p.goods,
                          "货物采购授予中小企业合同金额", "货物采购金额", Severity.WARNING)
    yield from _not_above("O.procurement.sme", sec, p.sme_works, p.works,
                          "工程采购授予中小企业合同金额", "工程采购金额", Severity.WARNING)
    yield from _not_above("O.procurement.sme", sec, p.sme_services, p.services,
                          "服务采购授予中小企业合同金额", "服务采购金额", Severity.WARNING)
    yield from _not_above("O.procurement.sme", sec, p.micro_won_reserved, p.reserved_micro_budget,
                          "预留小微企业项目中由小微企业中标金额", "面向小微企业预留项目预算金额",
                          Severity.WARNING)


@rule("O.budget.sum", FAMILY, Severity.ERROR, "各项级科目年初预算之和 = 一般公共预算财政拨款支出年初预算")
def budget_sum(ctx: Context) -> Iterator[Finding]:
    o = ctx.disclosure.others
    if not o.budget_items:
        return
    yield from _sum_check("O.budget.sum", "一般公共预算财政拨款支出决算具体情况",
                          o.initial_budget_total, [i.budget for i in o.budget_items],
                          "一般公共预算财政拨款支出年初预算", f"{len(o.budget_items)} 个项级科目的年初预算")


@rule("O.budget.actual", FAMILY, Severity.ERROR, "逐项说明中的支出决算数 = 表5 该项合计")
def budget_actual(ctx: Context) -> Iterator[Finding]:
    t5 = ctx.table("T5")
    spec = ctx.spec("T5")
    if t5 is None or spec is None:
        return
    col = spec.column_by_role("total")
    for item in ctx.disclosure.others.budget_items:
        if not item.code:
            continue
        row = t5.row(item.code)
        if row is None:
            continue  # O.budget.code
        stated, actual = value_of(item.actual), row.value(col.key) if col else None
        if stated is None or actual is None or stated == actual:
            continue
        yield Finding(
            rule="O.budget.actual", family=FAMILY, severity=Severity.ERROR,
            message=(f"科目 {item.code}「{item.name or row.label}」的支出决算数写为 {fmt(stated)}，"
                     f"{ctx.table_name('T5')}中为 {fmt(actual)}。"),
            location=_loc("一般公共预算财政拨款支出决算具体情况", item.name, item.actual),
            expected=fmt(actual), found=fmt(stated), difference=fmt(stated - actual),
            cells=[str(CellRef("T5", item.code, col.key))] if col else [],
        )


@rule("O.budget.code", FAMILY, Severity.WARNING, "逐项说明的科目应出现在表5 中")
def budget_code(ctx: Context) -> Iterator[Finding]:
    t5 = ctx.table("T5")
    if t5 is None:
        return
    for item in ctx.disclosure.others.budget_items:
        if item.code and t5.row(item.code) is None:
            yield Finding(
                rule="O.budget.code", family=FAMILY, severity=Severity.WARNING,
                message=(f"逐项说明了科目 {item.code}「{item.name or ''}」，但{ctx.table_name('T5')}"
                         "中没有这个科目。"),
                location=_loc("一般公共预算财政拨款支出决算具体情况", item.name,
                              item.budget or item.actual),
            )


@rule("O.budget.coverage", FAMILY, Severity.INFO, "表5 中有支出的每个项级科目都应逐项说明")
def budget_coverage(ctx: Context) -> Iterator[Finding]:
    o = ctx.disclosure.others
    t5, spec = ctx.table("T5"), ctx.spec("T5")
    if not o.budget_items or t5 is None or spec is None:
        return
    explained = {i.code for i in o.budget_items if i.code}
    col = spec.column_by_role("total")
    for r in t5.rows:
        if r.code and len(r.code) == 7 and r.code not in explained and col and r.value(col.key):
            yield Finding(
                rule="O.budget.coverage", family=FAMILY, severity=Severity.INFO,
                message=(f"{ctx.table_name('T5')}中的项级科目「{r.code} {r.label or ''}」有支出 "
                         f"{fmt(r.value(col.key))}，但年初预算与决算的逐项说明中没有它。"),
                location=ctx.locate_row("T5", r.key),
            )


@rule("O.running_cost", FAMILY, Severity.WARNING,
      "行政单位和参公事业单位的机关运行经费一般等于表6 公用经费合计")
def running_cost(ctx: Context) -> Iterator[Finding]:
    d = ctx.disclosure
    rc = value_of(d.others.running_cost)
    if rc is None or not d.unit_type or not any(t in d.unit_type for t in ADMIN_UNIT_TYPES):
        return
    public = ctx.value(CellRef("T6", "public_total", "C1"))
    if public is None or public == rc:
        return
    yield Finding(
        rule="O.running_cost", family=FAMILY, severity=Severity.WARNING,
        message=(f"机关运行经费为 {fmt(rc)}，{ctx.table_name('T6')}的公用经费合计为 {fmt(public)}。"
                 "机关运行经费是行政单位（含参公单位）一般公共预算财政拨款基本支出中的公用经费，"
                 "二者通常相等；不等时请核实口径。"),
        location=_loc("机关运行经费支出情况", "机关运行经费", d.others.running_cost),
        expected=fmt(public), found=fmt(rc), difference=fmt(rc - public),
    )


@rule("O.sangong", FAMILY, Severity.WARNING, "三公经费明细与三公表一致（接待、车辆）")
def sangong_detail(ctx: Context) -> Iterator[Finding]:
    s = ctx.disclosure.others.sangong
    sec = "三公经费支出决算情况"
    t9 = ctx.table("T9")
    spec = ctx.spec("T9")
    actual = {}
    if t9 is not None and spec is not None and t9.rows:
        for role in ("actual_reception", "actual_car_purchase"):
            c = spec.column_by_role(role)
            if c is not None:
                actual[role] = t9.rows[0].value(c.key)
    rec = actual.get("actual_reception")
    if rec is not None:
        yield from _not_above("O.sangong", sec, s.reception_domestic,
                              Cell(value=rec), "国内公务接待支出", "三公表公务接待费决算数",
                              Severity.WARNING)
    yield from _not_above("O.sangong", sec, s.reception_foreign, s.reception_domestic,
                          "外宾接待支出", "国内公务接待支出", Severity.WARNING)
    n_cars, purchase = value_of(s.cars_purchased), actual.get("actual_car_purchase")
    if n_cars is not None and purchase is not None and (n_cars > 0) != (purchase > 0):
        yield Finding(
            rule="O.sangong", family=FAMILY, severity=Severity.WARNING,
            message=(f"说明中购置公务用车 {n_cars} 辆，三公表公务用车购置费决算数为 {fmt(purchase)}，"
                     "两者不一致。"),
            location=_loc(sec, "公务用车购置数量", s.cars_purchased),
        )


@rule("O.assets.vehicles", FAMILY, Severity.ERROR, "车辆合计 = 各类车辆之和")
def vehicles(ctx: Context) -> Iterator[Finding]:
    a = ctx.disclosure.others.assets
    total = value_of(a.vehicles_total)
    if total is None or not a.vehicles:
        return
    s = sum((value_of(c) or ZERO for c in a.vehicles.values()), ZERO)
    if s != total:
        yield Finding(
            rule="O.assets.vehicles", family=FAMILY, severity=Severity.ERROR,
            message=f"车辆合计为 {total} 辆，各类车辆之和为 {s} 辆。",
            location=_loc("国有资产占用情况", "车辆合计", a.vehicles_total),
            expected=str(s), found=str(total), difference=str(total - s),
        )
