"""Every reader on documents of known content, with slips of every rule family injected.

The documents are written by juesuan's own writers from the transcribed fixtures (DOCX, HTML,
PDF by WeasyPrint, XLSX), and the DOCX is also converted to PDF by LibreOffice — a second,
independent PDF producer — when Debian's ``libreoffice`` is installed (``.ci/run`` installs it).
Each injected slip must come back as its rule, in every format that can carry it.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.build import publication
from juesuan.check import check
from juesuan.readers import read
from juesuan.writers.docx import write_docx
from juesuan.writers.html import write_html
from juesuan.writers.pdf import write_pdf
from juesuan.writers.tables_xlsx import write_tables_xlsx
from tests.conftest import load_example

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# slip → the rule that must report it
TABLE_SLIPS = {"T5.C1", "X.T1-T3.class", "C.name"}  # formula/culprit, cross-table, catalog
TEXT_SLIPS = {"N.share", "N.growth", "O.procurement.sum", "S.table_missing"}  # 文字, 其他, 完整性
PERFORMANCE_SLIPS = {"P.rate"}


def _inject_putuo():
    d = load_example("putuo-2024")
    d.table("T5").row("2010601").cells["C1"].value = Decimal("1521.89")  # 项 ≠ 基本 + 项目
    d.table("T1").row("221").cells["C2"].value = Decimal("455.69")  # 表1 ≠ 表3
    d.table("T5").row("2010607").label = "信息系统建设"  # name ≠ code
    pub = publication(d)
    pub.blocks = [b for b in pub.blocks if not (b.kind == "table" and b.arg == "T9")]  # 三公表 missing
    for b in pub.blocks:
        if b.kind == "paragraph":
            b.text = (b.text.replace("占71.65%", "占71.73%")  # share
                      .replace("减少56.95万元", "减少59.65万元")  # change amount / growth
                      .replace("货物采购金额4.79万元", "货物采购金额14.79万元"))  # parts ≠ total
    return pub


def _inject_wuhan():
    pub = publication(load_example("wuhan-2022"))
    e = pub.figures.evaluations[3]
    e.rate = e.rate - Decimal(1)  # 执行率 ≠ 执行数 ÷ 预算数
    return pub


def _write(pub, out: Path, stem: str) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {"docx": out / f"{stem}.docx", "html": out / f"{stem}.html",
             "pdf": out / f"{stem}.pdf", "xlsx": out / f"{stem}.xlsx"}
    write_docx(pub, paths["docx"])
    write_html(pub, paths["html"])
    write_pdf(pub, paths["pdf"])
    write_tables_xlsx(pub, paths["xlsx"])
    return paths


def _libreoffice_pdf(docx: Path, out: Path) -> Path:
    target = out / "libreoffice"
    subprocess.run([SOFFICE, "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                    str(target), str(docx)], check=True, capture_output=True, timeout=240)
    return target / f"{docx.stem}.pdf"


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    docs = {f"putuo.{k}": v for k, v in _write(_inject_putuo(), out / "putuo", "putuo").items()}
    docs.update({f"wuhan.{k}": v for k, v in _write(_inject_wuhan(), out / "wuhan", "wuhan").items()})
    if SOFFICE:
        docs["putuo.libreoffice.pdf"] = _libreoffice_pdf(docs["putuo.docx"], out)
    return docs


def _rules(path: Path) -> set[str]:
    return {f.rule for f in check(read(path)).findings}


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf", "libreoffice.pdf"])
def test_text_formats_report_every_injected_slip(documents, fmt):
    key = f"putuo.{fmt}"
    if key not in documents:
        pytest.skip("LibreOffice (Debian package libreoffice-writer-nogui) is not installed")
    rules = _rules(documents[key])
    assert rules >= TABLE_SLIPS | TEXT_SLIPS, (TABLE_SLIPS | TEXT_SLIPS) - rules


def test_spreadsheet_reports_the_table_slips(documents):
    """The nine-table workbook has no text: the table families must all come back."""
    rules = _rules(documents["putuo.xlsx"])
    assert rules >= TABLE_SLIPS
    assert not any(r.startswith("N.") for r in rules)


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_performance_tables_read_back_with_the_slip(documents, fmt):
    d = read(documents[f"wuhan.{fmt}"])
    assert len(d.performance) == 7
    assert [e.kind for e in d.performance].count("department") == 1
    rules = {f.rule for f in check(d).findings}
    assert rules >= PERFORMANCE_SLIPS
    # the weights the fixture got wrong (99.92 in all) survive the round trip too
    assert "P.weights" in rules


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_locations_point_into_the_file(documents, fmt):
    """Each finding says where: page for PDF, paragraph/table for DOCX, element for HTML."""
    report = check(read(documents[f"putuo.{fmt}"]))
    culprit = next(f for f in report.findings if f.rule == "T5.C1")
    assert culprit.location.row == "2010601"
    source = culprit.location.source or ""
    assert {"pdf": "页", "docx": "表格", "html": "表格"}[fmt] in source, source
    share = next(f for f in report.findings if f.rule == "N.share")
    assert "71.73" in (share.quote or "") and share.found


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (libreoffice-writer-nogui) is not installed")
def test_word_file_opened_elsewhere_reads_back_clean(tmp_path):
    """The DOCX as LibreOffice lays it out (another renderer than ours): same figures, no 错误."""
    source = load_example("putuo-2024")
    docx = tmp_path / "putuo.docx"
    write_docx(publication(source), docx)
    back = read(_libreoffice_pdf(docx, tmp_path))
    report = check(back)
    assert not report.has_errors, [f.message for f in report.findings if f.severity.value == "错误"]
    t5 = back.table("T5")
    assert t5.value("2010601", "C1") == Decimal("1511.89") and back.table("T9") is not None
