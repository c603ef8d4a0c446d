"""Catalogs: shipped partial data, year-aware names, user imports."""

import pytest

from juesuan.catalog import Catalog, import_catalog, kind_of, level_of
from juesuan.errors import JuesuanError


def test_shipped_codes_are_found_with_provenance():
    cat = Catalog(2022)
    e = cat.lookup("2101199")
    assert e.name == "其他行政事业单位医疗支出" and e.parent == "21011" and e.level == "项"
    assert e.confidence == "attested" and e.source == "function_partial.csv"
    assert cat.lookup("30311").confidence == "unverified"


def test_unknown_code_is_not_verifiable_not_wrong():
    assert Catalog(2022).name_matches("2990101", "随便什么") is None


def test_names_compare_across_bracket_widths():
    assert Catalog(2022).name_matches("20103", "政府办公厅(室)及相关机构事务")


def test_former_names_are_accepted_for_their_years():
    assert Catalog(2017).name_matches("210", "医疗卫生与计划生育支出")
    assert Catalog(2022).name_matches("210", "医疗卫生与计划生育支出") is False
    assert Catalog(2020).name_matches("20805", "行政事业单位离退休")


def test_levels_and_kinds():
    assert level_of("2010302") == "项" and level_of("30101", "economic") == "款"
    assert level_of("2010", "function") is None
    assert kind_of("30101") == "economic" and kind_of("201") == "function"


def test_import_csv_for_a_year(tmp_path):
    f = tmp_path / "2024科目.csv"
    f.write_text("科目编码,科目名称\n2990101,测试项目\n201,一般公共服务支出\nabc,坏行\n",
                 encoding="utf-8")
    _, n, problems = import_catalog(f, 2024)
    assert n == 2 and len(problems) == 1 and "abc" in problems[0]
    cat = Catalog(2024)
    assert cat.lookup("2990101").confidence == "official"
    assert Catalog(2023).lookup("2990101") is None


def test_import_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["科目编码", "科目名称"])
    wb.active.append(["2010699", "其他财政事务支出"])
    wb.save(tmp_path / "c.xlsx")
    _, n, _ = import_catalog(tmp_path / "c.xlsx", 2024)
    assert n == 1 and Catalog(2024).lookup("2010699").name == "其他财政事务支出"


def test_import_without_headers_is_explained(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(JuesuanError) as err:
        import_catalog(f, 2024)
    assert "科目编码" in str(err.value)
