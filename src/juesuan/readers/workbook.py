"""Read an Excel workbook (.xlsx, and legacy .xls through the same code): our input
template, or any workbook whose sheets hold the standard
tables (published ``.xlsx`` disclosures are laid out the same way).

Sheets are found by name first, then by the table title written in their first rows, so a
renamed sheet is still read.  Every problem — a missing sheet, text where an amount belongs, an
unknown row — becomes a ``ReadIssue`` naming the sheet and cell; the rest is still read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from juesuan.derive import fill_blanks
from juesuan.errors import UnreadableDocument
from juesuan.layout import field_sheets, set_path, sheet_name, text_fields
from juesuan.model import (
    BudgetItem,
    Cell,
    Disclosure,
    Evaluation,
    Goal,
    Indicator,
    Origin,
    ReadIssue,
    Source,
)
from juesuan.money import parse_amount
from juesuan.readers.document import Document, Line, TableBlock
from juesuan.readers.grid import GCell, Grid, read_table
from juesuan.tables import Profile, TableSpec, load_profile, norm_label
from juesuan.writers.workbook import (
    BUDGET_HEADERS,
    EVAL_HEADERS,
    GOAL_HEADERS,
    INDICATOR_HEADERS,
    KIND_LABEL,
)

MAX_SCAN_ROWS = 2000


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%Y-%m-%d")
    return str(v).strip()


def cell_ref(r: int, c: int) -> str:
    """0-based row/column → ``C12``."""
    return f"{get_column_letter(c + 1)}{r + 1}"


@dataclass
class Sheet:
    """The values of one worksheet from A1, and its merged ranges (0-based, inclusive)."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]]

    def value(self, r: int, c: int) -> Any:
        if r < len(self.rows) and c < len(self.rows[r]):
            v = self.rows[r][c]
            return None if v == "" else v
        return None

    def source(self, r: int, c: int) -> Source:
        return Source(sheet=self.name, cell=cell_ref(r, c))


