"""绩效自评 rules: execution rate and score, block sums, weights, the total score.

Scoring as in the 湖北 tables (domain.md §5): 预算执行 = weight × 执行率 (执行数 ÷ 预算数,
capped at 100%); each block (年度目标, 项目绩效总目标, 年度绩效指标) scores the sum of its
indicators; the total is the execution score plus every block.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from juesuan.model import Cell, Evaluation, value_of
from juesuan.money import HUNDRED, PERCENT_ROUNDING, ZERO, fmt, round_money, tolerance
from juesuan.rules.context import Context, source_fields
from juesuan.rules.findings import Finding, Location, Severity
from juesuan.rules.registry import rule

FAMILY = "绩效"


def _loc(ev: Evaluation, cell: Cell | None = None, what: str | None = None,
         source=None) -> Location:
    src = (cell.source if cell else None) or source or ev.source
    kind = "部门整体绩效自评表" if ev.kind == "department" else "项目支出绩效自评表"
    return Location(section=f"{kind}「{ev.name}」", row_label=what, **source_fields(src))


def _finding(rule_id: str, sev: Severity, msg: str, loc: Location, expected=None, found=None):
    diff = None
    if isinstance(expected, Decimal) and isinstance(found, Decimal):
        diff = fmt(found - expected)
    return Finding(
        rule=rule_id, family=FAMILY, severity=sev, message=msg, location=loc,
        expected=fmt(expected) if isinstance(expected, Decimal) else expected,
        found=fmt(found) if isinstance(found, Decimal) else found,
        difference=diff,
    )


def exact_rate(ev: Evaluation) -> Decimal | None:
    budget, executed = value_of(ev.budget), value_of(ev.executed)
    if budget in (None, ZERO) or executed is None:
        return None
    return executed / budget * HUNDRED


@rule("P.rate", FAMILY, Severity.ERROR, "执行率 = 执行数 ÷ 预算数（四舍五入到 0.01%）")
def execution_rate(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.disclosure.performance:
        rate, stated = exact_rate(ev), value_of(ev.execution_rate)
        if rate is None or stated is None:
            continue
        expected = round_money(rate)
        diff = abs(stated - expected)
        if diff == 0:
            continue
        if diff <= PERCENT_ROUNDING:
            sev, why = Severity.INFO, "差 0.01 个百分点，可能是截尾而非四舍五入"
        elif stated == round_money(rate, Decimal(1)):
            sev, why = Severity.WARNING, "填写的是取整后的百分比"
        else:
            sev, why = Severity.ERROR, "与执行数、预算数不符"
        yield _finding(
            "P.rate", sev,
            f"「{ev.name}」执行率应为 {fmt(ev.executed.value)} ÷ {fmt(ev.budget.value)} = "
            f"{fmt(expected)}%，表中为 {fmt(stated)}%：{why}。",
            _loc(ev, ev.execution_rate, "执行率"), expected, stated,
        )


@rule("P.exec_score", FAMILY, Severity.ERROR, "预算执行得分 = 分值 × 执行率（执行率超过 100% 按 100%）")
def execution_score(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.disclosure.performance:
        rate, stated = exact_rate(ev), value_of(ev.execution_score)
        weight = value_of(ev.execution_weight) or Decimal(20)
        if rate is None or stated is None:
            continue
        expected = round_money(weight * min(rate, HUNDRED) / HUNDRED)
        diff = abs(stated - expected)
        if diff == 0:
            continue
        stated_rate = value_of(ev.execution_rate)
        via_stated = (round_money(weight * min(stated_rate, HUNDRED) / HUNDRED)
                      if stated_rate is not None else None)
        if diff <= tolerance(1):
            sev, why = Severity.INFO, "属于尾差"
        elif via_stated is not None and stated == via_stated:
            sev, why = Severity.WARNING, f"表中是按填写的执行率 {fmt(stated_rate)}% 计算的"
        else:
            sev, why = Severity.ERROR, "与分值和执行率不符"
        yield _finding(
            "P.exec_score", sev,
            f"「{ev.name}」预算执行得分应为 {fmt(weight)} × {fmt(rate)}% = {fmt(expected)} 分，"
            f"表中为 {fmt(stated)} 分：{why}。",
            _loc(ev, ev.execution_score, "预算执行得分"), expected, stated,
        )


@rule("P.goal_sum", FAMILY, Severity.ERROR, "每个目标（指标块）的得分 = 其下各指标得分之和")
def goal_sum(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.disclosure.performance:
        for goal in ev.goals:
            scores = [value_of(i.score) for i in goal.indicators]
            stated = value_of(goal.score)
            if stated is None or not goal.indicators or all(s is None for s in scores):
                continue
            total = sum((s for s in scores if s is not None), ZERO)
            diff = abs(stated - total)
            if diff == 0:
                continue
            yield _finding(
                "P.goal_sum", Severity.ERROR if diff > tolerance(1) else Severity.INFO,
                f"「{ev.name}」{goal.title}得分为 {fmt(stated)}，其下 {len(scores)} 个指标得分之和为 "
                f"{fmt(total)}。",
                _loc(ev, goal.score, goal.title), total, stated,
            )


def block_score(goal) -> Decimal | None:
    stated = value_of(goal.score)
    if stated is not None:
        return stated
    scores = [value_of(i.score) for i in goal.indicators]
    if goal.indicators and all(s is not None for s in scores):
        return sum(scores, ZERO)  # type: ignore[arg-type]
    return None


@rule("P.total", FAMILY, Severity.ERROR, "自评得分 = 预算执行得分 + 各目标（指标块）得分")
def total_score(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.disclosure.performance:
        stated = value_of(ev.total_score)
        parts = [value_of(ev.execution_score)] + [block_score(g) for g in ev.goals]
        if stated is None or any(p is None for p in parts):
            continue
        total = sum(parts, ZERO)  # type: ignore[arg-type]
        diff = abs(stated - total)
        if diff == 0:
            continue
        yield _finding(
            "P.total", Severity.ERROR if diff > tolerance(1) else Severity.INFO,
            f"「{ev.name}」自评得分为 {fmt(stated)}，但预算执行得分与各部分得分之和为 {fmt(total)}。",
            _loc(ev, ev.total_score, "自评得分"), total, stated,
        )


@rule("P.weights", FAMILY, Severity.WARNING, "各部分分值合计应为 100 分，指标分值之和应等于所属目标分值")
def weights(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.disclosure.performance:
        ws = [value_of(ev.execution_weight)] + [value_of(g.weight) for g in ev.goals]
        if ev.goals and all(w is not None for w in ws):
            total = sum(ws, ZERO)  # type: ignore[arg-type]
            if total != HUNDRED:
                yield _finding(
                    "P.weights", Severity.WARNING,
                    f"「{ev.name}」预算执行与各目标的分值合计为 {fmt(total)} 分，应为 100 分"
                    "（常见原因：把得分填在了分值的位置）。",
                    _loc(ev, None, "分值"), HUNDRED, total,
                )
        for g in ev.goals:
            iw = [value_of(i.weight) for i in g.indicators]
            gw = value_of(g.weight)
            if gw is None or not iw or any(w is None for w in iw):
                continue
            s = sum(iw, ZERO)  # type: ignore[arg-type]
            if s != gw:
                yield _finding(
                    "P.weights", Severity.WARNING,
                    f"「{ev.name}」{g.title}的分值为 {fmt(gw)}，其下指标分值之和为 {fmt(s)}。",
                    _loc(ev, g.weight, g.title), gw, s,
                )


@rule("P.indicator", FAMILY, Severity.ERROR, "指标得分不超过分值；给出完成率时得分 = 分值 × 完成率")
def indicator(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.disclosure.performance:
        for g in ev.goals:
            for ind in g.indicators:
                w, s, c = value_of(ind.weight), value_of(ind.score), value_of(ind.completion)
                if w is None or s is None:
                    continue
                if s > w:
                    yield _finding("P.indicator", Severity.ERROR,
                                   f"「{ev.name}」指标「{ind.name}」得分 {fmt(s)} 超过分值 {fmt(w)}。",
                                   _loc(ev, ind.score, ind.name), w, s)
                elif c is not None:
                    expected = round_money(w * min(c, HUNDRED) / HUNDRED)
                    if abs(expected - s) > tolerance(1):
                        yield _finding(
                            "P.indicator", Severity.ERROR,
                            f"「{ev.name}」指标「{ind.name}」完成 {fmt(c)}%，得分应为 {fmt(w)} × "
                            f"{fmt(c)}% = {fmt(expected)}，表中为 {fmt(s)}。",
                            _loc(ev, ind.score, ind.name), expected, s)


@rule("P.missing", FAMILY, Severity.WARNING, "每个指标都应有得分")
def missing_score(ctx: Context) -> Iterator[Finding]:
    for ev in ctx.disclosure.performance:
        for g in ev.goals:
            scored = [i for i in g.indicators if i.score is not None and i.score.value is not None]
            if not scored:
                continue
            for ind in g.indicators:
                if ind.score is None or ind.score.value is None:
                    yield _finding(
                        "P.missing", Severity.WARNING,
                        f"「{ev.name}」{g.title}中的指标「{ind.name}」没有得分，其他指标都有。",
                        _loc(ev, None, ind.name, ind.source), None, None)


@rule("P.unit_name", FAMILY, Severity.WARNING, "自评表上的部门名称应与公开单位名称一致")
def unit_name(ctx: Context) -> Iterator[Finding]:
    from juesuan.catalog import norm_name

    unit = norm_name(ctx.disclosure.unit)
    for ev in ctx.disclosure.performance:
        if not ev.unit or norm_name(ev.unit) == unit:
            continue
        short = norm_name(ev.unit) in unit
        yield _finding(
            "P.unit_name", Severity.INFO if short else Severity.WARNING,
            f"「{ev.name}」自评表上的部门名称为「{ev.unit}」，公开单位为「{ctx.disclosure.unit}」"
            + ("（简称，建议统一用全称）。" if short else "，两者不一致。"),
            _loc(ev, None, "部门名称"), ctx.disclosure.unit, ev.unit,
        )
