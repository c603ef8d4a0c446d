"""Every rule: one test where it fires, one where it stays quiet.

Identity rules (table formulas, hierarchy, cross-table) are exercised generically: for each rule
of the catalogue we take an instance of the identity in a clean synthetic disclosure and change
its left-hand cell.  Registered rules each have a hand-written mutation below.
"""

from decimal import Decimal

import pytest

from juesuan.catalog import Catalog
from juesuan.check import check
from juesuan.model import Cell, Row
from juesuan.rules.context import Context
from juesuan.rules.crosstable import cross_identities
from juesuan.rules.identities import table_identities
from juesuan.rules.registry import catalogue, registered
from juesuan.synth import generate
from juesuan.tables import load_profile

PROFILES = ["hubei-2022", "shanghai-2024", "legacy-8"]


def fired(report, rule: str) -> bool:
    return any(f.rule == rule or any(r.startswith(rule + "：") for r in f.related)
               for f in report.findings)


def identity_rules(profile):
    return sorted({r.id for r in catalogue(profile) if r.family in ("表内公式", "层级", "表间")})


def _instances(d, rule):
    p = load_profile(d.profile)
    ctx = Context(d, p, Catalog(d.year))
    return [i for i in [*table_identities(ctx), *cross_identities(ctx)] if i.rule == rule]


def _clean_for(rule, profile):
    if rule == "X.T3-T5.equal":
        return generate(profile, seed=3, nonfiscal=False)
    return generate(profile, seed=3, funds=True)


@pytest.mark.parametrize("profile", PROFILES)
def test_clean_synthetic_disclosures_are_quiet(profile):
    for seed in range(6):
        for funds in (False, True):
            assert check(generate(profile, seed, funds=funds)).findings == []
            assert check(generate(profile, seed, nonfiscal=False, funds=funds)).findings == []


@pytest.mark.parametrize("profile", PROFILES)
def test_every_identity_rule_fires_when_its_left_cell_changes(profile):
    p = load_profile(profile)
    silent = []
    for rule in identity_rules(p):
        d = _clean_for(rule, profile)
        instances = _instances(d, rule)
        if not instances:
            silent.append(rule)
            continue
        ident = max(instances, key=lambda i: abs(d.table(i.lhs.table).value(i.lhs.row, i.lhs.col)
                                                 or 0) if d.table(i.lhs.table) else 0)
        table = d.table(ident.lhs.table)
        old = table.value(ident.lhs.row, ident.lhs.col) or Decimal(0)
        delta = Decimal("-1000000") if ident.relation == "ge" else Decimal("1.00")
        table.set(ident.lhs.row, ident.lhs.col, old + delta)
        assert fired(check(d), rule), f"{rule} did not fire"
    assert not silent, f"rules with no instance in a clean document: {silent}"


# ----------------------------------------------------------------- registered rules
def _drop_table(d, key):
    d.tables = [t for t in d.tables if t.key != key]


def _empty_t7_without_note(d):
    d.table("T7").notes = []


def _lose_t5_amounts(d):
    for r in d.table("T5").rows:
        if r.code:
            r.cells = {}


def _bad_code_length(d):
    d.table("T5").add_row(Row(key="20101011", code="20101011", label="错位",
                              cells={"C1": Cell(value=Decimal(0))}))


def _orphan_item(d):
    d.table("T5").add_row(Row(key="2990101", code="2990101", label="无上级",
                              cells={"C1": Cell(value=Decimal(0))}))


def _wrong_name(d):
    row = next(r for r in d.table("T2").rows if r.code and len(r.code) == 7)
    row.label = "完全不同的名称"


def _inconsistent_name(d):
    rows = [r for r in d.table("T3").rows if r.code and len(r.code) == 7]
    rows[0].label = rows[0].label + "（另称）"


def _unknown_code(d):
    t = d.table("T5")
    t.add_row(Row(key="229", code="229", label="其他支出"))
    t.add_row(Row(key="22999", code="22999", label="其他支出"))
    t.add_row(Row(key="2299999", code="2299999", label="其他支出"))


