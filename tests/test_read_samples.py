"""Reading the two real documents: every numeric cell exactly, with provenance, and the slips
a careful reader finds in them.  (Skipped without ../shared.)"""

from collections import Counter
from pathlib import Path

import pytest

from juesuan.check import check
from juesuan.readers import read

from .conftest import SHARED, load_example, needs_shared

pytestmark = needs_shared

PUTUO = SHARED / "samples" / "2024-shanghai-putuo-czj.pdf"
WUHAN = SHARED / "samples" / "2022-wuhan-jianghan-qyfwzx.txt"


def numeric_cells(d):
    return {(t.key, r.key, c): cell for t in d.tables if not t.key.startswith("X")
            for r in t.rows for c, cell in r.cells.items() if cell.value is not None}


@pytest.fixture(scope="module")
def putuo_read():
    return read(PUTUO)


@pytest.fixture(scope="module")
def wuhan_read():
    return read(WUHAN)


def test_putuo_pdf_every_numeric_cell_exactly(putuo_read):
    got, want = numeric_cells(putuo_read), numeric_cells(load_example("putuo-2024"))
    assert {k: c.value for k, c in got.items()} == {k: c.value for k, c in want.items()}
    for key, cell in got.items():  # page and box of every cell
        assert cell.source.page and cell.source.bbox, key
    assert got[("T1", "inc_gpb", "C1")].source.page == 6
    assert got[("T2", "2210203", "C1")].source.page == 9  # a table continued on the next page


def test_putuo_pdf_identity(putuo_read):
    d = putuo_read
    assert (d.unit, d.year, d.profile) == ("上海市普陀区财政局", 2024, "shanghai-2024")
    assert [t.number for t in d.tables if not t.key.startswith("X")] == list(range(1, 10))
    assert len(d.contents) == 9


def test_putuo_pdf_findings(putuo_read):
    r = check(putuo_read)
    errors = {f.rule: f for f in r.findings if f.severity.value == "错误"}
    assert set(errors) == {"N.table", "N.share"}
    assert "0.3" in errors["N.table"].quote and errors["N.table"].expected == "2,961.68"
    assert errors["N.table"].location.page == 21
    assert errors["N.share"].found == "71.73" and errors["N.share"].expected == "71.65"
    warnings = [f for f in r.findings if f.severity.value == "警告"]
    assert [f.rule for f in warnings] == ["N.items"]
    assert "个人农业生产补贴" in warnings[0].message and "奖励金" in warnings[0].message
    # the table-level rounding differences of the transcribed fixture, found again in the PDF
    table_info = Counter(f.rule for f in r.findings if f.severity.value == "提示"
                         and f.family in ("表内公式", "层级", "表间"))
    assert table_info == Counter({"T2.H.total": 2, "T3.H.total": 2, "T5.H.total": 2,
                                  "T6.H.class": 2, "X.T1-T3.class": 1, "X.T4-T5.class": 1})


def test_wuhan_text_every_numeric_cell_exactly(wuhan_read):
    got, want = numeric_cells(wuhan_read), numeric_cells(load_example("wuhan-2022"))
    assert {k: c.value for k, c in got.items()} == {k: c.value for k, c in want.items()}
    assert all(cell.source.line for cell in got.values())
    assert got[("T1", "inc_gpb", "C1")].source.line == 95  # "一、一般公共预算财政拨款收入\t1\t944.91"


def test_wuhan_text_performance_tables(wuhan_read):
    fixture = load_example("wuhan-2022")
    assert [e.name for e in wuhan_read.performance] == [e.name for e in fixture.performance]
    for got, want in zip(wuhan_read.performance, fixture.performance, strict=True):
        for field in ("budget", "executed", "execution_rate", "execution_score", "total_score"):
            assert getattr(got, field).value == getattr(want, field).value, (got.name, field)


def test_wuhan_text_findings(wuhan_read):
    r = check(wuhan_read)
    by = Counter((f.rule, f.severity.value) for f in r.findings)
    for expected in [("S.amounts_missing", "错误"), ("N.unit", "错误"), ("N.name", "错误"),
                     ("N.completion", "警告"), ("O.procurement.sme", "警告"),
                     ("P.weights", "警告"), ("P.rate", "警告"), ("P.exec_score", "警告"),
                     ("P.missing", "警告")]:
        assert by[expected] >= 1, expected
    assert by[("N.name", "错误")] == 2  # 公共卫生 named as a 类; 2101199 under the wrong 款
    assert by[("N.name", "警告")] == 3  # three project names differ from the 绩效 tables
    errors = {f.rule for f in r.findings if f.severity.value == "错误"}
    assert errors == {"S.amounts_missing", "N.unit", "N.name"}
    unit = next(f for f in r.findings if f.rule == "N.unit")
    assert "148.84元" in unit.message and unit.location.line == 551


def test_reading_slips_are_not_publisher_errors(wuhan_read):
    """Table 3's names slid into the amount column in conversion: a 提示, kept apart."""
    slips = [f for f in check(wuhan_read).findings if "疑似识别问题" in f.message]
    assert slips and all(f.severity.value == "提示" for f in slips)


def test_scanned_pdf_is_refused_clearly(tmp_path):
    import pypdfium2 as pdfium

    from juesuan.errors import UnreadableDocument

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    out = tmp_path / "扫描件.pdf"
    pdf.save(str(out))
    with pytest.raises(UnreadableDocument) as err:
        read(Path(out))
    assert "扫描件" in str(err.value)
