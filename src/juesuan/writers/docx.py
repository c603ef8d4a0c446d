"""The disclosure as a Word document — the form units edit and publish.

Cover, a table of contents (a Word TOC field, filled with the headings and refreshed by Word when
the file is opened), the parts in order, tables in the official layout (merged headers, 行次/栏次,
header rows repeated on every page, rows never split, wide tables on landscape pages), notes and
printed formulas under each table, charts, page numbers.  Fonts are the ones Chinese government
documents use (仿宋 body, 黑体 headings, 宋体 tables), named for the officer's Word.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from juesuan.build.spantable import SpanTable, evaluation_caption, from_evaluation, from_grid

BODY_FONT, HEADING_FONT, TABLE_FONT = "仿宋", "黑体", "宋体"
BODY_SIZE, TABLE_SIZE = Pt(14), Pt(9)
PLACEHOLDER = re.compile(r"(【请填写[^】]*】)")


def _fonts(run_or_style, name: str, size=None, bold=None) -> None:
    font = run_or_style.font
    font.name = name
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_SIZE)
    pf = normal.paragraph_format
    pf.line_spacing = 1.5
    pf.space_after = Pt(0)
    for level, size in ((1, Pt(18)), (2, Pt(15)), (3, Pt(14))):
        st = doc.styles[f"Heading {level}"]
        _fonts(st, HEADING_FONT, size, bold=level != 3)
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.paragraph_format.space_before = Pt(12 if level == 1 else 6)
        st.paragraph_format.space_after = Pt(6)
        st.paragraph_format.keep_with_next = True
        if level == 1:
            st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, font in (("表格文字", TABLE_FONT), ("表头", HEADING_FONT)):
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        _fonts(st, font, TABLE_SIZE)
        st.paragraph_format.line_spacing = 1.0
        st.paragraph_format.first_line_indent = Pt(0)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC…) with ``placeholder`` as its current result."""
    def char(kind: str):
        r = OxmlElement("w:r")
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fc.set(qn("w:dirty"), "true")
        r.append(fc)
        return r

    p = paragraph._p
    p.append(char("begin"))
    r = OxmlElement("w:r")
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instruction} "
    r.append(it)
    p.append(r)
    p.append(char("separate"))
    if placeholder:
        paragraph.add_run(placeholder)
    p.append(char("end"))


def _page_numbers(section) -> None:
    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    _field(p, "PAGE", "1")
    p.add_run(" —")


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        settings.append(el)
    el.set(qn("w:val"), "true")


