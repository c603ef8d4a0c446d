"""Read an XLSX workbook: our input template, or any workbook whose sheets hold the standard
tables (published ``.xlsx`` disclosures are laid out the same way).

Sheets are found by name first, then by the table title written in their first rows, so a
renamed sheet is still read.  Every problem — a missing sheet, text where an amount belongs, an
unknown row — becomes a ``ReadIssue`` naming the sheet and cell; the rest is still read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

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


def sheet_grid(ws: Worksheet) -> Grid:
    """All cells of a sheet, with merged ranges spread over every cell they cover."""
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged[(r, c)] = (rng.min_row, rng.min_col)
    max_row = min(ws.max_row, MAX_SCAN_ROWS)
    values: dict[tuple[int, int], Any] = {}
    for row in ws.iter_rows(min_row=1, max_row=max_row):
        for c in row:
            if c.value is not None:
                values[(c.row, c.column)] = (c.value, bool(c.font and c.font.b))
    width = ws.max_column
    rows: list[list[GCell]] = []
    for r in range(1, max_row + 1):
        cells = []
        for c in range(1, width + 1):
            origin = merged.get((r, c), (r, c))
            v, bold = values.get(origin, (None, False))
            ref = f"{get_column_letter(origin[1])}{origin[0]}"
            cells.append(GCell(_text(v), Source(sheet=ws.title, cell=ref),
                               value=v if origin == (r, c) else None, bold=bold))
        rows.append(cells)
    while rows and not any(c.text for c in rows[-1]):
        rows.pop()
    return Grid(rows=rows, name=f"工作表「{ws.title}」")


def title_of(text: str) -> str:
    """A printed table title without its year and number: ``2022 年度收入决算表（表 2）`` →
    ``收入决算表``."""
    t = norm_label(text)
    t = re.sub(r"^\d{4}年(度)?", "", t)
    t = re.sub(r"[(（]?(表|公开)\s*\d+表?[)）]?$", "", t)
    t = re.sub(r"^(部门|单位)", "", t) if t not in ("部门收入支出决算总表",) else t
    return t


def _find_sheet(wb: Workbook, spec: TableSpec, used: set[str]) -> Worksheet | None:
    """By the sheet name the template gives, else by the title printed in the first rows."""
    name = sheet_name(spec)
    if name in wb.sheetnames:
        return wb[name]
    titles = {title_of(t) for t in spec.titles()}
    for ws in wb.worksheets:
        if ws.title in used or ws.title in ("填表说明",):
            continue
        for row in ws.iter_rows(min_row=1, max_row=3, values_only=True):
            if any(title_of(_text(v)) in titles for v in row if v is not None):
                return ws
    return None


class WorkbookReader:
    def __init__(self, path: Path, profile_id: str | None = None):
        self.path = path
        self.issues: list[ReadIssue] = []
        try:
            self.wb = load_workbook(path, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise UnreadableDocument(f"无法打开工作簿（{type(exc).__name__}）。请确认是 .xlsx 文件且未损坏",
                                     where=path.name) from exc
        self.forced_profile = profile_id

    def issue(self, message: str, source: Source | None = None, table: str | None = None) -> None:
        self.issues.append(ReadIssue(message=message, source=source, table=table))

    # -- key/value sheets ---------------------------------------------------------------
    def read_fields(self, d: dict[str, Any]) -> None:
        for sheet in field_sheets():
            if sheet.name not in self.wb.sheetnames:
                if sheet.name == "单位信息":
                    self.issue("缺少工作表「单位信息」：无法知道单位名称和年度。")
                continue
            ws = self.wb[sheet.name]
            by_label = {norm_label(f.label): f for f in sheet.fields}
            for row in ws.iter_rows(min_row=1, max_row=200):
                if not row or row[0].value is None:
                    continue
                f = by_label.get(norm_label(_text(row[0].value)))
                if f is None or len(row) < 2:
                    continue
                cell = row[1]
                if cell.value is None or _text(cell.value) == "":
                    continue
                src = Source(sheet=ws.title, cell=cell.coordinate)
                value = self._field_value(f.kind, cell.value, src, f.label)
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
        if name not in self.wb.sheetnames:
            return []
        ws = self.wb[name]
        header_row, cols = None, {}
        for row in ws.iter_rows(min_row=1, max_row=10):
            texts = [norm_label(_text(c.value)) for c in row]
            if norm_label(headers[0]) in texts and norm_label(headers[1]) in texts:
                header_row = row[0].row
                cols = {h: texts.index(norm_label(h)) for h in headers if norm_label(h) in texts}
                break
        if header_row is None:
            self.issue(f"工作表「{name}」找不到表头（{'、'.join(headers[:3])}…），未读取。")
            return []
        out = []
        for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
            values = {h: row[j] for h, j in cols.items() if j < len(row)}
            if all(c.value is None or _text(c.value) == "" for c in values.values()):
                continue
            out.append((values, row[0].row))
        return out

    def _amount(self, cells: dict[str, Any], header: str, what: str) -> Cell | None:
        c = cells.get(header)
        if c is None or c.value is None or _text(c.value) == "":
            return None
        src = Source(sheet=c.parent.title, cell=c.coordinate)
        try:
            value = parse_amount(c.value)
        except ValueError:
            self.issue(f"工作表「{src.sheet}」单元格 {src.cell}（{what}）应为数字，实为“{_text(c.value)}”，"
                       "已按空白处理。", src)
            return None
        return Cell(value=value, source=src)

    def read_budget_items(self) -> list[BudgetItem]:
        items = []
        for cells, _ in self._rows("年初预算", BUDGET_HEADERS):
            code = _text(cells["科目编码"].value).replace(" ", "") if "科目编码" in cells else ""
            items.append(BudgetItem(
                code=code or None,
                name=_text(cells["科目名称"].value) or None if "科目名称" in cells else None,
                budget=self._amount(cells, "年初预算数", "年初预算数"),
                actual=self._amount(cells, "支出决算数", "支出决算数"),
                purpose=_text(cells["主要用于"].value) or None if "主要用于" in cells else None,
                reason=(_text(cells[BUDGET_HEADERS[5]].value) or None
                        if BUDGET_HEADERS[5] in cells else None),
                source=Source(sheet="年初预算", cell=cells["科目编码"].coordinate)
                if "科目编码" in cells else None,
            ))
        return items

    def read_performance(self) -> list[Evaluation]:
        kinds = {v: k for k, v in KIND_LABEL.items()}
        evals: dict[str, Evaluation] = {}
        for cells, rownum in self._rows("绩效自评", EVAL_HEADERS):
            n = _text(cells["序号"].value)
            kind = kinds.get(_text(cells["类型"].value) if "类型" in cells else "", "project")
            evals[n] = Evaluation(
                kind=kind,  # type: ignore[arg-type]
                name=_text(cells["项目名称"].value) if "项目名称" in cells else f"第{n}张",
                unit=(_text(cells["部门名称"].value) or None) if "部门名称" in cells else None,
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
            n, title = _text(cells["序号"].value), _text(cells["目标名称"].value)
            ev = evals.get(n)
            if ev is None:
                self.issue(f"工作表「绩效目标」第{rownum}行的序号 {n} 在「绩效自评」中找不到。",
                           Source(sheet="绩效目标", cell=f"A{rownum}"))
                continue
            g = Goal(title=title, weight=self._amount(cells, "分值", "分值"),
                     score=self._amount(cells, "得分", "得分"),
                     text=(_text(cells["目标内容"].value) or None) if "目标内容" in cells else None,
                     achieved=(_text(cells["全年实际完成情况"].value) or None)
                     if "全年实际完成情况" in cells else None,
                     source=Source(sheet="绩效目标", cell=f"A{rownum}"))
            ev.goals.append(g)
            goals[(n, title)] = g
        for cells, rownum in self._rows("绩效指标", INDICATOR_HEADERS):
            n, title = _text(cells["序号"].value), _text(cells["目标名称"].value)
            g = goals.get((n, title))
            if g is None:
                ev = evals.get(n)
                if ev is None:
                    self.issue(f"工作表「绩效指标」第{rownum}行的序号 {n} 在「绩效自评」中找不到。",
                               Source(sheet="绩效指标", cell=f"A{rownum}"))
                    continue
                g = goals[(n, title)] = Goal(title=title or "年度绩效指标")
                ev.goals.append(g)
            def get(h: str, cells=cells) -> str | None:
                return (_text(cells[h].value) or None) if h in cells else None

            g.indicators.append(Indicator(
                level1=get("一级指标"), level2=get("二级指标"), name=get("三级指标") or "",
                target=get("年初目标值"), actual=get("实际完成值"),
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
            key = _text(cells["键"].value) if "键" in cells else ""
            key = key or labels.get(norm_label(_text(cells["项目"].value)) if "项目" in cells else "", "")
            text = _text(cells["内容"].value) if "内容" in cells else ""
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
            ws = _find_sheet(self.wb, spec, used)
            if ws is None:
                self.issue(f"工作簿中找不到工作表「{sheet_name(spec)}」（{spec.display}）。",
                           table=spec.key)
                continue
            used.add(ws.title)
            grid = sheet_grid(ws)
            table = read_table(grid, spec, self.issues)
            table.source = Source(sheet=ws.title)
            tables.append(table)
        return tables

    def _guess_profile(self) -> str:
        names = " ".join(self.wb.sheetnames)
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
