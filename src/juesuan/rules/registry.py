"""The catalogue of rules: id, family, severity, and the function that checks.

Rules that are not identities register themselves with ``@rule``.  Identity rules (table
formulas, hierarchy, cross-table) are generated from the profile; ``catalogue(profile)`` lists
both, which is what ``juesuan rules`` prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from juesuan.rules.context import Context
from juesuan.rules.findings import Finding, Severity
from juesuan.tables import Profile, render_formula

Check = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class RuleInfo:
    id: str
    family: str
    severity: Severity
    title: str
    check: Check | None = None


_RULES: list[RuleInfo] = []


def rule(rule_id: str, family: str, severity: Severity, title: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        _RULES.append(RuleInfo(rule_id, family, severity, title, fn))
        return fn

    return register


def registered() -> list[RuleInfo]:
    return list(_RULES)


# Identity rules whose instances are generated; listed here so that `juesuan rules` shows them.
CROSS_RULES = [
    ("X.T1-T2.inc_total", "表1 本年收入合计 = 表2 合计行本年收入合计"),
    ("X.T1-T2.fiscal", "表2 财政拨款收入合计 = 表1 三项财政拨款收入之和"),
    ("X.T1-T2.inc_superior", "表1 上级补助收入 = 表2 合计行上级补助收入"),
    ("X.T1-T2.inc_business", "表1 事业收入 = 表2 合计行事业收入"),
    ("X.T1-T2.inc_operating", "表1 经营收入 = 表2 合计行经营收入"),
    ("X.T1-T2.inc_affiliated", "表1 附属单位上缴收入 = 表2 合计行附属单位上缴收入"),
    ("X.T1-T2.inc_other", "表1 其他收入 = 表2 合计行其他收入"),
    ("X.T1-T3.exp_total", "表1 本年支出合计 = 表3 合计行本年支出合计"),
    ("X.T1-T3.class", "表1 每个功能分类类级支出 = 表3 该类的本年支出合计"),
    ("X.T1-T4.income", "表4 三项财政拨款收入 = 表1 同名收入"),
    ("X.T1-T4.opening", "表1 年初结转和结余 ≥ 表4 年初财政拨款结转和结余（警告）"),
    ("X.T1-T4.closing", "表1 年末结转和结余 ≥ 表4 年末财政拨款结转和结余（警告）"),
    ("X.T4-T5.total", "表4 本年支出合计中的一般公共预算财政拨款 = 表5 合计"),
    ("X.T4-T5.class", "表4 每类的一般公共预算财政拨款支出 = 表5 该类合计"),
    ("X.T4-T7.total", "表4 本年支出合计中的政府性基金 = 政府性基金表本年支出合计"),
    ("X.T4-T7.class", "表4 每类的政府性基金支出 = 政府性基金表该类支出"),
    ("X.T4-T7.income", "表4 政府性基金收入 = 政府性基金表本年收入"),
    ("X.T4-T7.opening", "表4 年初政府性基金结转 = 政府性基金表年初结转和结余"),
    ("X.T4-T7.closing", "表4 年末政府性基金结转 = 政府性基金表年末结转和结余"),
    ("X.T4-T8.total", "表4 本年支出合计中的国有资本经营 = 国有资本经营表支出合计"),
    ("X.T4-T8.class", "表4 每类的国有资本经营支出 = 国有资本经营表该类支出"),
    ("X.T5-T6.basic", "表5 基本支出合计 = 表6 人员经费合计 + 公用经费合计"),
    ("X.T3-T5.equal", "只有一般公共预算财政拨款时，表3 与表5 逐行逐栏相等"),
    ("X.T3-T5.cover", "表3 每行每栏 ≥ 表5 同一位置（警告）"),
    ("X.T6-T9.sangong", "三公决算（出国、接待、车辆购置与运行）≥ 表6 基本支出中的同类支出（警告）"),
]


def catalogue(profile: Profile) -> Iterator[RuleInfo]:
    """Every rule that applies to ``profile``, in a stable order."""
    for spec in profile.tables:
        for f in spec.formulas:
            sev = Severity.ERROR if f.severity == "error" else Severity.WARNING
            title = f.title or render_formula(f, spec)
            yield RuleInfo(f"{spec.key}.{f.id}", "表内公式", sev, f"{spec.display}：{title}")
        if spec.hierarchy:
            for suffix, text in (("class", "类 = Σ款"), ("item", "款 = Σ项"), ("total", "合计 = Σ类")):
                if spec.classification == "economic" and suffix != "class":
                    continue
                yield RuleInfo(f"{spec.key}.H.{suffix}", "层级", Severity.ERROR,
                               f"{spec.display}：{text}（每一栏）")
    for rid, title in CROSS_RULES:
        table_keys = {k for k in ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9") if k in rid}
        if all(profile.table(k) for k in table_keys):
            sev = Severity.WARNING if "（警告）" in title else Severity.ERROR
            yield RuleInfo(rid, "表间", sev, title)
    yield from sorted(_RULES, key=lambda r: r.id)