def _paragraph(doc, text: str, indent: bool = True):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(28)
    for part in PLACEHOLDER.split(text):
        if not part:
            continue
        run = p.add_run(part)
        if PLACEHOLDER.fullmatch(part):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def _set_cell_border(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _cell_margins(table) -> None:
    """A little air above and below the text of every cell (Word's default is none)."""
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 30), ("bottom", 30), ("left", 70), ("right", 70)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def _row_flags(row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        h = OxmlElement("w:tblHeader")
        tr_pr.append(h)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _table(doc, t: SpanTable, usable_width_cm: float) -> None:
    nrows = len(t.rows)
    head_style, text_style = doc.styles["表头"], doc.styles["表格文字"]
    table = doc.add_table(rows=nrows, cols=t.width)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_cell_border(table)
    _cell_margins(table)
    total = sum(t.widths) or 1
    widths = [Cm(usable_width_cm * w / total) for w in t.widths]
    for j, col in enumerate(table.columns):
        col.width = widths[j]  # the grid LibreOffice and WPS lay out by
    cells = []  # python-docx's table.cell() rescans the table each call: index once
    for r, row in enumerate(table.rows):
        _row_flags(row, r < t.header_rows)
        cells.append(list(row.cells))
        for j, cell in enumerate(cells[-1]):
            cell.width = widths[j]
    for r, row_cells in enumerate(t.rows):
        for c in row_cells:
            cell = cells[r][c.col]
            if c.rowspan > 1 or c.colspan > 1:
                cell = cell.merge(cells[r + c.rowspan - 1][c.col + c.colspan - 1])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.style = head_style if c.kind == "head" else text_style
            if c.kind in ("head", "code", "line"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c.kind == "amount":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if c.text:
                run = p.add_run(c.text)
                if c.bold and c.kind != "head":
                    run.bold = True
            if c.kind == "head":
                _shade(cell, "EEF2F7")


def _small(doc, text: str, align=None):
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = 1.0
    run = p.add_run(text)
    _fonts(run, TABLE_FONT, Pt(9))
    if align is not None:
        p.alignment = align
    return p


def _orient(doc, landscape: bool):
    """Start a new section in the given orientation (page numbers continue)."""
    section = doc.add_section()
    w, h = section.page_width, section.page_height
    if landscape != (w > h):
        section.page_width, section.page_height = h, w
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    return section


def _usable_cm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def write_docx(pub, path: Path) -> Path:
    d = pub.disclosure
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.3)
    _page_numbers(section)
    _update_fields_on_open(doc)
    core = doc.core_properties
    core.title, core.author, core.comments = pub.title, d.unit, "由 juesuan 根据数据底稿生成"

    if pub.errors:
        doc.add_heading("未通过审核的强制生成版本", level=1)
        _paragraph(doc, f"数据底稿中有 {len(pub.errors)} 处错误，本文件是按 --force 强制生成的，不可公开。"
                        "请改正以下错误后重新生成：")
        for e in pub.errors:
            _paragraph(doc, f"[{e.rule}] {e.message}", indent=False)
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    evaluations = [from_evaluation(e) for e in pub.figures.evaluations]
    landscape = after_table = False
    for b in pub.blocks:
        if after_table and b.kind not in ("table", "pagebreak"):
            section = _orient(doc, False)  # the text after the tables starts a new portrait page
            landscape = after_table = False
        if b.kind == "cover":
            for _ in range(6):
                doc.add_paragraph()
            for text, size in ((d.unit, Pt(26)), (f"{d.year}年度部门决算", Pt(30))):
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _fonts(p.add_run(text), HEADING_FONT, size, bold=True)
            if d.published:
                for _ in range(10):
                    doc.add_paragraph()
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.add_run(f"{d.published.year}年{d.published.month}月{d.published.day}日")
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif b.kind == "contents":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run("目　录"), HEADING_FONT, Pt(18), bold=True)
            toc = doc.add_paragraph()
            heads = [x.text for x in pub.blocks if x.kind == "heading" and x.level <= 2]
            _field(toc, 'TOC \\o "1-2" \\h \\z \\u', "\n".join(heads))
            toc.add_run().add_break(WD_BREAK.PAGE)
        elif b.kind == "heading":
            doc.add_heading(b.text, level=min(b.level, 3))
        elif b.kind == "paragraph":
            _paragraph(doc, b.text)
        elif b.kind == "table":
            spec = pub.spec(b.arg)
            t = from_grid(pub.grid(b.arg), b.arg)
            landscape = t.wide
            section = _orient(doc, landscape)  # each table on its own page
            after_table = True
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run(spec.title), HEADING_FONT, Pt(16), bold=True)
            _small(doc, f"公开{spec.number:02d}表　　部门：{d.unit}　　单位：{d.money_unit}",
                   WD_ALIGN_PARAGRAPH.LEFT)
            _table(doc, t, _usable_cm(section))
            for n in pub.table_notes(b.arg):
                _small(doc, n)
        elif b.kind == "chart":
            chart = pub.charts[int(b.arg)]
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(io.BytesIO(chart.png), width=Cm(14))
            cap = doc.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(cap.add_run(f"图{chart.number}：{chart.title}"), HEADING_FONT, Pt(11))
        elif b.kind == "evaluation":
            e = pub.figures.evaluations[int(b.arg)]
            for line in evaluation_caption(e, d.unit):
                _small(doc, line, WD_ALIGN_PARAGRAPH.LEFT)
            _table(doc, evaluations[int(b.arg)], _usable_cm(section))
        elif b.kind == "pagebreak" and not after_table:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.save(str(path))
    return path
