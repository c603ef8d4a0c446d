"""Synthetic, internally consistent disclosures for tests and benchmarks.

``generate(profile, seed)`` makes a disclosure in which every identity the checker knows holds
exactly: T5 is drawn first (项 by 项, basic and project), everything else is derived from it
plus some non-fiscal money, balances, 三公, 政府采购 and 绩效 scores.  A clean disclosure must
produce no finding at all; the mutation tests change one amount and expect a finding there.
"""

from __future__ import annotations

import random
from decimal import Decimal

from juesuan.catalog import Catalog, _shipped
from juesuan.model import (
    BudgetItem,
    Cell,
    Disclosure,
    Evaluation,
    Goal,
    Indicator,
    Row,
    Table,
)
from juesuan.money import CENT, HUNDRED, ZERO, round_money
from juesuan.tables import Profile, load_profile

#: economic 款 that table 9 (三公) must cover; kept out of table 6 so the two stay consistent
SANGONG_ECONOMIC = {"30212", "30217", "30231", "31013"}


def _money(rng: random.Random, lo: int, hi: int) -> Decimal:
    return Decimal(rng.randint(lo * 100, hi * 100)) * CENT


def _split(rng: random.Random, total: Decimal, n: int) -> list[Decimal]:
    """Split ``total`` into ``n`` non-negative cent amounts that add up exactly."""
    if n <= 1:
        return [total]
    cents = int(total / CENT)
    cuts = sorted(rng.randint(0, cents) for _ in range(n - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, cents], strict=True)]
    return [Decimal(p) * CENT for p in parts]


def _cells(**values: Decimal | None) -> dict[str, Cell]:
    return {k: Cell(value=v) for k, v in values.items() if v not in (None, ZERO)}


def _function_items(rng: random.Random, n: int) -> list[tuple[str, str]]:
    entries, _ = _shipped()
    items = [(e.code, e.name) for e in entries if e.kind == "function" and e.level == "项"]
    rng.shuffle(items)
    return sorted(items[:n])


def _coded_table(key: str, spec_total: str, leaves: dict[str, dict[str, Decimal]],
                 names: dict[str, str], cols: list[str], total_first: bool = True) -> Table:
    """A coded table from 项 values: 款, 类 and 合计 are summed."""
    sums: dict[str, dict[str, Decimal]] = {}
    for code, vals in leaves.items():
        for parent in (code[:3], code[:5], code):
            acc = sums.setdefault(parent, {c: ZERO for c in cols})
            for c in cols:
                acc[c] += vals.get(c, ZERO)
    total = {c: sum((sums[k][c] for k in sums if len(k) == 3), ZERO) for c in cols}
    rows = [Row(key=code, code=code, label=names.get(code, code), cells=_cells(**sums[code]))
            for code in sorted(sums)]
    total_row = Row(key=spec_total, label="合计", cells=_cells(**total))
    return Table(key=key, rows=[total_row, *rows] if total_first else [*rows, total_row])


