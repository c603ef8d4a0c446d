"""The hand-transcribed fixtures agree with the real documents in ../shared.

Every amount of every table in ``examples/*.yaml`` must be printed in the original, inside the
part of the document where that table is (text lines for 武汉, PDF pages for 普陀).  These tests
skip with a clear reason when ../shared is absent (a user's clone); the fixtures themselves
keep the rest of the suite meaningful.
"""

import re

import pytest

from .conftest import SHARED, load_example, needs_shared

pytestmark = needs_shared


def _printed(cell) -> set[str]:
    v = cell.value
    forms = {cell.raw} if cell.raw else set()
    forms |= {f"{v:f}", f"{v:,.2f}", f"{v:.2f}", f"{v:,f}"}
    return {f for f in forms if f}


def _spans(starts: list[tuple[str, int]], end: int) -> dict[str, tuple[int, int]]:
    ordered = sorted(starts, key=lambda x: x[1])
    return {k: (a, (ordered[i + 1][1] if i + 1 < len(ordered) else end))
            for i, (k, a) in enumerate(ordered)}


def test_wuhan_fixture_matches_the_text_sample():
    lines = (SHARED / "samples" / "2022-wuhan-jianghan-qyfwzx.txt").read_text(encoding="utf-8")
    lines = lines.splitlines()
    d = load_example("wuhan-2022")
    spans = _spans([(t.key, t.source.line) for t in d.tables], 400)
    missing = []
    for t in d.tables:
        a, b = spans[t.key]
        words = set(re.findall(r"[\d,]+(?:\.\d+)?", " ".join(lines[a - 1:b - 1]).replace("<b>", " ")))
        for r in t.rows:
            for col, cell in r.cells.items():
                if cell.value is not None and not (_printed(cell) & words):
                    missing.append(f"{t.key} {r.key} {col} {cell.value}")
    assert not missing, missing


def test_putuo_fixture_matches_the_pdf():
    pdfplumber = pytest.importorskip("pdfplumber")
    d = load_example("putuo-2024")
    with pdfplumber.open(SHARED / "samples" / "2024-shanghai-putuo-czj.pdf") as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    spans = _spans([(t.key, t.source.page) for t in d.tables], len(pages) + 1)
    missing = []
    for t in d.tables:
        a, b = spans[t.key]
        words = set(re.findall(r"[\d,]+(?:\.\d+)?", " ".join(pages[a - 1:b])))
        for r in t.rows:
            for col, cell in r.cells.items():
                if cell.value is not None and not (_printed(cell) & words):
                    missing.append(f"{t.key} {r.key} {col} {cell.value}")
    assert not missing, missing
    text = " ".join(pages)
    for amount in ("2993.92", "184.65", "251.25", "246.47", "1560.05", "450.52"):
        assert amount in text
