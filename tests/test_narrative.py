"""Claims in the explanations and the 文字 rules, written as specifications: a sentence, and the
finding it should (or should not) produce."""

from decimal import Decimal

import pytest

from juesuan.check import check
from juesuan.model import Section
from juesuan.narrative import extract
from juesuan.synth import generate


def doc_with(*sections: tuple[str, str]):
    """A clean synthetic disclosure (hubei-2022) with the given 第三部分 sections."""
    d = generate("hubei-2022", seed=7)
    d.narrative = [Section(part="第三部分", title=t, level=2, text=x) for t, x in sections]
    return d


def t(d, table, row, col):
    return d.table(table).value(row, col)


def pct(part, whole):
    return f"{(part / whole * 100).quantize(Decimal('0.01'), rounding='ROUND_HALF_UP')}"


def rules(d, family="文字"):
    return sorted({(f.rule, f.severity.value) for f in check(d).findings if f.family == family})


# --------------------------------------------------------------------------- claims
def test_claims_of_a_template_sentence():
    d = doc_with(("一、收入支出决算总体情况说明",
                  "2022年度收、支总计 944.91 万元。与 2021 年度相比，收、支总计各增加 543.08 万元，"
                  "增长 135.15%，主要原因是……"))
    cs = [(c.subject, c.quantity, c.value, c.direction) for c in extract(d)]
    assert cs == [("grand_total", "amount", Decimal("944.91"), None),
                  ("grand_total", "change", Decimal("543.08"), "increase"),
                  ("grand_total", "growth", Decimal("135.15"), "increase")]


def test_claims_follow_class_chains_and_shares():
    d = doc_with(("（二）一般公共预算财政拨款支出决算结构情况",
                  "一般公共预算财政拨款支出 944.91 万元，主要用于以下方面：一般公共服务支出（类）"
                  "527.29 万元，占 55.8%；"))
    cs = extract(d)
    share = next(c for c in cs if c.quantity == "share")
    assert share.subject.startswith("class:一般公共服务支出") and share.whole == "gpb_expenditure"


def test_dates_thresholds_and_numbering_are_not_amounts():
    d = doc_with(("十二、国有资产占用情况说明",
                  "截至 2022 年 12 月 31 日，共有车辆 1 辆。单价 100 万元（含）以上设备 2 台（套）。"))
    assert [(c.subject, c.value) for c in extract(d)] == [("vehicles", Decimal("1")),
                                                          ("equipment_100", Decimal("2"))]


# ---------------------------------------------------------------------------- rules
def income_text(d, share=None, total=None):
    inc_total = total or t(d, "T1", "inc_total", "C1")
    gpb = t(d, "T1", "inc_gpb", "C1")
    share = share or pct(gpb, t(d, "T1", "inc_total", "C1"))
    return ("二、收入决算情况说明",
            f"本年收入合计{inc_total}万元，其中：一般公共预算财政拨款收入{gpb}万元，占{share}%。")


def test_quiet_on_consistent_text():
    d = generate("hubei-2022", seed=7)
    grand = t(d, "T1", "inc_grand", "C1")
    d.narrative = [Section(part="第三部分", title=x, level=2, text=y) for x, y in (
        income_text(d),
        ("一、收入支出决算总体情况说明",
         f"2022年度收入支出总计{grand}万元。与2021年度相比，收入支出总计增加100.00万元，"
         f"增长{pct(Decimal(100), grand - 100)}%。"),
    )]
    assert rules(d) == []


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: income_text(d, total=Decimal("1.00")), ("N.table", "错误")),
    (lambda d: income_text(d, share="12.34"), ("N.share", "错误")),
])
def test_restated_amounts_and_shares(mutate, expected):
    d = generate("hubei-2022", seed=7)
    title, text = mutate(d)
    d.narrative = [Section(part="第三部分", title=title, level=2, text=text)]
    assert expected in rules(d)


def test_growth_on_the_wrong_base():
    d = doc_with(("一、收入支出决算总体情况说明",
                  "2022年度收支总计200.00万元。与2021年度相比，收支总计增加100.00万元，增长50.00%。"))
    findings = [f for f in check(d).findings if f.rule == "N.growth"]
    assert findings and "用本年数而不是上年数作分母" in findings[0].message


