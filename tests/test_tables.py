"""Table specifications: profiles are data, formulas are parsed from the printed form."""

import textwrap

import pytest

from juesuan.errors import ProfileError
from juesuan.tables import list_profiles, load_profile, render_formula
from juesuan.tables.formula import parse_formula


def test_three_profiles_ship():
    ids = {p.id for p in list_profiles()}
    assert {"hubei-2022", "shanghai-2024", "legacy-8"} <= ids


@pytest.mark.parametrize("profile, order", [
    ("hubei-2022", ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"]),
    ("shanghai-2024", ["T1", "T2", "T3", "T4", "T5", "T6", "T9", "T7", "T8"]),
    ("legacy-8", ["T1", "T2", "T3", "T4", "T5", "T6", "T9", "T7"]),
])
def test_table_order_per_profile(profile, order):
    p = load_profile(profile)
    assert [t.key for t in p.tables] == order
    assert [t.number for t in p.tables] == list(range(1, len(order) + 1))


def test_hubei_formulas_are_the_printed_ones():
    t1 = load_profile("hubei-2022").table("T1")
    printed = [render_formula(f, t1) for f in t1.formulas if f.printed]
    assert printed == ["27 行 = (1+2+…+8) 行", "31 行 = (27+28+29) 行",
                       "58 行 = (32+33+…+57) 行", "62 行 = (58+59+60) 行"]
    r58 = next(f for f in t1.formulas if f.id == "R58")
    assert len(r58.terms) == 26  # one per function 类


def test_formula_with_minus_and_columns():
    t7 = load_profile("hubei-2022").table("T7")
    f = next(f for f in t7.formulas if f.id == "C6")
    assert [(t.sign, t.col) for t in f.terms] == [(1, "C1"), (1, "C2"), (-1, "C3")]
    assert render_formula(f, t7) == "6 栏各行 = (1+2-3) 栏各行"


def test_sanggong_columns_differ_in_order_but_not_in_meaning():
    hb = load_profile("hubei-2022").table("T9")
    sh = load_profile("shanghai-2024").table("T9")
    assert [c.key for c in hb.columns][:2] == ["C1", "C2"]
    assert [c.key for c in sh.columns][:2] == ["C1", "C7"]
    assert hb.column("C12").role == sh.column("C12").role == "actual_reception"


@pytest.mark.parametrize("expr", ["R1 + R2", "R1 = = R2", "R1 = R999", "R1 = C1", "R1 = R2 +"])
def test_bad_formulas_are_explained(expr):
    t1 = load_profile("hubei-2022").table("T1")
    with pytest.raises(ProfileError) as err:
        parse_formula(expr, t1)
    assert "公式" in str(err.value)


def test_a_new_profile_is_a_data_change(tmp_path, monkeypatch):
    (tmp_path / "zhejiang-2023.yaml").write_text(textwrap.dedent("""
        id: zhejiang-2023
        name: 浙江 2023（测试）
        years: [2023, 2023]
        tables:
          - {use: summary-2022, number: 1}
          - {use: income-2022, number: 2}
          - {use: expenditure-2022, number: 3}
          - {use: fiscal-summary-2022, number: 4}
          - {use: gpb-expenditure-2022, number: 5, title: 一般公共预算支出决算表}
          - {use: basic-2022, number: 6}
          - {use: three-public-2022, number: 7}
          - {use: fund-2022, number: 8}
          - {use: state-capital-2022, number: 9}
    """), encoding="utf-8")
    monkeypatch.setenv("JUESUAN_PROFILES", str(tmp_path))
    p = load_profile("zhejiang-2023")
    assert p.by_number(5).title == "一般公共预算支出决算表"
    assert p.by_number(7).key == "T9"


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(ProfileError) as err:
        load_profile("mars-2030")
    assert "shanghai-2024" in str(err.value)


def test_broken_profile_file_is_reported(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text("id: bad\ntables:\n  - {use: nothing-here}\n", encoding="utf-8")
    monkeypatch.setenv("JUESUAN_PROFILES", str(tmp_path))
    with pytest.raises(ProfileError) as err:
        load_profile("bad")
    assert "nothing-here" in str(err.value)
