"""The input workbook: an empty template for a profile, or a disclosure written out.

``juesuan template`` writes it empty; ``juesuan export FILE --format xlsx`` fills it from any
disclosure (so extracted documents can be corrected and checked again).  The reader in
``readers/workbook.py`` reads back exactly this layout — and tolerates rows moved or inserted.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from juesuan.layout import (
    Grid,
    Layout,
    field_sheets,
    get_path,
    grid,
    own_notes,
    printed_notes,
    sheet_name,
    text_fields,
)
from juesuan.model import Cell, Disclosure, Table
from juesuan.tables import Profile, TableSpec, render_formula

AMOUNT_FORMAT = "#,##0.00"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF4")
TOTAL_FILL = PatternFill("solid", fgColor="FFF7D6")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)

BLANK_CODED_ROWS = 40
PERF_SHEETS = ("绩效自评", "绩效目标", "绩效指标")
TOTAL_NOTE = "可以不填：留空时由 juesuan 按下级科目计算；填写了就核对。"

INSTRUCTIONS = [
    "这份工作簿是部门决算公开的数据底稿，由 juesuan 生成。",
    "1. 先填「单位信息」：单位名称、决算年度、单位性质。「模板」一栏不要改。",
    "2. 各表（表1…）按决算批复数填写，金额单位为万元，保留两位小数。",
    "3. 功能分类各表（收入决算表、支出决算表等）逐行填写科目编码、科目名称和金额；只需填到项级，"
    "黄色底的合计、类、款行可以不填，juesuan 会计算；填写了的，juesuan 会核对。",
    "4. 没有数据的表（如政府性基金、国有资本经营、三公）保留空表，并在表下“说明”处写明“本单位无……”。",
    "5. 其余工作表填写情况说明要用的数字和文字：年初预算、上年数、三公经费明细、政府采购、国有资产、"
    "绩效自评、说明文字。不涉及的可以不填。",
    "6. 填好后在命令行运行：juesuan check 本文件.xlsx ，或在网页中上传本文件。",
    "请勿改动工作表名称和表头文字；可以插入或删除数据行。",
]


def _style_header(ws: Worksheet, row: int, col: int, text: str, rowspan=1, colspan=1) -> None:
    cell = ws.cell(row=row, column=col, value=text)
    for r in range(row, row + rowspan):
        for c in range(col, col + colspan):
            x = ws.cell(row=r, column=c)
            x.fill = HEAD_FILL
            x.border = BORDER
            x.alignment = CENTER
            x.font = BOLD
    if rowspan > 1 or colspan > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rowspan - 1,
                       end_column=col + colspan - 1)
    cell.alignment = CENTER


def _amount(ws: Worksheet, row: int, col: int, cell: Cell | None, total: bool) -> None:
    x = ws.cell(row=row, column=col)
    if cell is not None and cell.value is not None:
        x.value = cell.value  # Decimal is written as a number
    x.number_format = AMOUNT_FORMAT
    x.border = BORDER
    if total:
        x.fill = TOTAL_FILL
        x.font = BOLD


def _title(ws: Worksheet, spec: TableSpec, lay: Layout, d: Disclosure | None) -> int:
    year = f"{d.year} 年度" if d and d.year else ""
    ws.cell(row=1, column=1, value=f"{year}{spec.title}（表{spec.number}）").font = TITLE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(lay.width, 1))
    ws.cell(row=1, column=1).alignment = CENTER
    ws.cell(row=2, column=1, value=f"部门：{d.unit if d else ''}")
    ws.cell(row=2, column=max(lay.width, 2), value=f"单位：{d.money_unit if d else '万元'}")
    formulas = [render_formula(f, spec) for f in spec.formulas if f.printed]
    if formulas:
        ws.cell(row=1, column=1).comment = Comment("表内公式：\n" + "\n".join(formulas), "juesuan")
    return 3


def _header(ws: Worksheet, g: Grid, top: int) -> int:
    for h in g.layout.header:
        _style_header(ws, top + h.row, h.col + 1, h.text, h.rowspan, h.colspan)
    row = top + g.layout.header_rows
    if g.line_row is not None:
        for j, text in enumerate(g.line_row):
            if text:
                _style_header(ws, row, j + 1, text)
        row += 1
    return row


def _notes(ws: Worksheet, spec: TableSpec, table: Table | None, row: int) -> None:
    row += 1
    for line in printed_notes(spec):
        ws.cell(row=row, column=1, value=line)
        row += 1
    if spec.empty_note is not None:
        notes = own_notes(spec, table)
        ws.cell(row=row, column=1, value="说明：")
        ws.cell(row=row, column=2, value=notes[-1] if notes else None)
        ws.cell(row=row, column=2).comment = Comment(
            "本表没有数据时，写明“本单位无……”，例如“本单位无政府性基金预算财政拨款收支”。", "juesuan")


def _body(ws: Worksheet, spec: TableSpec, g: Grid, row: int, publish: bool = False) -> int:
    for k, cells in enumerate(g.rows):
        for j, gc in enumerate(cells):
            if gc.kind == "amount":
                _amount(ws, row + k, j + 1, gc.cell, gc.total)
                if (not publish and gc.total and gc.row_key == spec.total_key
                        and gc.col_key == spec.columns[0].key):
                    ws.cell(row=row + k, column=j + 1).comment = Comment(TOTAL_NOTE, "juesuan")
                continue
            x = ws.cell(row=row + k, column=j + 1, value=gc.text)
            if gc.kind == "empty" and not spec.sides and spec.kind == "fixed":
                continue
            x.border = BORDER
            if gc.kind == "code":
                x.number_format = "@"
            elif gc.kind == "line":
                x.alignment = CENTER
            if gc.total and gc.kind == "label":
                x.font = BOLD
    return row + len(g.rows)


def write_table_sheet(wb: Workbook, spec: TableSpec, d: Disclosure | None,
                      notes: list[str] | None = None) -> None:
    """One table in the official layout.  ``notes`` given: a published table (``juesuan build``)
    with exactly those notes under it, and no input aids (validation, comments)."""
    ws = wb.create_sheet(sheet_name(spec))
    table = d.table(spec.key) if d else None
    blank = (BLANK_CODED_ROWS if spec.key in ("T2", "T3", "T5") else 10) if table is None else 0
    g = grid(spec, table, blank_rows=blank)
    lay = g.layout
    top = _title(ws, spec, lay, d)
    row = _header(ws, g, top)
    ws.freeze_panes = ws.cell(row=row, column=1)
    end = _body(ws, spec, g, row, publish=notes is not None)
    _widths(ws, lay)
    if notes is not None:
        for i, n in enumerate(notes, start=end + 1):
            ws.cell(row=i, column=1, value=n)
        ws.print_title_rows = f"{top}:{row - 1}"
        ws.page_setup.orientation = "landscape" if lay.width >= 9 else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        return
    _notes(ws, spec, table, end)
    dv = DataValidation(type="decimal", operator="between", formula1="-1000000000000",
                        formula2="1000000000000", allow_blank=True, showErrorMessage=True,
                        errorTitle="应填金额", error="这里应填写金额（数字），单位万元。")
    ws.add_data_validation(dv)
    for b in lay.blocks:
        first = get_column_letter(b.first_amount_col + 1)
        last = get_column_letter(b.first_amount_col + len(b.columns))
        dv.add(f"{first}{row}:{last}{max(end - 1, row)}")


def _widths(ws: Worksheet, lay: Layout) -> None:
    widths = {b.label_col: 34 for b in lay.blocks if b.label_col >= 0}
    widths.update({b.code_col: 14 for b in lay.blocks if b.code_col is not None})
    widths.update({b.line_col: 6 for b in lay.blocks if b.line_col is not None})
    for j in range(lay.width):
        ws.column_dimensions[get_column_letter(j + 1)].width = widths.get(j, 14)


def _cell_value(v):
    if isinstance(v, Cell):
        return v.value
    return v


def write_field_sheets(wb: Workbook, d: Disclosure | None, profile: Profile, sheets) -> None:
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.cell(row=1, column=1, value=sheet.name).font = TITLE
        ws.cell(row=2, column=1, value=sheet.intro)
        for c, h in enumerate(("项目", "内容", "单位", "说明"), start=1):
            _style_header(ws, 3, c, h)
        for i, f in enumerate(sheet.fields, start=4):
            ws.cell(row=i, column=1, value=f.label).border = BORDER
            value = _cell_value(get_path(d, f.path)) if d else None
            if f.path == "profile":
                value = profile.id
            if f.path == "money_unit" and value is None:
                value = profile.money_unit
            if f.path == "kind" and value is None:
                value = "决算"
            if f.path == "_derive":
                value = "否" if d is not None else "是"  # an export keeps what was published
            v = ws.cell(row=i, column=2, value=value)
            v.border = BORDER
            if f.kind == "amount":
                v.number_format = AMOUNT_FORMAT
            ws.cell(row=i, column=3, value=f.unit).border = BORDER
            ws.cell(row=i, column=4, value=f.note).border = BORDER
        for col, w in zip("ABCD", (36, 30, 8, 44), strict=True):
            ws.column_dimensions[col].width = w


def _table_sheet(wb: Workbook, name: str, intro: str, headers: list[str],
                 rows: list[list], widths: list[int]) -> Worksheet:
    ws = wb.create_sheet(name)
    ws.cell(row=1, column=1, value=name).font = TITLE
    ws.cell(row=2, column=1, value=intro)
    for c, h in enumerate(headers, start=1):
        _style_header(ws, 3, c, h)
    for i, values in enumerate(rows, start=4):
        for c, v in enumerate(values, start=1):
            x = ws.cell(row=i, column=c, value=_cell_value(v))
            x.border = BORDER
            if isinstance(v, Cell):
                x.number_format = AMOUNT_FORMAT
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A4"
    return ws


BUDGET_HEADERS = ["科目编码", "科目名称", "年初预算数", "支出决算数", "主要用于",
                  "决算数与预算数差异的主要原因"]
EVAL_HEADERS = ["序号", "类型", "项目名称", "部门名称", "预算数", "执行数", "执行率(%)",
                "预算执行分值", "预算执行得分", "自评得分"]
GOAL_HEADERS = ["序号", "目标名称", "分值", "得分", "目标内容", "全年实际完成情况"]
INDICATOR_HEADERS = ["序号", "目标名称", "一级指标", "二级指标", "三级指标", "年初目标值",
                     "实际完成值", "分值", "完成率(%)", "得分"]
KIND_LABEL = {"department": "部门整体", "project": "项目"}


def write_other_sheets(wb: Workbook, d: Disclosure | None) -> None:
    items = d.others.budget_items if d else []
    _table_sheet(
        wb, "年初预算",
        "一般公共预算财政拨款支出逐项（项级科目）的年初预算数与决算数。支出决算数可不填，取表5。",
        BUDGET_HEADERS,
        [[i.code, i.name, i.budget, i.actual, i.purpose, i.reason] for i in items],
        [14, 40, 14, 14, 40, 50],
    )
    evals = d.performance if d else []
    _table_sheet(
        wb, "绩效自评",
        "每张绩效自评表一行：部门整体一行，每个项目一行。执行率、得分由 juesuan 核对。",
        EVAL_HEADERS,
        [[n, KIND_LABEL[e.kind], e.name, e.unit, e.budget, e.executed, e.execution_rate,
          e.execution_weight, e.execution_score, e.total_score]
         for n, e in enumerate(evals, start=1)],
        [6, 10, 34, 26, 12, 12, 10, 12, 12, 10],
    )
    _table_sheet(
        wb, "绩效目标", "每张自评表的各个目标（部门整体的年度目标；项目的总目标和年度绩效指标）。",
        GOAL_HEADERS,
        [[n, g.title, g.weight, g.score, g.text, g.achieved]
         for n, e in enumerate(evals, start=1) for g in e.goals],
        [6, 20, 8, 8, 50, 50],
    )
    _table_sheet(
        wb, "绩效指标", "每个三级指标一行，用序号和目标名称对应到上面两张表。",
        INDICATOR_HEADERS,
        [[n, g.title, i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.completion,
          i.score]
         for n, e in enumerate(evals, start=1) for g in e.goals for i in g.indicators],
        [6, 16, 12, 14, 40, 24, 24, 8, 10, 8],
    )
    texts = d.texts if d else {}
    known = dict(text_fields())
    rows = [[k, label, texts.get(k)] for k, label in known.items()]
    rows += [[k, k, v] for k, v in texts.items() if k not in known]
    ws = _table_sheet(wb, "说明文字", "情况说明中只有单位自己能写的文字：职能、原因、重点工作等。",
                      ["键", "项目", "内容"], rows, [24, 40, 100])
    for r in ws.iter_rows(min_row=4, min_col=3, max_col=3):
        for c in r:
            c.alignment = WRAP


def write_workbook(profile: Profile, path: Path, d: Disclosure | None = None) -> Path:
    """Write the template (``d`` is None) or ``d`` in the template's layout."""
    wb = Workbook()
    ws = wb.active
    ws.title = "填表说明"
    ws.cell(row=1, column=1, value=f"部门决算公开数据底稿 — {profile.name}").font = TITLE
    for i, line in enumerate(INSTRUCTIONS, start=3):
        ws.cell(row=i, column=1, value=line).alignment = WRAP
    ws.column_dimensions["A"].width = 110
    sheets = field_sheets()
    write_field_sheets(wb, d, profile, sheets[:1])  # 单位信息 first
    for spec in profile.tables:
        write_table_sheet(wb, spec, d)
    write_field_sheets(wb, d, profile, sheets[1:])
    write_other_sheets(wb, d)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path

