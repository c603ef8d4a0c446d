"""~75 excerpts of real disclosures (../shared/corpus): no reader may crash; each gives a partial
disclosure or one clear sentence; the tables a document lists and its year are recognised across
the local variants (numbering 一、/表一:/1、/(一), flattened pages, traditional characters,
injected advertising, encoding debris).  (Skipped without ../shared.)"""

import csv
import re

import pytest

from juesuan.check import check
from juesuan.errors import JuesuanError
from juesuan.readers import read

from .conftest import SHARED, needs_shared

pytestmark = needs_shared
CORPUS = SHARED / "corpus"


def _index():
    if not CORPUS.is_dir():
        return []
    rows = []
    for kind in ("real", "budget"):
        with (CORPUS / kind / "INDEX.tsv").open(encoding="utf-8") as fh:
            rows += [(kind, r) for r in csv.DictReader(fh, delimiter="\t")]
    return rows


ROWS = _index()
#: the index counts these differently, with reason: 083 lists "十二、部门整体支出绩效自评情况"
#: (not a table); 086 lists two 自评报告 (reports, not tables) among its 11 items
LISTED_EXCEPTIONS = {("real", "083.txt"): 13, ("real", "086.txt"): 9}


def _listed(completeness: str) -> int | None:
    m = re.search(r"(\d+) (?:tables|附表|items)", completeness)
    if m:
        return int(m.group(1))
    m = re.search(r"表一~表(.)", completeness)
    return "一二三四五六七八九十".index(m.group(1)) + 1 if m else None


@pytest.mark.parametrize("kind, row", ROWS, ids=[f"{k}/{r['file']}" for k, r in ROWS])
def test_every_excerpt_reads_without_crashing(kind, row):
    path = CORPUS / kind / row["file"]
    try:
        d = read(path)
    except JuesuanError as exc:  # a clear sentence is acceptable, a traceback is not
        assert str(exc) and "Traceback" not in str(exc)
        return
    report = check(d)
    assert report.findings is not None
    if row["year"].isdigit():
        assert d.year == int(row["year"]), (d.year, row["year"])
    expected = LISTED_EXCEPTIONS.get((kind, row["file"]), _listed(row["completeness"]))
    if expected is not None:
        assert len(d.contents) == expected, d.contents


def test_traditional_mirror_is_read_as_simplified():
    d = read(CORPUS / "real" / "017.txt")
    assert d.contents[0].endswith("收入支出决算总表") and "決" not in " ".join(d.contents)
    assert "(hào)" not in d.narrative[0].text


def test_injected_advertising_is_removed():
    from juesuan.readers.text import read_text_document

    lines = [ln.text for ln in read_text_document(CORPUS / "real" / "075.txt").lines()]
    assert not any("下注" in t for t in lines)
    assert "九、机关运行经费支出说明" in lines


def test_cell_per_line_table_is_rebuilt():
    d = read(CORPUS / "real" / "066.txt")
    t9 = d.table("T9")
    assert t9 is not None
    assert t9.value("amount", "C1") is not None or t9.rows  # the 三公 table was found


def test_profiles_follow_the_order_of_tables():
    assert read(CORPUS / "real" / "025.txt").profile == "legacy-8"  # 2018, eight tables
    assert read(CORPUS / "real" / "021.txt").profile == "hubei-2022"  # 三公 is 表九
    assert read(CORPUS / "real" / "085.txt").profile == "shanghai-2024"  # 三公 is 表七