def test_growth_from_zero():
    d = doc_with(("一、收入支出决算总体情况说明",
                  "2022年度收支总计100.00万元。与2021年度相比，收支总计增加100.00万元，增长100%。"))
    assert ("N.growth", "警告") in rules(d)


def test_completion_and_comparison_words():
    d = doc_with(("（三）一般公共预算财政拨款支出决算具体情况",
                  "一般公共预算财政拨款支出年初预算为 100.00 万元，支出决算为 90.00 万元，"
                  "完成年初预算的 95.00%，决算数大于预算数的主要原因是……"))
    assert {("N.completion", "错误"), ("N.comparison", "错误")} <= set(rules(d))
    ok = doc_with(("（三）一般公共预算财政拨款支出决算具体情况",
                   "一般公共预算财政拨款支出年初预算为 100.00 万元，支出决算为 90.00 万元，"
                   "完成年初预算的 90.00%，决算数小于预算数的主要原因是……"))
    assert not {r for r, _ in rules(ok)} & {"N.completion", "N.comparison"}


def test_units_years_and_leftovers():
    d = doc_with(("十三、预算绩效情况说明",
                  "1. 甲项目绩效自评综述：项目全年预算数为 148.84 万元，执行数为 148.84 元，"
                  "完成预算的 100%。与2019年度相比，XX局支出增加（减少）XXX万元，占 %。"))
    found = {r for r, _ in rules(d)}
    assert {"N.unit", "N.year", "N.leftover"} <= found


def test_wrong_kuan_in_a_class_chain():
    d = generate("hubei-2022", seed=7)
    item = next(r for r in d.table("T5").rows if r.code and len(r.code) == 7)
    other_kuan = next(r for r in d.table("T5").rows if r.code and len(r.code) == 5
                      and r.code != item.code[:5])
    lei = d.table("T5").row(item.code[:3]).label
    d.narrative = [Section(part="第三部分", title="（三）一般公共预算财政拨款支出决算具体情况",
                           level=3, text=f"1. {lei}（类）{other_kuan.label}（款）{item.label}（项），"
                                          f"年初预算为 1.00 万元，支出决算为 {item.value('C1')} 万元。")]
    f = next(f for f in check(d).findings if f.rule == "N.name")
    assert item.code in f.message and other_kuan.label in f.message


def test_economic_items_listed_in_basic_expenditure():
    d = generate("hubei-2022", seed=7)
    t6 = d.table("T6")
    with_amount = [r.label for r in t6.rows if r.code and len(r.code) == 5
                   and r.code[:3] in ("301", "303") and r.value("C1")]
    personnel = t6.value("personnel_total", "C1")
    good = f"其中：人员经费 {personnel} 万元，主要包括：{'、'.join(with_amount)}。"
    d.narrative = [Section(part="第三部分", title="六、一般公共预算财政拨款基本支出决算情况说明",
                           level=2, text=good)]
    assert "N.items" not in {r for r, _ in rules(d)}
    d.narrative[0].text = f"其中：人员经费 {personnel} 万元，主要包括：{'、'.join(with_amount[1:])}。"
    assert ("N.items", "警告") in rules(d)


def test_unchecked_figures_are_listed():
    d = doc_with(("十、其他重要事项的情况说明", "本年度另有一笔 12.34 万元用于某事。"))
    f = next(f for f in check(d).findings if f.rule == "N.unchecked")
    assert "12.34万元" in f.message and f.severity.value == "提示"


NARRATIVE_RULES = {"N.table", "N.share", "N.growth", "N.completion", "N.comparison", "N.sum",
                   "N.unit", "N.year", "N.name", "N.leftover", "N.items", "N.unchecked"}


def test_sangong_items_add_up():
    d = doc_with(("七、财政拨款“三公”经费支出决算情况说明",
                  "“三公”经费财政拨款支出年初预算为 10.00 万元，支出决算为 9.00 万元，完成预算的 90.00%，"
                  "其中：因公出国（境）费支出决算为 1.00 万元；公务用车购置及运行维护费支出决算为 2.00 万元；"
                  "公务接待费支出决算为 3.00 万元。"))
    assert ("N.sum", "错误") in rules(d)
