"""Every number the explanations state, computed from the tables — never typed twice.

``figures(d)`` returns plain objects for the sentence templates: amounts, shares, changes against
last year (with 增加/减少 and 增长/下降 chosen from the sign), budget completion (with 大于/小于/
等于), and the lists the text enumerates (收入来源, 支出类, 项 by 项, 人员经费 items…).  Shares and
rates are rounded half-up to 0.01 here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.catalog import Catalog
from juesuan.model import Disclosure, Table, value_of
from juesuan.money import ZERO, percent, round_money
from juesuan.rules.performance import exact_rate
from juesuan.tables import Profile, load_profile


@dataclass
class Change:
    """This year against last year."""

    current: Decimal
    prior: Decimal | None

    @property
    def known(self) -> bool:
        return self.prior is not None

    @property
    def delta(self) -> Decimal:
        return abs(self.current - (self.prior or ZERO))

    @property
    def flat(self) -> bool:
        return self.prior is not None and self.current == self.prior

    @property
    def word(self) -> str:
        return "增加" if self.current >= (self.prior or ZERO) else "减少"

    @property
    def growth_word(self) -> str:
        return "增长" if self.current >= (self.prior or ZERO) else "下降"

    @property
    def pct(self) -> Decimal | None:
        """Growth over last year; ``None`` when last year was zero (no rate can be stated)."""
        if not self.prior:
            return None
        return percent(self.delta, abs(self.prior))


@dataclass
class Part:
    label: str
    amount: Decimal
    share: Decimal | None = None
    code: str | None = None


@dataclass
class Completion:
    budget: Decimal
    actual: Decimal

    @property
    def pct(self) -> Decimal | None:
        return percent(self.actual, self.budget)

    @property
    def comparison(self) -> str:
        return "大于" if self.actual > self.budget else ("小于" if self.actual < self.budget else "等于")


@dataclass
class Item:
    """One 项 of 一般公共预算财政拨款支出: names, 年初预算 and 决算."""

    code: str
    chain: str  # 一般公共服务支出（类）财政事务（款）行政运行（项）
    actual: Decimal
    budget: Decimal | None
    purpose: str | None = None
    reason: str | None = None

    @property
    def completion(self) -> Completion | None:
        return Completion(self.budget, self.actual) if self.budget is not None else None


@dataclass
class Sangong:
    budget: dict[str, Decimal]
    actual: dict[str, Decimal]
    prior: dict[str, Decimal | None]
    details: dict[str, Decimal | None]

    @property
    def any(self) -> bool:
        return any(v for v in (*self.budget.values(), *self.actual.values()))

    def change(self, item: str) -> Change:
        return Change(self.actual.get(item, ZERO), self.prior.get(item))

    def completion(self, item: str) -> Completion:
        return Completion(self.budget.get(item, ZERO), self.actual.get(item, ZERO))

    def share(self, item: str) -> Decimal | None:
        return percent(self.actual.get(item, ZERO), self.actual.get("total", ZERO))


@dataclass
class Figures:
    unit: str
    year: int
    values: dict[str, Decimal] = field(default_factory=dict)
    changes: dict[str, Change] = field(default_factory=dict)
    lists: dict[str, list] = field(default_factory=dict)
    completion: Completion | None = None
    sangong: Sangong | None = None
    running_cost: Change | None = None
    texts: dict[str, str] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    evaluations: list = field(default_factory=list)


def _v(t: Table | None, row: str, col: str) -> Decimal:
    return (t.value(row, col) if t is not None else None) or ZERO


def _parts(pairs: list[tuple[str, Decimal]], whole: Decimal) -> list[Part]:
    return [Part(label, amount, percent(amount, whole)) for label, amount in pairs if amount]


def _chain(t5: Table, code: str, catalog: Catalog) -> str:
    def name(c: str) -> str:
        r = t5.row(c)
        if r is not None and r.label:
            return r.label
        e = catalog.lookup(c)
        return e.name if e else c

    parts = [f"{name(code[:3])}（类）"]
    if len(code) >= 5:
        parts.append(f"{name(code[:5])}（款）")
    if len(code) == 7:
        parts.append(f"{name(code)}（项）")
    return "".join(parts)


def _col(p: Profile, key: str, role: str) -> str:
    spec = p.table(key)
    col = spec.column_by_role(role) if spec else None
    return col.key if col else ""


def figures(d: Disclosure, profile: Profile | None = None, catalog: Catalog | None = None) -> Figures:
    p = profile or load_profile(d.profile)
    catalog = catalog or Catalog(d.year)
    f = Figures(unit=d.unit, year=d.year, texts=dict(d.texts))
    o, prior = d.others, d.others.prior_year
    t1, t3, t4, t5, t6 = (d.table(k) for k in ("T1", "T3", "T4", "T5", "T6"))
    v = f.values

    # 一 收入支出总体, 二 收入, 三 支出
    v["grand_total"] = _v(t1, "inc_grand", "C1")
    f.changes["grand_total"] = Change(v["grand_total"], value_of(prior.grand_total))
    v["income_total"] = _v(t1, "inc_total", "C1")
    fiscal = sum((_v(t1, k, "C1") for k in ("inc_gpb", "inc_gf", "inc_sc")), ZERO)
    f.lists["income"] = _parts([
        ("财政拨款收入", fiscal), ("上级补助收入", _v(t1, "inc_superior", "C1")),
        ("事业收入", _v(t1, "inc_business", "C1")), ("经营收入", _v(t1, "inc_operating", "C1")),
        ("附属单位上缴收入", _v(t1, "inc_affiliated", "C1")), ("其他收入", _v(t1, "inc_other", "C1")),
    ], v["income_total"])
    v["expenditure_total"] = _v(t1, "exp_total", "C2")
    f.lists["expenditure"] = _parts([
        ("基本支出", _v(t3, "total", "C2")), ("项目支出", _v(t3, "total", "C3")),
        ("上缴上级支出", _v(t3, "total", "C4")), ("经营支出", _v(t3, "total", "C5")),
        ("对附属单位补助支出", _v(t3, "total", "C6")),
    ], v["expenditure_total"])
    f.changes["income_total"] = Change(v["income_total"], value_of(prior.income_total))
    f.changes["expenditure_total"] = Change(v["expenditure_total"], value_of(prior.expenditure_total))

    # 四 财政拨款总体
    v["fiscal_grand_total"] = _v(t4, "inc_grand", "C1")
    f.changes["fiscal_grand_total"] = Change(v["fiscal_grand_total"], value_of(prior.fiscal_grand_total))
    v["gpb_income"] = _v(t1, "inc_gpb", "C1")
    f.changes["gpb_income"] = Change(v["gpb_income"], value_of(prior.gpb_income))

    # 五 一般公共预算财政拨款支出
    v["gpb_expenditure"] = _v(t5, "total", "C1")
    v["gpb_share"] = percent(v["gpb_expenditure"], v["expenditure_total"]) or ZERO
    v["gpb_basic"] = _v(t5, "total", _col(p, "T5", "basic"))
    v["gpb_project"] = _v(t5, "total", _col(p, "T5", "project"))
    f.changes["gpb_expenditure"] = Change(v["gpb_expenditure"], value_of(prior.gpb_expenditure))
    classes = [r for r in (t5.rows if t5 else []) if r.code and len(r.code) == 3]
    f.lists["gpb_classes"] = _parts([(r.label or r.code, r.value("C1") or ZERO) for r in classes],
                                    v["gpb_expenditure"])
    for part, r in zip(f.lists["gpb_classes"], [r for r in classes if r.value("C1")], strict=False):
        part.code = r.code
    budgets = {i.code: i for i in o.budget_items if i.code}
    items = []
    for r in (t5.rows if t5 else []):
        if not r.code or len(r.code) != 7 or not r.value("C1"):
            continue
        b = budgets.get(r.code)
        items.append(Item(r.code, _chain(t5, r.code, catalog), r.value("C1") or ZERO,  # type: ignore[arg-type]
                          value_of(b.budget) if b else None, b.purpose if b else None,
                          b.reason if b else None))
    f.lists["items"] = items
    def has_items(t: Table | None) -> bool:
        return t is not None and any(r.code and len(r.code) == 7 and r.value("C1") for r in t.rows)

    detail = t3 if has_items(t3) else t5
    f.lists["all_items"] = [Item(r.code, _chain(detail, r.code, catalog), r.value("C1") or ZERO, None)
                            for r in (detail.rows if detail else [])
                            if r.code and len(r.code) == 7 and r.value("C1")]
    total_budget = value_of(o.initial_budget_total)
    if total_budget is None and items and all(i.budget is not None for i in items):
        total_budget = sum((i.budget for i in items), ZERO)  # type: ignore[misc]
    if total_budget is not None:
        f.completion = Completion(total_budget, v["gpb_expenditure"])
    f.lists["projects"] = [e for e in d.performance if e.kind == "project"]

    # 六 基本支出
    v["personnel"] = _v(t6, "personnel_total", "C1")
    v["public"] = _v(t6, "public_total", "C1")
    spec6 = p.table("T6")
    for g in spec6.groups if spec6 else ():
        f.lists[f"{g.key}_items"] = [r.label for r in (t6.rows if t6 else []) if r.code and len(r.code) == 5
                                     and r.code[:3] in g.classes and r.value("C1")]

    # 七/八 政府性基金, 国有资本经营
    for key, name in (("T7", "fund"), ("T8", "state_capital")):
        t = d.table(key)
        total_role = _col(p, key, "total") if p.table(key) else ""
        income_role = _col(p, key, "income") if p.table(key) else ""
        v[f"{name}_expenditure"] = _v(t, "total", total_role) if total_role else ZERO
        v[f"{name}_income"] = _v(t, "total", income_role) if income_role else ZERO
        f.flags[name] = bool(t is not None and t.has_amounts())
        f.lists[f"{name}_items"] = [
            Item(r.code, _chain(t, r.code, catalog), r.value(total_role) or ZERO,  # type: ignore[arg-type]
                 value_of(budgets[r.code].budget) if r.code in budgets else None,
                 budgets[r.code].purpose if r.code in budgets else None,
                 budgets[r.code].reason if r.code in budgets else None)
            for r in (t.rows if t else []) if r.code and len(r.code) == 7 and r.value(total_role)]

    # 九 三公
    t9, spec9 = d.table("T9"), p.table("T9")
    items9 = ("total", "abroad", "car", "car_purchase", "car_running", "reception")
    if spec9 is not None:
        row = t9.rows[0] if t9 is not None and t9.rows else None

        def sg(prefix: str, item: str) -> Decimal:
            col = spec9.column_by_role(f"{prefix}_{item}")
            return (row.value(col.key) if row is not None and col else None) or ZERO

        s = o.sangong
        f.sangong = Sangong(
            budget={i: sg("budget", i) for i in items9}, actual={i: sg("actual", i) for i in items9},
            prior={"total": value_of(prior.sangong_total), "abroad": value_of(prior.sangong_abroad),
                   "car": value_of(prior.sangong_car), "car_purchase": value_of(prior.sangong_car_purchase),
                   "car_running": value_of(prior.sangong_car_running),
                   "reception": value_of(prior.sangong_reception)},
            details={k: value_of(getattr(s, k)) for k in type(s).model_fields},
        )

    # 十 机关运行经费, 十一 政府采购, 十二 国有资产
    rc = value_of(o.running_cost)
    f.flags["running_cost"] = bool(rc)
    if rc is not None:
        f.running_cost = Change(rc, value_of(prior.running_cost))
    pr = o.procurement
    v.update({k: value_of(getattr(pr, k)) or ZERO for k in type(pr).model_fields})
    f.flags["procurement"] = bool(v["total"])
    v["sme_share"] = percent(v["sme_contract"], v["total"]) or ZERO
    v["micro_share"] = percent(v["small_micro_contract"], v["sme_contract"]) or ZERO
    a = o.assets
    v["vehicles_total"] = value_of(a.vehicles_total) or sum(
        (value_of(c) or ZERO for c in a.vehicles.values()), ZERO)
    f.lists["vehicles"] = [(k, value_of(c) or ZERO) for k, c in a.vehicles.items()]
    v["equipment_50"] = value_of(a.equipment_50) or ZERO
    v["equipment_100"] = value_of(a.equipment_100) or ZERO

    # 十三 绩效
    f.evaluations = [evaluation_view(e) for e in d.performance]
    projects = [e for e in f.evaluations if e.kind == "project"]
    v["evaluated_projects"] = Decimal(len(projects))
    v["evaluated_amount"] = sum((e.budget or ZERO for e in projects), ZERO)
    v["evaluated_executed"] = sum((e.executed or ZERO for e in projects), ZERO)
    v["evaluated_share"] = percent(v["evaluated_executed"], v["gpb_project"]) or ZERO
    scored = [e.total for e in projects if e.total is not None]
    if scored:
        v["average_score"] = round_money(sum(scored, ZERO) / len(scored))
    dept = next((e for e in f.evaluations if e.kind == "department"), None)
    if dept is not None:
        v["department_score"] = dept.total
        v["department_amount"] = dept.budget or ZERO
    return f


@dataclass
class EvaluationView:
    """A 绩效自评表 with the scores juesuan computes (the stated ones are checked elsewhere)."""

    kind: str
    name: str
    unit: str | None
    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    weight: Decimal
    exec_score: Decimal | None
    goals: list[GoalView]
    total: Decimal | None


@dataclass
class IndicatorView:
    indicator: object  # model.Indicator
    score: Decimal | None  # as stated, else 分值 × 完成率 (capped at 100%)


@dataclass
class GoalView:
    goal: object  # model.Goal
    indicators: list[IndicatorView]
    score: Decimal | None


def indicator_score(i) -> Decimal | None:
    stated = value_of(i.score)
    if stated is not None:
        return stated
    weight, completion = value_of(i.weight), value_of(i.completion)
    if weight is None or completion is None:
        return None
    return round_money(weight * min(completion, Decimal(100)) / 100)


def goal_view(g) -> GoalView:
    indicators = [IndicatorView(i, indicator_score(i)) for i in g.indicators]
    score = value_of(g.score)
    if score is None and indicators and all(i.score is not None for i in indicators):
        score = sum((i.score for i in indicators), ZERO)  # type: ignore[misc]
    return GoalView(g, indicators, score)


def evaluation_view(e) -> EvaluationView:
    rate = exact_rate(e)
    weight = value_of(e.execution_weight) or Decimal(20)
    exec_score = round_money(weight * min(rate, Decimal(100)) / 100) if rate is not None else None
    goals = [goal_view(g) for g in e.goals]
    blocks = [g.score for g in goals]
    total = None
    if exec_score is not None and all(b is not None for b in blocks):
        total = exec_score + sum(blocks, ZERO)  # type: ignore[arg-type]
    return EvaluationView(e.kind, e.name, e.unit, value_of(e.budget), value_of(e.executed),
                          round_money(rate) if rate is not None else None, weight, exec_score,
                          goals, total)