def generate(profile: Profile | str = "hubei-2022", seed: int = 0, items: int = 8,
             nonfiscal: bool = True, funds: bool = False) -> Disclosure:
    """A consistent disclosure.

    ``nonfiscal=False`` gives a unit funded only by 一般公共预算; ``funds=True`` adds
    政府性基金 and 国有资本经营 money (tables 7 and 8 then have rows).
    """
    p = load_profile(profile) if isinstance(profile, str) else profile
    rng = random.Random(seed)
    cat = Catalog(2022)
    chosen = _function_items(rng, items + 2)
    fund_codes: dict[str, tuple[str, str]] = {}
    if funds:
        fund_codes = {k: c for k, c in (("T7", chosen[-2]), ("T8", chosen[-1])) if p.table(k)}
    chosen = chosen[:items]
    for code, _name in fund_codes.values():
        chosen_codes = {c for c, _ in chosen}
        assert code not in chosen_codes
    names: dict[str, str] = {}
    for code, name in [*chosen, *fund_codes.values()]:
        names[code] = name
        for parent in (code[:3], code[:5]):
            e = cat.lookup(parent)
            names[parent] = e.name if e else parent

    # T5: 一般公共预算财政拨款 by 项
    t5: dict[str, dict[str, Decimal]] = {}
    for code, _ in chosen:
        basic = _money(rng, 0, 500) if rng.random() < 0.8 else ZERO
        project = _money(rng, 0, 300) if rng.random() < 0.6 or basic == 0 else ZERO
        t5[code] = {"C1": basic + project, "C2": basic, "C3": project}
    # non-fiscal money on some rows: 事业收入 and 其他收入, spent as basic or project
    extra: dict[str, dict[str, Decimal]] = {}
    for code, _ in chosen:
        if nonfiscal and rng.random() < 0.3:
            business, other = _money(rng, 0, 50), _money(rng, 0, 10)
            basic_part = _split(rng, business + other, 2)[0]
            extra[code] = {"business": business, "other": other, "basic": basic_part,
                           "project": business + other - basic_part}
    t2_leaves, t3_leaves = {}, {}
    for code, _ in chosen:
        e = extra.get(code, {})
        business, other = e.get("business", ZERO), e.get("other", ZERO)
        t2_leaves[code] = {"C1": t5[code]["C1"] + business + other, "C2": t5[code]["C1"],
                           "C4": business, "C7": other}
        b3 = t5[code]["C2"] + e.get("basic", ZERO)
        p3 = t5[code]["C3"] + e.get("project", ZERO)
        t3_leaves[code] = {"C1": b3 + p3, "C2": b3, "C3": p3}

    # 政府性基金 (T7) and 国有资本经营 (T8): one 项 each, with balances
    fund: dict[str, dict[str, Decimal]] = {}
    for key, (code, _) in fund_codes.items():
        opening_f, income_f = _money(rng, 0, 30), _money(rng, 50, 200)
        basic_f = _money(rng, 0, 20)
        project_f = min(_money(rng, 10, 150), income_f + opening_f - basic_f)
        spend = basic_f + project_f
        fund[key] = {"opening": opening_f, "income": income_f, "total": spend, "basic": basic_f,
                     "project": project_f, "closing": opening_f + income_f - spend, "code": code}
        t2_leaves[code] = {"C1": income_f, "C2": income_f}
        t3_leaves[code] = {"C1": spend, "C2": basic_f, "C3": project_f}

    def fund_value(key: str, what: str) -> Decimal:
        return fund[key][what] if key in fund else ZERO

    def table_for(key: str, leaves, cols) -> Table:
        spec = p.table(key)
        first = not (spec and spec.total_row and spec.total_row.position == "bottom")
        t = _coded_table(key, "total", leaves, names, cols, first)
        if spec:
            t.number, t.title = spec.number, spec.title
        return t

    T2 = table_for("T2", t2_leaves, ["C1", "C2", "C3", "C4", "C5", "C6", "C7"])
    T3 = table_for("T3", t3_leaves, ["C1", "C2", "C3", "C4", "C5", "C6"])
    T5 = table_for("T5", t5, ["C1", "C2", "C3"])
    gpb_total, basic_total = T5.value("total", "C1") or ZERO, T5.value("total", "C2") or ZERO
    business = sum((e["business"] for e in extra.values()), ZERO)
    other = sum((e["other"] for e in extra.values()), ZERO)
    opening = _money(rng, 0, 80) if nonfiscal else ZERO
    fiscal_opening = min(opening, _money(rng, 0, 40))
    gf_in, sc_in = fund_value("T7", "income"), fund_value("T8", "income")
    fund_open = fund_value("T7", "opening") + fund_value("T8", "opening")
    fund_close = fund_value("T7", "closing") + fund_value("T8", "closing")

    # T1 and T4 from the detail tables
    t1s, t4s = p.table("T1"), p.table("T4")
    T1 = Table(key="T1", number=t1s.number, title=t1s.title)
    class_totals = {r.key: r.value("C1") for r in T3.rows if r.code and len(r.code) == 3}
    gpb_classes = {r.key: r.value("C1") for r in T5.rows if r.code and len(r.code) == 3}
    inc = {"inc_gpb": gpb_total, "inc_gf": gf_in, "inc_sc": sc_in, "inc_business": business,
           "inc_other": other}
    inc_total = sum(inc.values(), ZERO)
    exp_total = sum((v for v in class_totals.values() if v), ZERO)
    closing = opening + fund_close
    for r in t1s.rows:
        if r.side == "income":
            v = {**inc, "inc_total": inc_total, "inc_opening": opening + fund_open,
                 "inc_grand": inc_total + opening + fund_open}.get(r.key)
            T1.add_row(Row(key=r.key, label=r.label, cells=_cells(C1=v)))
        else:
            v = {"exp_total": exp_total, "exp_closing": closing,
                 "exp_grand": exp_total + closing}.get(r.key, class_totals.get(r.key))
            T1.add_row(Row(key=r.key, label=r.label, code=r.code, cells=_cells(C2=v)))
    T4 = Table(key="T4", number=t4s.number, title=t4s.title)
    by_fund = {"C3": gpb_classes, "C4": {}, "C5": {}}
    for key, col in (("T7", "C4"), ("T8", "C5")):
        if key in fund:
            by_fund[col][fund[key]["code"][:3]] = fund[key]["total"]
    f_open = {"inc_opening_gpb": fiscal_opening, "inc_opening_gf": fund_value("T7", "opening"),
              "inc_opening_sc": fund_value("T8", "opening")}
    f_income = {"inc_gpb": gpb_total, "inc_gf": gf_in, "inc_sc": sc_in}
    f_close = {"C3": fiscal_opening, "C4": fund_value("T7", "closing"),
               "C5": fund_value("T8", "closing")}
    f_spend = {"C3": gpb_total, "C4": fund_value("T7", "total"), "C5": fund_value("T8", "total")}
    t4_cols = [c.key for c in t4s.columns_for_side("expenditure") if c.key != "C2"]
    f_open = {k: v for k, v in f_open.items() if t4s.row(k)}
    fin_total = sum(f_income.values(), ZERO)
    fin_open = sum(f_open.values(), ZERO)
    for r in t4s.rows:
        if r.side == "income":
            v = {**f_income, **f_open, "inc_total": fin_total, "inc_opening": fin_open,
                 "inc_grand": fin_total + fin_open}.get(r.key)
            T4.add_row(Row(key=r.key, label=r.label, cells=_cells(C1=v)))
            continue
        vals: dict[str, Decimal] = {}
        for col in t4_cols:
            if r.key == "exp_total":
                vals[col] = f_spend[col]
            elif r.key == "exp_closing":
                vals[col] = f_close[col]
            elif r.key == "exp_grand":
                vals[col] = f_spend[col] + f_close[col]
            else:
                vals[col] = by_fund[col].get(r.key, ZERO) or ZERO
        vals["C2"] = sum(vals.values(), ZERO)
        T4.add_row(Row(key=r.key, label=r.label, code=r.code, cells=_cells(**vals)))

    # T6: basic expenditure by economic 款, split into 人员经费 and 公用经费
    t6s = p.table("T6")
    T6 = Table(key="T6", number=t6s.number, title=t6s.title)
    personnel = round_money(basic_total * Decimal(rng.randint(60, 90)) / HUNDRED)
    public = basic_total - personnel
    group_amounts = {"personnel": personnel, "public": public}
    for g in t6s.groups:
        kuan = [r for r in t6s.rows if r.code and len(r.code) == 5 and r.code[:3] in g.classes
                and r.code not in SANGONG_ECONOMIC]
        used = rng.sample(kuan, min(len(kuan), rng.randint(3, 8)))
        amounts = dict(zip([r.code for r in used], _split(rng, group_amounts[g.key], len(used)),
                           strict=True))
        for cls in g.classes:
            members = [r for r in t6s.rows if r.code and r.code[:3] == cls and len(r.code) == 5]
            if not members:
                continue
            cls_total = sum((amounts.get(m.code, ZERO) for m in members), ZERO)
            head = t6s.row(cls)
            T6.add_row(Row(key=cls, code=cls, label=head.label if head else cls,
                           cells=_cells(C1=cls_total)))
            for m in members:
                T6.add_row(Row(key=m.key, code=m.code, label=m.label,
                               cells=_cells(C1=amounts.get(m.code))))
    for g in t6s.groups:
        T6.add_row(Row(key=g.total, label=t6s.row(g.total).label,
                       cells=_cells(C1=group_amounts[g.key])))

    # T7 / T8 empty, T9 三公
    tables = [T1, T2, T3, T4, T5, T6]
    for key in ("T7", "T8"):
        spec = p.table(key)
        if not spec:
            continue
        if key not in fund:
            tables.append(Table(key=key, number=spec.number, title=spec.title,
                                rows=[Row(key="total", label="合计")],
                                notes=[f"本单位无{spec.title.replace('决算表', '')}。"]))
            continue
        values = {c.key: fund[key][c.role] for c in spec.columns if c.role in fund[key]}
        code = fund[key]["code"]
        tables.append(_coded_table(key, "total", {code: values}, names,  # type: ignore[dict-item]
                                   [c.key for c in spec.columns],
                                   not (spec.total_row and spec.total_row.position == "bottom")))
    t9s = p.table("T9")
    if t9s:
        b_abroad, b_buy, b_run, b_rec = (_money(rng, 0, 20) for _ in range(4))
        a = [round_money(x * Decimal(rng.randint(50, 100)) / HUNDRED) for x in
             (b_abroad, b_buy, b_run, b_rec)]
        vals = {"C2": b_abroad, "C4": b_buy, "C5": b_run, "C3": b_buy + b_run, "C6": b_rec,
                "C1": b_abroad + b_buy + b_run + b_rec, "C8": a[0], "C10": a[1], "C11": a[2],
                "C9": a[1] + a[2], "C12": a[3], "C7": sum(a, ZERO)}
        tables.append(Table(key="T9", number=t9s.number, title=t9s.title,
                            rows=[Row(key="amount", label="金额", cells=_cells(**vals))]))
    for t in tables:
        spec = p.table(t.key)
        if spec:
            t.number, t.title = spec.number, spec.title

    d = Disclosure(unit=f"测试单位{seed:04d}", year=2022, profile=p.id, unit_type="行政单位",
                   tables=[t for t in tables if p.table(t.key)])
    # others
    o = d.others
    budgets = []
    for code, name in chosen:
        actual = t5[code]["C1"]
        if actual == 0:
            continue
        budget = round_money(actual * Decimal(rng.randint(80, 120)) / HUNDRED)
        budgets.append(BudgetItem(code=code, name=name, budget=Cell(value=budget),
                                  actual=Cell(value=actual)))
    o.budget_items = budgets
    o.initial_budget_total = Cell(value=sum((b.budget.value for b in budgets), ZERO))
    o.running_cost = Cell(value=public)
    goods, works, services = _money(rng, 0, 50), _money(rng, 0, 50), _money(rng, 0, 50)
    pr = o.procurement
    pr.goods, pr.works, pr.services = Cell(value=goods), Cell(value=works), Cell(value=services)
    pr.total = Cell(value=goods + works + services)
    sme = round_money((goods + works + services) * Decimal(rng.randint(0, 100)) / HUNDRED)
    pr.sme_contract = Cell(value=sme)
    pr.small_micro_contract = Cell(value=round_money(sme / 2))
    cars = {"其他用车": rng.randint(0, 3), "执法执勤用车": rng.randint(0, 2)}
    o.assets.vehicles = {k: Cell(value=Decimal(v)) for k, v in cars.items()}
    o.assets.vehicles_total = Cell(value=Decimal(sum(cars.values())))
    d.performance = [_evaluation(rng, "department", d.unit), _evaluation(rng, "project", "项目甲"),
                     _evaluation(rng, "project", "项目乙")]
    return d


