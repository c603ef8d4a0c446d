"""juesuan build: the complete disclosure from one workbook, in four formats.

The round trip is the main guarantee: what is built, read back by juesuan's own readers, must
give the same figures and no finding the workbook did not already have.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from juesuan.build import build, publication
from juesuan.build.figures import Change, Completion
from juesuan.build.story import cn
from juesuan.check import check
from juesuan.cli import app
from juesuan.readers import read
from juesuan.readers.structured import read_structured
from juesuan.tables import load_profile
from juesuan.writers.workbook import write_workbook
from tests.conftest import EXAMPLES, load_example

GOLDEN = Path(__file__).parent / "data" / "golden"
TABLES = tuple(f"T{i}" for i in range(1, 10))


@pytest.fixture(scope="module")
def putuo_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("putuo")
    result = build(load_example("putuo-2024"), out)
    return result, out


@pytest.fixture(scope="module")
def wuhan_forced(tmp_path_factory):
    out = tmp_path_factory.mktemp("wuhan")
    result = build(load_example("wuhan-2022"), out, force=True)
    return result, out


def _file(out: Path, ext: str) -> Path:
    return next(out.glob(f"*.{ext}"))


def _findings(report, drop_placeholders: bool = True) -> set[tuple]:
    return {(f.rule, f.location.table, f.location.row, f.location.column)
            for f in report.findings
            if not (drop_placeholders and f.rule == "N.leftover" and "请填写" in (f.found or ""))}


def _cells(d) -> dict[tuple[str, str, str], Decimal]:
    return {(t.key, r.code or r.key, col): c.value
            for t in d.tables if t.key in TABLES for r in t.rows for col, c in r.cells.items()
            if c.value is not None}


# ------------------------------------------------------------------------------ files
def test_build_writes_four_formats(putuo_build):
    result, _ = putuo_build
    assert not result.stopped
    assert sorted(p.suffix for p in result.files) == [".docx", ".html", ".pdf", ".xlsx"]
    assert all(p.stat().st_size > 10_000 for p in result.files)
    assert result.files[0].name == "上海市普陀区财政局2024年度部门决算.docx"
    assert result.verification is not None and not result.verification.has_errors


def test_only_unwritten_texts_are_left_to_do(putuo_build):
    result, _ = putuo_build
    # the example supplies every reason; only 科目说明 the catalog lacks remain
    assert result.todo and all(t.startswith("名词解释中") for t in result.todo)
    assert any("2010601" in t for t in result.todo)


# ------------------------------------------------------------------------- round trip
@pytest.mark.parametrize("ext", ["docx", "pdf", "html", "xlsx"])
def test_round_trip_same_figures_no_new_findings(putuo_build, ext):
    _, out = putuo_build
    source = load_example("putuo-2024")
    back = read(_file(out, ext))
    assert back.unit == source.unit and back.year == source.year
    assert back.profile == "shanghai-2024"
    assert _cells(back) == _cells(source)
    expected = _findings(check(source.model_copy(update={"narrative": []})))
    report = check(back)
    found = _findings(report)
    assert not any(f[0].startswith("R.") for f in found), "the reader had trouble with our own output"
    serious = _findings(report.model_copy(update={"findings": [
        f for f in report.findings if f.severity.value != "提示"]}))
    assert serious - expected == set()  # 提示 such as N.unchecked (texts with own figures) may be new
    assert {f for f in expected if f[0].startswith(("T", "X"))} <= found  # the table slips survive


def test_round_trip_text_restates_the_tables(putuo_build):
    """The explanations read back from the PDF tie to the tables with no 文字 finding."""
    _, out = putuo_build
    back = read(_file(out, "pdf"))
    assert len(back.narrative) > 20
    report = check(back)
    assert [f for f in report.findings if f.rule.startswith("N.") and f.severity.value != "提示"] == []


def test_hubei_round_trip_after_forced_build(wuhan_forced):
    result, out = wuhan_forced
    assert result.forced and not result.stopped
    source = load_example("wuhan-2022")
    for ext in ("docx", "pdf"):
        back = read(_file(out, ext))
        assert _cells(back) == _cells(source), ext
        narrative = [f for f in check(back).findings if f.rule.startswith("N.")
                     and f.severity.value == "错误" and "请填写" not in (f.found or "")]
        assert narrative == [], ext


# ------------------------------------------------------------------------ the checks
def test_build_stops_on_errors(tmp_path):
    result = build(load_example("wuhan-2022"), tmp_path / "out")
    assert result.stopped and not result.files
    assert any(f.rule == "O.procurement.sme" for f in result.report.findings)
    assert not (tmp_path / "out").exists()


def test_forced_build_carries_a_warning_page(wuhan_forced):
    _, out = wuhan_forced
    html = _file(out, "html").read_text(encoding="utf-8")
    assert "未通过审核的强制生成版本" in html and "不可公开" in html
    assert "S.amounts_missing" in html  # 表3 of the fixture lost its amounts (as published)


def test_build_from_input_workbook_derives_blank_totals(tmp_path):
    """The officer types leaves (项 rows, sources of income, carry-overs); every 合计, 类 and 款
    row, and the expenditure side of 表1 and 表4, are computed."""
    d = load_example("putuo-2024")
    source_cells = _cells(d)
    profile = load_profile(d.profile)
    blanked = 0
    for t in d.tables:
        spec = profile.table(t.key)
        for r in t.rows:
            function_total = spec.classification == "function" and r.code and len(r.code) < 7
            summary_total = t.key in ("T1", "T4") and (
                (r.code and len(r.code) == 3) or r.key in ("inc_total", "inc_grand", "exp_total",
                                                            "exp_grand", "total"))
            if r.key == spec.total_key or function_total or summary_total or (
                    t.key == "T6" and (len(r.code or "") == 3 or r.key.endswith("_total"))):
                blanked += len(r.cells)
                r.cells = {}
    assert blanked > 50
    path = write_workbook(profile, tmp_path / "底稿.xlsx", d)
    _set_derive(path)
    result = build(read(path), tmp_path / "out", ("html",))
    assert not result.stopped, [f.message for f in result.report.findings if f.severity.value == "错误"]
    rebuilt = read(_file(tmp_path / "out", "html"))
    cells = _cells(rebuilt)
    # every total is recomputed from its 项, to the cent — so the published rounding slips are
    # gone (表1 printed 社会保障和就业支出 326.71; its 项 add up to 326.72)
    assert cells[("T5", "total", "C1")] == Decimal("2940.06")
    assert cells[("T1", "exp_grand", "C2")] == source_cells[("T1", "exp_grand", "C2")] + Decimal("0.01")
    assert cells[("T1", "208", "C2")] == Decimal("326.72")
    assert not check(rebuilt).has_errors


def _set_derive(path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["单位信息"]
    for row in ws.iter_rows(min_row=1):
        if row[0].value == "空白的合计由程序计算":
            row[1].value = "是"
    wb.save(path)


# ------------------------------------------------------------------------- the look
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_pdf_fonts_embedded(putuo_build):
    _, out = putuo_build
    text = subprocess.run(["pdffonts", str(_file(out, "pdf"))], capture_output=True, text=True,
                          check=True).stdout
    fonts = text.splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts), text
    assert any("UMing" in line or "WenQuanYi" in line or "CJK" in line for line in fonts)


def test_every_pdf_page_has_text(putuo_build):
    import pypdfium2 as pdfium

    _, out = putuo_build
    pdf = pdfium.PdfDocument(str(_file(out, "pdf")))
    assert len(pdf) >= 15
    for i in range(len(pdf)):
        assert pdf[i].get_textpage().get_text_range().strip(), f"page {i + 1} is empty"


def test_hubei_charts_in_every_format(wuhan_forced):
    import docx

    _, out = wuhan_forced
    html = _file(out, "html").read_text(encoding="utf-8")
    assert html.count("<svg") == 4 and "图4：财政拨款收入支出决算总计变动情况" in html
    assert len(docx.Document(str(_file(out, "docx"))).inline_shapes) == 4


def test_docx_repeats_table_headers(putuo_build):
    import docx

    _, out = putuo_build
    doc = docx.Document(str(_file(out, "docx")))
    xml = doc.element.xml
    assert xml.count("<w:tblHeader/>") >= 9 and "<w:cantSplit/>" in xml
    assert any(s.page_width > s.page_height for s in doc.sections), "wide tables on landscape pages"


# --------------------------------------------------------------------- the narrative
@pytest.mark.parametrize("name", ["putuo-2024", "wuhan-2022"])
def test_golden_narrative(name):
    """The generated text, sentence by sentence (update with JUESUAN_UPDATE_GOLDEN=1)."""
    import os

    text = publication(read_structured(EXAMPLES / f"{name}.yaml")).plain_text()
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("JUESUAN_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert not re.search(r"[^\s#]#{1,3} |\S\[(table|chart|evaluation)", text), "a block glued to a paragraph"


def test_words_follow_the_sign():
    up = Change(Decimal(10), Decimal(8))
    assert (up.word, up.growth_word) == ("增加", "增长")
    down = Change(Decimal(8), Decimal(10))
    assert (down.word, down.growth_word, down.delta) == ("减少", "下降", Decimal(2))
    assert down.pct == Decimal("20.00")
    assert Change(Decimal(5), Decimal(5)).flat
    assert Change(Decimal(5), Decimal(0)).pct is None  # no rate from a zero base
    assert Completion(Decimal(100), Decimal("98.2")).comparison == "小于"
    assert Completion(Decimal(100), Decimal(100)).comparison == "等于"
    assert [cn(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]


def test_units_without_an_item_leave_it_out():
    """不涉及的不列: income sources and expenditure kinds with no money are not mentioned."""
    text = publication(load_example("putuo-2024")).plain_text()
    assert "事业收入" not in text.split("## 三、")[0].split("## 二、")[1]
    assert "经营支出" not in text.split("## 四、")[0].split("## 三、")[1]
    assert "无政府性基金预算财政拨款收入和支出" in text


def test_glossary_explains_every_item_used():
    pub = publication(load_example("wuhan-2022"))
    codes = next(e for e in pub.glossary if e.entries)
    assert [e.code for e in codes.entries] == [
        "2010302", "2010350", "2080501", "2080505", "2080599", "2100410", "2101102", "2101199",
        "2210201", "2210202", "2210203"]
    assert all(e.explained for e in codes.entries)


def test_officer_text_is_escaped_in_html(tmp_path):
    d = load_example("putuo-2024")
    d.texts["functions"] = "<script>alert(1)</script>负责全区财政工作。"
    build(d, tmp_path, ("html",))
    html = _file(tmp_path, "html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html


# --------------------------------------------------------------------------- the CLI
def test_cli_build(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["build", str(EXAMPLES / "putuo-2024.yaml"), "-o", str(tmp_path),
                              "-f", "html", "-f", "xlsx"])
    assert res.exit_code == 0, res.output
    assert "已生成" in res.output and sorted(p.suffix for p in tmp_path.iterdir()) == [".html", ".xlsx"]


def test_cli_build_stops_with_findings(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["build", str(EXAMPLES / "wuhan-2022.yaml"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "没有生成公开文件" in res.output and "O.procurement.sme" in res.output
