"""The two real disclosures, transcribed by hand: the findings established by a manual audit.

武汉市江汉区企业服务中心 2022 (hubei-2022) — what the published text shows:
  * table 3 lost every amount except 合计 (one 错误, the identities through it are skipped);
  * 政府采购: 授予中小企业合同金额 226.15 exceeds the 采购总额 138.34;
  * 绩效: the 部门整体 weights add to 99.92 (年度目标2 shows its score 9.92 where the weight
    belongs); 党建及法律顾问经费 states 执行率 92% for 5.82 ÷ 6.35 = 91.65% and scores 18.4 from
    it; project 1 lost the score of its last indicator; 部门整体 执行率 99.30% is 99.31% (提示);
    one table names the unit 江汉区企业服务中心 (提示).
上海市普陀区财政局 2024 (shanghai-2024) — only rounding differences in the tables:
  * 208 社会保障和就业支出 is 326.71 in tables 1 and 4 but 326.72 in tables 2, 3, 5;
  * 合计 rows of tables 2, 3, 5 differ by 0.01 from the sum of their 类; table 6 301 and 302
    differ by 0.01 and 0.02 from their 款;
  * 年初预算 items add to 2,993.93 against 2,993.92; 政府采购 4.79 + 0 + 246.47 = 251.26
    against 251.25.
The narrative slips of both documents (a 0.3 万元 total, a 71.73% share…) are claims in the text,
checked by the narrative rules, not here.
"""

from collections import Counter

from juesuan.check import check


def counts(report):
    return Counter((f.rule, f.severity.value) for f in report.findings)


def test_wuhan_findings(wuhan):
    r = check(wuhan)
    assert counts(r) == Counter({
        ("S.amounts_missing", "错误"): 1,
        ("O.procurement.sme", "警告"): 1,
        ("P.weights", "警告"): 1,
        ("P.rate", "警告"): 1,
        ("P.exec_score", "警告"): 1,
        ("P.missing", "警告"): 1,
        ("P.rate", "提示"): 1,
        ("P.unit_name", "提示"): 1,
    })
    by_rule = {f.rule: f for f in r.findings if f.severity.value != "提示"}
    assert "表3《支出决算表》" in by_rule["S.amounts_missing"].message
    assert by_rule["S.amounts_missing"].location.line == 170
    assert "99.92" in by_rule["P.weights"].message
    assert by_rule["P.rate"].expected == "91.65" and by_rule["P.rate"].found == "92.00"
    assert by_rule["P.exec_score"].expected == "18.33"
    assert "服务对象满意度" in by_rule["P.missing"].message
    assert by_rule["O.procurement.sme"].found == "226.15"


def test_putuo_findings(putuo):
    r = check(putuo)
    assert r.counts.错误 == 0 and r.counts.警告 == 0
    assert counts(r) == Counter({
        ("X.T1-T3.class", "提示"): 1,
        ("X.T4-T5.class", "提示"): 1,
        ("T2.H.total", "提示"): 2,
        ("T3.H.total", "提示"): 2,
        ("T5.H.total", "提示"): 2,
        ("T6.H.class", "提示"): 2,
        ("O.budget.sum", "提示"): 1,
        ("O.procurement.sum", "提示"): 1,
    })
    t1t3 = next(f for f in r.findings if f.rule == "X.T1-T3.class")
    assert t1t3.location.row == "208" and t1t3.found == "326.71" and t1t3.expected == "326.72"
    assert t1t3.location.page == 6
    t6 = sorted((f.location.row, f.difference) for f in r.findings if f.rule == "T6.H.class")
    assert t6 == [("301", "-0.01"), ("302", "-0.02")]


def test_putuo_real_slip_made_bigger_becomes_an_error(putuo):
    """The same 208 inconsistency beyond rounding is reported as an error at the right cell."""
    putuo.table("T1").set("208", "C2", putuo.table("T1").value("208", "C2") - 10)
    r = check(putuo)
    errors = [f for f in r.findings if f.severity.value == "错误"]
    assert errors and all(f.location.table == "T1" and f.location.row == "208" for f in errors)
    assert errors[0].expected == "326.71"  # R58 (本年支出合计) pins the cell: 316.71 → 326.71
