"""Tables as the page prints them: rows of cells with spans, ready for HTML and DOCX.

Both the official tables (from ``layout.grid``) and the 绩效自评表 become a ``SpanTable``, so each
writer has one table renderer.  Amounts are formatted here, once (``#,##0.00``; blank when the
table has no figure there, as published tables print it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.layout import Grid
from juesuan.money import round_money


@dataclass
class SpanCell:
    text: str
    col: int  # first column it covers
    rowspan: int = 1
    colspan: int = 1
    kind: str = "text"  # head | label | code | line | amount | text
    bold: bool = False
    row_key: str | None = None  # model cell behind an amount (for links and highlights)
    col_key: str | None = None


PORTRAIT_EM = 48  # what fits across an A4 portrait page at the table font size (em)
LABEL_MAX_EM = 12  # labels longer than this wrap
HEADER_MAX_EM = 4  # header text wraps freely


@dataclass
class SpanTable:
    width: int
    header_rows: int  # the first rows repeat on every page
    rows: list[list[SpanCell]] = field(default_factory=list)  # each row: the cells starting in it
    widths: list[float] = field(default_factory=list)  # column widths in em of the table font
    key: str | None = None  # T1…T9 for official tables

    @property
    def wide(self) -> bool:
        """Too wide for a portrait page: printed on a landscape one."""
        return sum(self.widths) > PORTRAIT_EM


def text_em(text: str, bold: bool = False) -> float:
    """Printed width in em: CJK characters are square, digits and Latin about 0.6 em."""
    width = sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)
    return width * (1.08 if bold else 1.0)


def measured_widths(rows: list[list[SpanCell]], width: int, header_rows: int) -> list[float]:
    need = [2.5] * width
    for r, cells in enumerate(rows):
        for c in cells:
            if c.colspan > 1:
                continue
            longest = max((text_em(line, c.bold) for line in c.text.split("\n")), default=0)
            cap = HEADER_MAX_EM if r < header_rows or c.kind == "head" else (
                LABEL_MAX_EM if c.kind in ("label", "text") else 99)
            need[c.col] = max(need[c.col], min(longest, cap) + 1.2)
    return need


def amount_text(v: Decimal | None) -> str:
    return "" if v is None else f"{round_money(v):,.2f}"


def score_text(v: Decimal | None) -> str:
    return "" if v is None else f"{round_money(v):f}"


def from_grid(g: Grid, key: str | None = None) -> SpanTable:
    lay = g.layout
    header: list[list[SpanCell]] = [[] for _ in range(lay.header_rows)]
    for h in lay.header:
        header[h.row].append(SpanCell(h.text, h.col, h.rowspan, h.colspan, kind="head", bold=True))
    for row in header:
        row.sort(key=lambda c: c.col)
    n_header = len(header) + (1 if g.line_row is not None else 0)
    rows = header
    if g.line_row is not None:
        rows.append([SpanCell(t, j, kind="head") for j, t in enumerate(g.line_row)])
    for cells in g.rows:
        out = []
        for j, c in enumerate(cells):
            text = amount_text(c.cell.value if c.cell else None) if c.kind == "amount" else (c.text or "")
            out.append(SpanCell(text, j, kind=c.kind if c.kind != "empty" else "text", bold=c.total,
                                row_key=c.row_key, col_key=c.col_key))
        rows.append(out)
    return SpanTable(lay.width, n_header, rows, measured_widths(rows, lay.width, n_header), key)


EVAL_WIDTH = 7


def from_evaluation(e) -> SpanTable:
    """A 绩效自评表 (``figures.EvaluationView``): budget execution, then every goal's indicators."""
    rows: list[list[SpanCell]] = []

    def line(*cells: tuple[str, int, str]) -> None:
        out, col = [], 0
        for text, span, kind in cells:
            out.append(SpanCell(text, col, colspan=span, kind=kind, bold=kind == "head"))
            col += span
        rows.append(out)

    name = "部门名称" if e.kind == "department" else "项目名称"
    line((name, 2, "head"), (e.name, 5, "text"))
    if e.unit:
        line(("主管部门" if e.kind == "project" else "填报单位", 2, "head"), (e.unit, 5, "text"))
    line((f"预算执行情况（万元）（{score_text(e.weight)}分）", 2, "head"), ("预算数（A）", 1, "head"),
         ("执行数（B）", 1, "head"), ("执行率（B/A）", 1, "head"), ("分值", 1, "head"),
         ("得分", 1, "head"))
    line(("", 2, "text"), (amount_text(e.budget), 1, "amount"), (amount_text(e.executed), 1, "amount"),
         (f"{score_text(e.rate)}%" if e.rate is not None else "", 1, "amount"),
         (score_text(e.weight), 1, "amount"), (score_text(e.exec_score), 1, "amount"))
    for gv in e.goals:
        g = gv.goal
        weight = g.weight.value if g.weight else None
        title = g.title + (f"（{score_text(weight)}分）" if weight is not None else "")
        line((title, 2, "head"), (g.text or "", 5, "text"))
        if g.achieved:
            line(("全年实际完成情况", 2, "head"), (g.achieved, 5, "text"))
        if not gv.indicators:
            continue
        line(("一级指标", 1, "head"), ("二级指标", 1, "head"), ("三级指标", 1, "head"),
             ("年初目标值", 1, "head"), ("实际完成值", 1, "head"), ("分值", 1, "head"),
             ("得分", 1, "head"))
        for iv in gv.indicators:
            i = iv.indicator
            line((i.level1 or "", 1, "label"), (i.level2 or "", 1, "label"), (i.name or "", 1, "label"),
                 (i.target or "", 1, "text"), (i.actual or "", 1, "text"),
                 (score_text(i.weight.value if i.weight else None), 1, "amount"),
                 (score_text(iv.score), 1, "amount"))
    return SpanTable(EVAL_WIDTH, 0, rows, [6, 6, 12, 8, 9, 4, 4])


def evaluation_caption(e, unit: str) -> list[str]:
    """The lines printed above a 绩效自评表 (as the published ones do): unit, then total score."""
    lines = [f"部门：{e.unit or unit}"]
    if e.total is not None:
        lines.append(f"自评得分：{score_text(e.total)}")
    return lines