def _evaluation(rng: random.Random, kind: str, name: str) -> Evaluation:
    budget = _money(rng, 10, 500)
    executed = round_money(budget * Decimal(rng.randint(80, 100)) / HUNDRED)
    rate = executed / budget * HUNDRED
    exec_score = round_money(Decimal(20) * rate / HUNDRED)
    goals = []
    weights = [Decimal(20), Decimal(60)] if kind == "project" else [Decimal(40), Decimal(40)]
    for gi, w in enumerate(weights):
        parts = _split(rng, w, 4)
        inds = []
        for k, pw in enumerate(parts):
            score = pw if rng.random() < 0.8 else round_money(pw * Decimal("0.9"))
            inds.append(Indicator(level1="产出指标", level2="数量指标", name=f"指标{gi}-{k}",
                                  weight=Cell(value=pw), score=Cell(value=score)))
        goals.append(Goal(title=f"目标{gi + 1}", weight=Cell(value=w),
                          score=Cell(value=sum((i.score.value for i in inds), ZERO)),
                          indicators=inds))
    total = exec_score + sum((g.score.value for g in goals), ZERO)
    return Evaluation(kind=kind, name=name, budget=Cell(value=budget),  # type: ignore[arg-type]
                      executed=Cell(value=executed), execution_rate=Cell(value=round_money(rate)),
                      execution_weight=Cell(value=Decimal(20)), execution_score=Cell(value=exec_score),
                      goals=goals, total_score=Cell(value=total))
