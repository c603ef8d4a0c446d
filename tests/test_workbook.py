"""The input workbook: template, export, reading back, and clear errors for bad input."""

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from juesuan.check import check
from juesuan.readers import read
from juesuan.tables import load_profile
from juesuan.writers.workbook import write_workbook

PROFILES = ["hubei-2022", "shanghai-2024", "legacy-8"]


def values(d):
    return {(t.key, r.key, c): cell.value for t in d.tables for r in t.rows
            for c, cell in r.cells.items() if cell.value is not None}


def export(d, tmp_path: Path) -> Path:
    path = tmp_path / f"{d.unit}.xlsx"
    write_workbook(load_profile(d.profile), path, d)
    return path


@pytest.mark.parametrize("profile", PROFILES)
def test_template_has_every_table_and_sheet(profile, tmp_path):
    p = load_profile(profile)
    path = write_workbook(p, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    for spec in p.tables:
        assert any(name.startswith(f"表{spec.number} ") for name in wb.sheetnames)
    for name in ("单位信息", "上年数", "年初预算", "三公经费明细", "政府采购", "国有资产",
                 "绩效自评", "绩效指标", "说明文字"):
        assert name in wb.sheetnames
    d = read(path)
    assert d.profile == profile
    assert {t.key for t in d.tables} == {t.key for t in p.tables}
    messages = [i.message for i in d.origin.issues]
    assert messages == ["「单位信息」中没有填写单位名称。", "「单位信息」中没有填写决算年度。"]


def test_template_prints_the_formulas_and_line_numbers(tmp_path):
    path = write_workbook(load_profile("hubei-2022"), tmp_path / "t.xlsx")
    ws = load_workbook(path)["表1 收入支出决算总表"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert ("27 行 = (1+2+…+8) 行；31 行 = (27+28+29) 行；58 行 = (32+33+…+57) 行；"
            "62 行 = (58+59+60) 行。") in texts
    assert "栏次" in texts
    assert "27 行 = (1+2+…+8) 行" in ws["A1"].comment.text


@pytest.mark.parametrize("name", ["wuhan", "putuo"])
def test_export_and_read_back_keeps_every_amount(name, request, tmp_path):
    d = request.getfixturevalue(name)
    back = read(export(d, tmp_path))
    assert back.origin.issues == []
    assert values(back) == values(d)
    assert [(i.code, i.name, i.budget.value, i.actual.value) for i in back.others.budget_items] == \
        [(i.code, i.name, i.budget.value, i.actual.value) for i in d.others.budget_items]
    assert [e.total_score.value for e in back.performance] == [e.total_score.value for e in d.performance]
    assert sorted((f.rule, f.message) for f in check(back).findings) == \
        sorted((f.rule, f.message) for f in check(d).findings)


def test_cells_remember_their_sheet_and_cell(putuo, tmp_path):
    back = read(export(putuo, tmp_path))
    cell = back.table("T1").cell("inc_gpb", "C1")
    assert cell.source.sheet == "表1 收入支出决算总表" and cell.source.cell == "B5"
    f = next(f for f in check(back).findings if f.rule == "X.T1-T3.class")
    assert f.location.source == "表1 收入支出决算总表!D12"


def _put(path: Path, sheet: str, coord: str, value) -> None:
    wb = load_workbook(path)
    wb[sheet][coord] = value
    wb.save(path)


def _find(ws, text):
    return next(c for row in ws.iter_rows() for c in row if c.value == text)


def test_text_where_a_number_belongs_names_sheet_and_cell(putuo, tmp_path):
    path = export(putuo, tmp_path)
    wb = load_workbook(path)
    ws = wb["表2 收入决算表"]
    label = _find(ws, "行政运行")
    ws.cell(row=label.row, column=3, value="约一千五百万")
    wb.save(path)
    d = read(path)
    issue = d.origin.issues[0]
    assert issue.message.startswith(
        f"工作表「表2 收入决算表」 单元格 C{label.row} 应为金额，实为“约一千五百万”")
    assert d.table("T2").value("2010601", "C2") == Decimal("1511.89")  # the rest of the row is read
    r = check(d)
    assert r.findings[0].rule == "R.input" and r.has_errors


def test_missing_sheet_is_one_clear_error(putuo, tmp_path):
    path = export(putuo, tmp_path)
    wb = load_workbook(path)
    del wb["表3 支出决算表"]
    wb.save(path)
    d = read(path)
    assert d.table("T3") is None and d.table("T2") is not None
    r = check(d)
    missing = [f for f in r.findings if "表3" in f.message and f.severity.value == "错误"]
    assert [f.rule for f in missing] == ["R.input"]
    assert "找不到工作表「表3 支出决算表」" in missing[0].message


def test_renamed_sheet_is_found_by_its_title(putuo, tmp_path):
    path = export(putuo, tmp_path)
    wb = load_workbook(path)
    wb["表3 支出决算表"].title = "支出"
    wb.save(path)
    d = read(path)
    assert d.table("T3").value("total", "C1") == Decimal("2940.05")


def test_wrong_sheet_content_is_reported(putuo, tmp_path):
    path = export(putuo, tmp_path)
    wb = load_workbook(path)
    del wb["表3 支出决算表"]
    copy = wb.copy_worksheet(wb["表5 一般公共预算财政拨款支出决算表"])
    copy.title = "表3 支出决算表"
    wb.save(path)
    d = read(path)
    msgs = [i.message for i in d.origin.issues if i.table == "T3"]
    assert msgs and "表3《支出决算表》" in msgs[0] and "上缴上级支出" in msgs[0]


def test_inserted_rows_and_leaves_only(tmp_path):
    """An officer types only 项 rows, in any order, with a blank line: totals are computed."""
    path = write_workbook(load_profile("hubei-2022"), tmp_path / "t.xlsx")
    wb = load_workbook(path)
    info = wb["单位信息"]
    _find(info, "单位名称").offset(column=1).value = "测试单位"
    _find(info, "决算年度").offset(column=1).value = 2023
    ws = wb["表5 一般公共预算财政拨款支出决算表"]
    start = _find(ws, "合计").row + 1
    ws.cell(row=start, column=1, value="2210201").number_format = "@"
    ws.cell(row=start, column=2, value="住房公积金")
    ws.cell(row=start, column=4, value=27.76)
    ws.cell(row=start + 2, column=1, value="2010350")
    ws.cell(row=start + 2, column=2, value="事业运行")
    ws.cell(row=start + 2, column=4, value=248.71)
    ws.cell(row=start + 2, column=5, value=10)
    wb.save(path)
    d = read(path)
    t5 = d.table("T5")
    assert t5.value("total", "C1") == Decimal("286.47")
    assert t5.value("221", "C2") == Decimal("27.76") and t5.cell("221", "C2").derived
    assert t5.row("20103").label == "政府办公厅（室）及相关机构事务"  # from the catalog


def test_typed_total_that_disagrees_is_checked_not_overwritten(putuo, tmp_path):
    path = export(putuo, tmp_path)
    wb = load_workbook(path)
    ws = wb["表5 一般公共预算财政拨款支出决算表"]
    total = next(c for c in ws["B"] if c.value == "合计")  # the 合计 row, not the 合计 column
    ws.cell(row=total.row, column=3, value=3000)
    wb.save(path)
    r = check(read(path))
    errors = [f for f in r.findings if f.severity.value == "错误"]
    assert errors[0].location.table == "T5" and errors[0].location.row == "total"
    assert errors[0].found == "3,000.00"


def test_not_a_workbook(tmp_path):
    from juesuan.errors import UnreadableDocument

    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(UnreadableDocument) as err:
        read(bad)
    assert "x.xlsx" in str(err.value)