def load_sheets(path: Path) -> dict[str, Sheet]:
    """Read every sheet's values with calamine (fast, and reads .xls/.xlsx/.ods alike)."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise UnreadableDocument("无法打开工作簿，文件可能已损坏或不是 Excel 文件", where=path.name) from exc
    sheets: dict[str, Sheet] = {}
    for name in wb.sheet_names:
        try:
            ws = wb.get_sheet_by_name(name)
            rows = ws.to_python(skip_empty_area=False)[:MAX_SCAN_ROWS]
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (ws.merged_cell_ranges or [])]
        except Exception:  # one damaged sheet must not lose the others
            rows, merged = [], []
        sheets[name] = Sheet(name, rows, merged)
    return sheets


def sheet_grid(sheet: Sheet) -> Grid:
    """All cells of a sheet, with merged ranges spread over every cell they cover."""
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in sheet.merged:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                origin[(r, c)] = (r0, c0)
    width = max((len(r) for r in sheet.rows), default=0)
    rows: list[list[GCell]] = []
    for r in range(len(sheet.rows)):
        cells = []
        for c in range(width):
            o = origin.get((r, c), (r, c))
            v = sheet.value(*o)
            cells.append(GCell(_text(v), sheet.source(*o), value=v if o == (r, c) else None))
        rows.append(cells)
    while rows and not any(c.text for c in rows[-1]):
        rows.pop()
    return Grid(rows=rows, name=f"工作表「{sheet.name}」")


def title_of(text: str) -> str:
    """A printed table title without its year and number: ``2022 年度收入决算表（表 2）`` →
    ``收入决算表``."""
    t = norm_label(text)
    t = re.sub(r"^\d{4}年(度)?", "", t)
    t = re.sub(r"[(（]?(表|公开)\s*\d+表?[)）]?$", "", t)
    t = re.sub(r"^(部门|单位)", "", t) if t not in ("部门收入支出决算总表",) else t
    return t


def _find_sheet(sheets: dict[str, Sheet], spec: TableSpec, used: set[str]) -> Sheet | None:
    """By the sheet name the template gives, else by the title printed in the first rows."""
    name = sheet_name(spec)
    if name in sheets:
        return sheets[name]
    titles = {title_of(t) for t in spec.titles()}
    for sheet in sheets.values():
        if sheet.name in used or sheet.name == "填表说明":
            continue
        for row in sheet.rows[:3]:
            if any(title_of(_text(v)) in titles for v in row if v not in (None, "")):
                return sheet
    return None


class WorkbookReader:
    def __init__(self, path: Path, profile_id: str | None = None):
        self.path = path
        self.issues: list[ReadIssue] = []
        self.sheets = load_sheets(path)
        self.forced_profile = profile_id

    def issue(self, message: str, source: Source | None = None, table: str | None = None) -> None:
        self.issues.append(ReadIssue(message=message, source=source, table=table))

    # -- key/value sheets ---------------------------------------------------------------
    def read_fields(self, d: dict[str, Any]) -> None:
        for spec in field_sheets():
            sheet = self.sheets.get(spec.name)
            if sheet is None:
                if spec.name == "单位信息":
                    self.issue("缺少工作表「单位信息」：无法知道单位名称和年度。")
                continue
            by_label = {norm_label(f.label): f for f in spec.fields}
            for r in range(min(len(sheet.rows), 200)):
                f = by_label.get(norm_label(_text(sheet.value(r, 0))))
                v = sheet.value(r, 1)
                if f is None or v is None or _text(v) == "":
                    continue
                value = self._field_value(f.kind, v, sheet.source(r, 1), f.label)
                if value is not None:
                    d[f.path] = value

    def _field_value(self, kind: str, v: Any, src: Source, label: str) -> Any:
        if kind == "text":
            return _text(v)
        if kind == "int":
            try:
                return int(parse_amount(v) or 0)  # type: ignore[arg-type]
            except (ValueError, TypeError):
                self.issue(f"工作表「{src.sheet}」单元格 {src.cell}（{label}）应为年份数字，"
                           f"实为“{_text(v)}”。", src)
                return None
        if kind == "date":
            if isinstance(v, (dt.datetime, dt.date)):
                return v.date() if isinstance(v, dt.datetime) else v
            try:
                return dt.date.fromisoformat(_text(v).replace("/", "-").replace(".", "-"))
            except ValueError:
                self.issue(f"工作表「{src.sheet}」单元格 {src.cell}（{label}）应为日期，如 2025-09-20，"
                           f"实为“{_text(v)}”。", src)
                return None
        try:
            value = parse_amount(v)
        except ValueError:
            self.issue(f"工作表「{src.sheet}」单元格 {src.cell}（{label}）应为数字，"
                       f"实为“{_text(v)}”，已按空白处理。", src)
            return None
        raw = v if isinstance(v, str) and v.strip() != str(value) else None
        return Cell(value=value, raw=raw, source=src)

    # -- list sheets ----------------------------------------------------------------------
    def _rows(self, name: str, headers: list[str]) -> list[tuple[dict[str, Any], int]]:
        """Rows of a list sheet as {header: (value, source)}, with the 1-based row number."""
        sheet = self.sheets.get(name)
        if sheet is None:
            return []
        header_row, cols = None, {}
        for r, row in enumerate(sheet.rows[:10]):
            texts = [norm_label(_text(v)) for v in row]
            if norm_label(headers[0]) in texts and norm_label(headers[1]) in texts:
                header_row = r
                cols = {h: texts.index(norm_label(h)) for h in headers if norm_label(h) in texts}
                break
        if header_row is None:
            self.issue(f"工作表「{name}」找不到表头（{'、'.join(headers[:3])}…），未读取。")
            return []
        out = []
        for r in range(header_row + 1, len(sheet.rows)):
            values = {h: (sheet.value(r, j), sheet.source(r, j)) for h, j in cols.items()}
            if all(v is None or _text(v) == "" for v, _ in values.values()):
                continue
            out.append((values, r + 1))
        return out

    @staticmethod
    def _str(cells: dict[str, Any], header: str) -> str | None:
        v = cells.get(header, (None, None))[0]
        return _text(v) or None

    def _amount(self, cells: dict[str, Any], header: str, what: str) -> Cell | None:
        v, src = cells.get(header, (None, None))
        if v is None or _text(v) == "":
            return None
        try:
            value = parse_amount(v)
        except ValueError:
            self.issue(f"工作表「{src.sheet}」单元格 {src.cell}（{what}）应为数字，实为“{_text(v)}”，"
                       "已按空白处理。", src)
            return None
        return Cell(value=value, source=src)

    def read_budget_items(self) -> list[BudgetItem]:
        items = []
        for cells, rownum in self._rows("年初预算", BUDGET_HEADERS):
            code = (self._str(cells, "科目编码") or "").replace(" ", "")
            items.append(BudgetItem(
                code=code or None,
                name=self._str(cells, "科目名称"),
                budget=self._amount(cells, "年初预算数", "年初预算数"),
                actual=self._amount(cells, "支出决算数", "支出决算数"),
                purpose=self._str(cells, "主要用于"),
                reason=self._str(cells, BUDGET_HEADERS[5]),
                source=Source(sheet="年初预算", cell=f"A{rownum}"),
            ))
        return items

    def read_performance(self) -> list[Evaluation]:
        kinds = {v: k for k, v in KIND_LABEL.items()}
        evals: dict[str, Evaluation] = {}
        for cells, rownum in self._rows("绩效自评", EVAL_HEADERS):
            n = self._str(cells, "序号") or str(rownum)
            evals[n] = Evaluation(
                kind=kinds.get(self._str(cells, "类型") or "", "project"),  # type: ignore[arg-type]
                name=self._str(cells, "项目名称") or f"第{n}张",
                unit=self._str(cells, "部门名称"),
                budget=self._amount(cells, "预算数", "预算数"),
                executed=self._amount(cells, "执行数", "执行数"),
                execution_rate=self._amount(cells, "执行率(%)", "执行率"),
                execution_weight=self._amount(cells, "预算执行分值", "预算执行分值"),
                execution_score=self._amount(cells, "预算执行得分", "预算执行得分"),
                total_score=self._amount(cells, "自评得分", "自评得分"),
                source=Source(sheet="绩效自评", cell=f"A{rownum}"),
            )
        goals: dict[tuple[str, str], Goal] = {}
        for cells, rownum in self._rows("绩效目标", GOAL_HEADERS):
            n, title = self._str(cells, "序号") or "", self._str(cells, "目标名称") or ""
            ev = evals.get(n)
            if ev is None:
                self.issue(f"工作表「绩效目标」第{rownum}行的序号 {n} 在「绩效自评」中找不到。",
                           Source(sheet="绩效目标", cell=f"A{rownum}"))
                continue
            g = Goal(title=title, weight=self._amount(cells, "分值", "分值"),
                     score=self._amount(cells, "得分", "得分"), text=self._str(cells, "目标内容"),
                     achieved=self._str(cells, "全年实际完成情况"),
                     source=Source(sheet="绩效目标", cell=f"A{rownum}"))
            ev.goals.append(g)
            goals[(n, title)] = g
        for cells, rownum in self._rows("绩效指标", INDICATOR_HEADERS):
            n, title = self._str(cells, "序号") or "", self._str(cells, "目标名称") or ""
            g = goals.get((n, title))
            if g is None:
                ev = evals.get(n)
                if ev is None:
                    self.issue(f"工作表「绩效指标」第{rownum}行的序号 {n} 在「绩效自评」中找不到。",
                               Source(sheet="绩效指标", cell=f"A{rownum}"))
                    continue
                g = goals[(n, title)] = Goal(title=title or "年度绩效指标")
                ev.goals.append(g)
            g.indicators.append(Indicator(
                level1=self._str(cells, "一级指标"), level2=self._str(cells, "二级指标"),
                name=self._str(cells, "三级指标") or "", target=self._str(cells, "年初目标值"),
                actual=self._str(cells, "实际完成值"),
                weight=self._amount(cells, "分值", "指标分值"),
                completion=self._amount(cells, "完成率(%)", "完成率"),
                score=self._amount(cells, "得分", "指标得分"),
                source=Source(sheet="绩效指标", cell=f"A{rownum}"),
            ))
        return list(evals.values())

    def read_texts(self) -> dict[str, str]:
        labels = {norm_label(label): key for key, label in text_fields()}
        out = {}
        for cells, _ in self._rows("说明文字", ["键", "项目", "内容"]):
            key = self._str(cells, "键") or labels.get(norm_label(self._str(cells, "项目") or ""), "")
            text = self._str(cells, "内容")
            if key and text:
                out[key] = text
        return out

    # -- whole workbook -----------------------------------------------------------------
    def read(self) -> Disclosure:
        fields: dict[str, Any] = {}
        self.read_fields(fields)
        profile_id = self.forced_profile or fields.get("profile")
        if not profile_id:
            profile_id = self._guess_profile()
        profile = load_profile(profile_id)
        d = Disclosure(unit=fields.get("unit") or "（未填写单位名称）",
                       year=fields.get("year") or 0, profile=profile.id)
        if not fields.get("unit"):
            self.issue("「单位信息」中没有填写单位名称。")
        if not fields.get("year"):
            self.issue("「单位信息」中没有填写决算年度。")
        derive = str(fields.pop("_derive", "是")).strip() not in ("否", "N", "n", "no", "No", "0", "false")
        for path, value in fields.items():
            if path in ("unit", "year", "profile"):
                continue
            if path in ("kind", "money_unit") and value not in (("决算", "预算") if path == "kind"
                                                                else ("万元", "元")):
                self.issue(f"「单位信息」中的{'公开类型' if path == 'kind' else '金额单位'}"
                           f"“{value}”无效，应为{'决算或预算' if path == 'kind' else '万元或元'}。")
                continue
            try:
                set_path(d, path, value)
            except (ValueError, TypeError, AttributeError) as exc:
                self.issue(f"「{path}」的值“{value}”无效：{exc}")
        d.tables = self.read_tables(profile)
        d.others.budget_items = self.read_budget_items()
        d.performance = self.read_performance()
        d.texts = self.read_texts()
        if derive:
            fill_blanks(d, profile)
        d.origin = Origin(file=self.path.name, format="xlsx", reader="workbook",
                          sha256=hashlib.sha256(self.path.read_bytes()).hexdigest(),
                          issues=self.issues)
        return d

    def read_tables(self, profile: Profile):
        tables = []
        used: set[str] = set()
        for spec in profile.tables:
            sheet = _find_sheet(self.sheets, spec, used)
            if sheet is None:
                self.issue(f"工作簿中找不到工作表「{sheet_name(spec)}」（{spec.display}）。",
                           table=spec.key)
                continue
            used.add(sheet.name)
            table = read_table(sheet_grid(sheet), spec, self.issues)
            table.source = Source(sheet=sheet.name)
            tables.append(table)
        return tables

    def _guess_profile(self) -> str:
        names = " ".join(self.sheets)
        if "表7 财政拨款“三公”" in names or "表7 财政拨款\"三公\"" in names:
            return "shanghai-2024"
        if "表9" in names:
            return "hubei-2022"
        if "表8" in names:
            return "legacy-8"
        raise UnreadableDocument("「单位信息」中没有“模板”一项，也无法从工作表判断模板；"
                                 "请用 --profile 指定，例如 --profile shanghai-2024", where=self.path.name)


def read_workbook(path: Path, profile: str | None = None) -> Disclosure:
    return WorkbookReader(path, profile).read()


def read_spreadsheet_document(path: Path, fmt: str) -> Document:
    """A published workbook (one table per sheet, titles in the first rows) → ``Document``."""
    sheets = load_sheets(path)
    blocks: list[Line | TableBlock] = []
    for sheet in sheets.values():
        grid = sheet_grid(sheet)
        if not grid.rows:
            continue
        for r, row in enumerate(grid.rows[:4]):  # title and 单位 lines above the table
            texts = list(dict.fromkeys(c.text for c in row if c.text))
            if len(texts) == 1 or (texts and re.match(r"^(部门|编制单位|单位)[:：]", texts[0])):
                blocks.append(Line(" ".join(texts), row[0].source))
            elif r > 0:
                break
        blocks.append(TableBlock(grid, Source(sheet=sheet.name), caption=sheet.name))
    if not blocks:
        raise UnreadableDocument("工作簿中没有内容", where=path.name)
    return Document(blocks, path.name, fmt, sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def is_input_workbook(path: Path) -> bool:
    """Our template (it has the 单位信息 sheet) rather than a published workbook."""
    from python_calamine import CalamineWorkbook

    try:
        return "单位信息" in CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception:  # unreadable: let the reader say so
        return True