def _perf(d, kind="project"):
    return next(e for e in d.performance if e.kind == kind)


def _bad_rate(d):
    _perf(d).execution_rate = Cell(value=Decimal("50"))


def _bad_exec_score(d):
    _perf(d).execution_score = Cell(value=_perf(d).execution_score.value - Decimal(3))


def _bad_goal_sum(d):
    g = _perf(d).goals[1]
    g.score = Cell(value=g.score.value + Decimal(2))


def _bad_total(d):
    e = _perf(d)
    e.total_score = Cell(value=e.total_score.value + Decimal(5))


def _bad_weights(d):
    e = _perf(d)
    e.goals[0].weight = Cell(value=e.goals[0].weight.value + Decimal(1))


def _bad_indicator(d):
    ind = _perf(d).goals[0].indicators[0]
    ind.score = Cell(value=ind.weight.value + Decimal(1))


def _missing_score(d):
    _perf(d).goals[0].indicators[0].score = None


def _other_unit_name(d):
    _perf(d).unit = "另一个单位"


def _procurement_sum(d):
    d.others.procurement.total = Cell(value=d.others.procurement.total.value + Decimal(10))


def _procurement_sme(d):
    d.others.procurement.sme_contract = Cell(value=d.others.procurement.total.value + Decimal(10))


def _budget_sum(d):
    d.others.initial_budget_total = Cell(value=d.others.initial_budget_total.value + Decimal(10))


def _budget_actual(d):
    d.others.budget_items[0].actual = Cell(value=d.others.budget_items[0].actual.value + 1)


def _budget_code(d):
    d.others.budget_items[0].code = "2990101"


def _budget_coverage(d):
    d.others.budget_items = d.others.budget_items[1:]


def _running_cost(d):
    d.others.running_cost = Cell(value=d.others.running_cost.value + Decimal(5))


def _sangong(d):
    spec_col = "C12"
    d.others.sangong.reception_domestic = Cell(
        value=(d.table("T9").value("amount", spec_col) or 0) + Decimal(5))


def _vehicles(d):
    d.others.assets.vehicles_total = Cell(value=Decimal(99))


def _read_issue(d):
    from juesuan.model import Origin, ReadIssue

    d.origin = Origin(issues=[ReadIssue(message="工作表「表2」单元格 D7 应为金额")])


MUTATIONS = {
    "S.table_missing": lambda d: _drop_table(d, "T3"),
    "S.empty_note": _empty_t7_without_note,
    "S.amounts_missing": _lose_t5_amounts,
    "C.level": _bad_code_length,
    "C.parent": _orphan_item,
    "C.name": _wrong_name,
    "C.unknown": _unknown_code,
    "C.inconsistent": _inconsistent_name,
    "P.rate": _bad_rate,
    "P.exec_score": _bad_exec_score,
    "P.goal_sum": _bad_goal_sum,
    "P.total": _bad_total,
    "P.weights": _bad_weights,
    "P.indicator": _bad_indicator,
    "P.missing": _missing_score,
    "P.unit_name": _other_unit_name,
    "O.procurement.sum": _procurement_sum,
    "O.procurement.sme": _procurement_sme,
    "O.budget.sum": _budget_sum,
    "O.budget.actual": _budget_actual,
    "O.budget.code": _budget_code,
    "O.budget.coverage": _budget_coverage,
    "O.running_cost": _running_cost,
    "O.sangong": _sangong,
    "O.assets.vehicles": _vehicles,
}


def test_every_registered_rule_has_a_firing_test():
    from .test_narrative import NARRATIVE_RULES

    assert {r.id for r in registered()} == set(MUTATIONS) | NARRATIVE_RULES


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_registered_rule_fires(rule):
    d = generate("hubei-2022", seed=11)
    assert not fired(check(d), rule)  # quiet on the clean document
    MUTATIONS[rule](d)
    assert fired(check(d), rule), rule


def test_read_issues_become_findings():
    d = generate("hubei-2022", seed=1)
    _read_issue(d)
    f = check(d).findings[0]
    assert f.rule == "R.input" and f.family == "读取" and f.severity.value == "错误"
