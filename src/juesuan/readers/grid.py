"""Turn a grid of cells (a worksheet, a DOCX/HTML table, a PDF table) into a model ``Table``.

Every format reader reduces a table to a ``Grid``: rows of ``GCell`` with their text and source.
``read_table`` then finds, using only the table spec:

* the header rows and, per grid column, its header text (merged cells already spread);
* label, code and 行次 columns, and which amount column is which spec column (by 栏次 when the
  table prints them, else by header words), per side for the two-sided summary tables and per
  group for table 6;
* each data row: a fixed row of the spec (matched by label or 行次), a classification code
  (one column, or 类|款|项 split over three), or the 合计 row;
* the notes under the table.

Anything it cannot take in becomes a ``ReadIssue`` naming the cell; the rest is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from juesuan.model import Cell, ReadIssue, Row, Source, Table
from juesuan.money import parse_amount
from juesuan.readers.normalize import join_number_spaces
from juesuan.tables import ColumnSpec, RowSpec, TableSpec, norm_label, render_formula
from juesuan.tables.spec import header_synonyms

CODE_RE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_SPLIT_CODE = {"类": 0, "款": 1, "项": 2}
NOTE_RE = re.compile(r"^(注|说明|备注)[:：\d]|^注$|^说明$")
UNIT_RE = re.compile(r"(金额)?单位[:：]\s*(万元|元|千元|亿元)")


@dataclass
class GCell:
    text: str
    source: Source
    value: Any = None  # typed value when the format has one (spreadsheet numbers)
    bold: bool = False


@dataclass
class Grid:
    rows: list[list[GCell]]
    name: str = ""  # sheet name / "第3个表格" — used in messages
    preamble: list[str] = field(default_factory=list)  # text above the table (title, units)
    after: list[str] = field(default_factory=list)  # text below the table (notes)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text(self, r: int, c: int) -> str:
        row = self.rows[r]
        return row[c].text if c < len(row) else ""


def _norm(text: str) -> str:
    t = norm_label(text)
    for k, v in header_synonyms().items():
        if k in t:
            t = t.replace(k, v)
    return t


def _is_code(text: str) -> bool:
    return bool(CODE_RE.match(re.sub(r"\s+", "", text)))


def is_amount(cell: GCell) -> bool:
    """Does the cell hold an amount (a spreadsheet number, or text that parses as one)?"""
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return True
    t = cell.text.strip()
    if not t or t in {"-", "—", "/"}:
        return False
    try:
        return parse_amount(t) is not None
    except ValueError:
        return False


# ---------------------------------------------------------------------------- matching
@dataclass
class _Side:
    key: str | None
    label_col: int | None
    code_cols: list[int]
    line_col: int | None
    amount_cols: dict[int, ColumnSpec]  # grid column → spec column
    rows: list[RowSpec]


class TableReader:
    def __init__(self, grid: Grid, spec: TableSpec, issues: list[ReadIssue]):
        self.g = grid
        self.spec = spec
        self.issues = issues
        self._row_labels = {_norm(n) for r in spec.rows for n in r.names()}

    def issue(self, message: str, source: Source | None = None) -> None:
        self.issues.append(ReadIssue(message=message, source=source, table=self.spec.key))

    # -- header --------------------------------------------------------------------------
    def find_body_start(self) -> int:
        """Index of the first data row (after the title, headers and the 栏次 row)."""
        spec = self.spec
        labels = {_norm(n) for r in spec.rows for n in r.names()}
        total = _norm(spec.total_row.label) if spec.total_row else None
        seen_header = False
        for i, row in enumerate(self.g.rows):
            if self._is_header_row(i):
                seen_header = True
                continue
            texts = [_norm(c.text) for c in row]
            if self._line_numbers(i) or NOTE_RE.match(next((c.text.strip() for c in row
                                                               if c.text.strip()), "")):
                continue
            if spec.kind == "coded" or spec.groups:
                if any(_is_code(c.text) for c in row) or (total and total in texts[:4]) or any(
                        t in labels for t in texts if t):
                    return i
            elif spec.sides:
                if any(t in labels for t in texts if t):
                    return i
            elif seen_header and (any(is_amount(c) for c in row) or not any(texts)):
                return i
        return len(self.g.rows)

    def _is_header_row(self, i: int) -> bool:
        """A row of column headings: it names columns of the spec (合计/小计 alone do not count)."""
        words = {"项目", "科目名称", "行次", "栏次", "类", "款", "项", "收入", "支出"}
        for c in self.spec.columns:
            words.update(_norm(n) for n in c.names())
            words.update(_norm(p) for p in c.path)
        words -= {"合计", "小计", "金额"}
        row = self.g.rows[i]
        texts = {_norm(c.text) for c in row if c.text.strip()}
        if any(_is_code(c.text) for c in row) or any(is_amount(c) for c in row
                                                     if not c.text.strip().isdigit()):
            return False
        first = next((_norm(c.text) for c in row if c.text.strip()), "")
        if first in self._row_labels:  # a data row whose label happens to be a column name
            return False
        return bool(texts & words) or any("编码" in t for t in texts)

    def _line_numbers(self, i: int) -> dict[int, int]:
        """Grid column → 栏次 number, when row ``i`` is a 栏次 row."""
        row = self.g.rows[i]
        nums = {}
        for j, c in enumerate(row):
            t = c.text.strip()
            if t.isdigit() and 0 < int(t) < 40:
                nums[j] = int(t)
        texts = [_norm(c.text) for c in row]
        if "栏次" in texts or (len(nums) >= 2 and sorted(nums.values()) == list(
                range(min(nums.values()), min(nums.values()) + len(nums)))
                and not any(_is_code(c.text) and len(c.text.strip()) >= 3 for c in row)):
            return nums
        return {}

    def header_texts(self, start: int, end: int) -> list[str]:
        out = []
        for j in range(self.g.width):
            parts: list[str] = []
            for i in range(start, end):
                t = _norm(self.g.text(i, j))
                if t and (not parts or parts[-1] != t):
                    parts.append(t)
            out.append(" ".join(parts))
        return out

    # -- columns -------------------------------------------------------------------------
    def _score(self, header: str, col: ColumnSpec) -> int:
        if not header:
            return 0
        leaf_names = [_norm(n) for n in col.names()]
        words = header.split(" ")
        leaf_ok = any(n in words for n in leaf_names) or any(n and n in header for n in leaf_names)
        if not leaf_ok:
            return 0
        score = 10
        if any(n in words for n in leaf_names):
            score += 5
        for p in col.path:
            if _norm(p) in header:
                score += 3
        return score

    def map_columns(self, cols: list[int], specs: tuple[ColumnSpec, ...], headers: list[str],
                    lines: dict[int, int]) -> dict[int, ColumnSpec]:
        mapping: dict[int, ColumnSpec] = {}
        if lines and all(c.line for c in specs):
            by_line = {c.line: c for c in specs}
            for j in cols:
                if lines.get(j) in by_line:
                    mapping[j] = by_line[lines[j]]
            if len(mapping) == len(specs):
                return mapping
            mapping = {}
        taken: set[str] = set()
        pairs = sorted(((self._score(headers[j], c), j, k) for j in cols
                        for k, c in enumerate(specs)), key=lambda x: (-x[0], x[1], x[2]))
        for score, j, k in pairs:
            if score <= 0 or j in mapping or specs[k].key in taken:
                continue
            mapping[j] = specs[k]
            taken.add(specs[k].key)
        if not mapping and len(cols) == len(specs):  # headers unreadable: trust the order
            mapping = dict(zip(cols, specs, strict=True))
        return mapping

    # -- main ----------------------------------------------------------------------------
    def read(self) -> Table:
        spec = self.spec
        table = Table(key=spec.key, number=spec.number, title=spec.title)
        body = self.find_body_start()
        head_start = 0
        for i in range(body):  # skip title / unit lines above the header
            if not self._is_header_row(i):
                head_start = i + 1
            else:
                break
        lines: dict[int, int] = {}
        header_end = body
        for i in range(head_start, body):
            found = self._line_numbers(i)
            if found:
                lines, header_end = found, i
                break
        headers = self.header_texts(head_start, header_end)
        sides = self.sides(headers, lines, body)
        if spec.kind == "fixed" and not spec.sides and not any(s.amount_cols for s in sides):
            self.read_transposed(table)
            if table.rows:
                table.notes = [n for n in self.g.after if n.strip()]
                return table
        if not sides or not any(s.amount_cols for s in sides):
            self.issue(f"{self.g.name}：找不到{spec.display}的金额栏（表头与模板不符），本表未能读取。",
                       self.g.rows[0][0].source if self.g.rows and self.g.rows[0] else None)
            return table
        found = {c.key for side in sides for c in side.amount_cols.values()}
        missing = [c for c in spec.columns if c.key not in found]
        if missing and len(missing) < len(spec.columns):
            self.issues.append(ReadIssue(
                message=f"{self.g.name}：{spec.display}中找不到这些栏：{'、'.join(c.label for c in missing)}"
                        "，这些栏按空白处理，涉及它们的勾稽关系已略过。",
                table=spec.key, columns=[c.key for c in missing]))
        self.read_rows(table, sides, body)
        formulas = {render_formula(f, spec) for f in spec.formulas}
        table.notes = [n for n in self.g.after if n.strip() and n.rstrip("。") not in
                       {"；".join(sorted(formulas))} and not self._is_formula_line(n)]
        return table

    def _column_stats(self, body: int) -> list[dict[str, int]]:
        """Per grid column, how many body cells hold text, amounts, codes, and labels of each
        side of the spec."""
        side_labels = {side: {_norm(n) for r in self.spec.rows if r.side == side for n in r.names()}
                       for side in (self.spec.sides or {None: None})}
        stats = [dict(text=0, amount=0, code=0) for _ in range(self.g.width)]
        for row in self.g.rows[body:]:
            for j, c in enumerate(row):
                t = c.text.strip()
                if not t:
                    continue
                st = stats[j]
                if _is_code(t):
                    st["code"] += 1
                elif is_amount(c):
                    st["amount"] += 1
                else:
                    st["text"] += 1
                    n = _norm(t)
                    for side, labels in side_labels.items():
                        if n in labels:
                            st[f"label:{side}"] = st.get(f"label:{side}", 0) + 1
        return stats

    def sides(self, headers: list[str], lines: dict[int, int], body: int) -> list[_Side]:
        spec = self.spec
        width = self.g.width
        stats = self._column_stats(body)
        label_cols = [j for j, h in enumerate(headers) if (h.endswith("项目") or "科目名称" in h)
                      and "编码" not in h]
        code_cols = [j for j, h in enumerate(headers) if "编码" in h or h.split(" ")[-1] in
                     ("类", "款", "项")]
        line_cols = [j for j, h in enumerate(headers) if h.endswith("行次")]
        if spec.sides:
            starts = []
            for side in spec.sides:  # the column holding most of this side's row labels
                hits = [(st.get(f"label:{side}", 0), -j, j) for j, st in enumerate(stats)]
                best = max(hits)
                starts.append(best[2] if best[0] >= 2 else None)
            if None in starts:  # too few labels in the body: trust the header
                starts = label_cols[: len(spec.sides)]
                if len(starts) < len(spec.sides):
                    return []
            out = []
            for n, side in enumerate(spec.sides):
                lo = starts[n]  # type: ignore[index]
                hi = starts[n + 1] if n + 1 < len(starts) else width  # type: ignore[index]
                line_col = next((j for j in range(lo + 1, hi) if j in line_cols or (
                    stats[j]["amount"] and headers[j].endswith("行次"))), None)
                if line_col is None and lines:  # 行次 printed as small integers next to the label
                    line_col = next((j for j in line_cols if lo < j < hi), None)
                cols = [j for j in range(lo + 1, hi) if j != line_col]
                amounts = self.map_columns(cols, spec.columns_for_side(side), headers, lines)
                out.append(_Side(side, lo, [], line_col, amounts,
                                 [r for r in spec.rows if r.side == side]))
            return out
        if spec.groups:
            out = []
            group_labels = [j for j, h in enumerate(headers) if "科目名称" in h]
            for n, g in enumerate(spec.groups):
                if n >= len(group_labels):
                    break
                lab = group_labels[n]
                codes = [j for j in code_cols if j < lab and (n == 0 or j > group_labels[n - 1])]
                out.append(_Side(g.key, lab, codes, None, {lab + 1: spec.columns[0]},
                                 [r for r in spec.rows if r.code and r.code[:3] in g.classes]))
            # a group may continue in a third column block (湖北 2022 prints 310 on its own)
            for k, lab in enumerate(group_labels[len(spec.groups):], start=len(spec.groups)):
                codes = [j for j in code_cols if group_labels[k - 1] < j < lab]
                out.append(_Side(spec.groups[-1].key, lab, codes, None,
                                 {lab + 1: spec.columns[0]}, []))
            return out
        if spec.kind == "coded":
            if not code_cols:
                code_cols = [j for j, st in enumerate(stats) if st["code"] and st["code"] >= st["text"]]
            label = label_cols[0] if label_cols else None
            texty = [(st["text"], -j, j) for j, st in enumerate(stats)
                     if j not in code_cols and j not in lines]
            best = max(texty) if texty else (0, 0, None)
            if label is None or stats[label]["text"] < best[0] / 2:
                label = best[2]  # the header says one column, the rows another: follow the rows
            codes = [j for j in code_cols if label is None or j < label] or code_cols
            used = set(codes) | {label} | set(line_cols)
            cols = [j for j in range(width) if j not in used]
            amounts = self.map_columns(cols, spec.columns, headers, lines)
            return [_Side(None, label, codes, None, amounts, [])]
        cols = list(range(width))
        return [_Side(None, None, [], None, self.map_columns(cols, spec.columns, headers, lines),
                      list(spec.rows))]

    # -- rows ----------------------------------------------------------------------------
    def read_rows(self, table: Table, sides: list[_Side], body: int) -> None:
        spec = self.spec
        matched: set[str] = set()
        seen_parent: set[str] = set()
        for i in range(body, len(self.g.rows)):
            row = self.g.rows[i]
            first = next((c.text.strip() for c in row if c.text.strip()), "")
            if NOTE_RE.match(first) or self._is_formula_line(first):
                self.g.after[:0] = [_clean_note(" ".join(c.text for c in r if c.text.strip()))
                                    for r in self.g.rows[i:]]
                break
            for side in sides:
                key, label, code, src, moved = self._row_key(row, side, matched, seen_parent)
                if key is None:
                    continue
                cells = self._cells(row, side, skip=moved)
                if not cells and spec.groups and key.endswith("_total"):
                    cells = self._spanned_total(row, side)
                if key in matched and spec.kind != "coded":
                    continue
                matched.add(key)
                if table.row(key) is not None:  # the same code twice: keep the first, note it
                    if cells:
                        self.issue(f"{self.g.name}：科目 {key} 出现了两次，只取第一次。", src)
                    continue
                table.add_row(Row(key=key, label=label, code=code, cells=cells, source=src))

    def _code_of(self, row: list[GCell], side: _Side) -> str:
        parts = [re.sub(r"\s+", "", row[j].text) for j in side.code_cols if j < len(row)]
        if len(parts) > 1:  # 类 | 款 | 项 printed in separate columns
            return "".join(p for p in parts if p)
        return parts[0] if parts else ""

    def _row_key(self, row: list[GCell], side: _Side, matched: set[str], seen_parent: set[str]):
        """(key, label, code, source, grid column of a label misplaced in an amount column)."""
        spec = self.spec
        none = (None, None, None, None, None)
        label_cell = row[side.label_col] if side.label_col is not None and side.label_col < len(
            row) else None
        label = label_cell.text.strip() if label_cell else ""
        src = label_cell.source if label_cell else (row[0].source if row else None)
        code = self._code_of(row, side) if side.code_cols else ""
        moved = None
        if code and not _is_code(code) and not label:  # a label printed in the code column
            code, label = "", code
        if not code and label:  # code written inside the label: "2010302 一般行政管理事务"
            m = re.match(r"^\s*(\d{3}(?:\s?\d{2}){0,2})\s+(.+)$", label)
            if m and spec.kind == "coded":
                code, label = re.sub(r"\s", "", m.group(1)), m.group(2).strip()
        if spec.kind == "coded" and code and not label:  # the name slid into an amount column
            texts = [(j, row[j].text.strip()) for j in side.amount_cols if j < len(row)
                     and row[j].text.strip() and not is_amount(row[j])]
            if len(texts) == 1:
                moved, label = texts[0]
                self._note_moved()
        nlabel = _norm(label)
        if spec.kind == "coded":
            if code and _is_code(code):
                return code, label or None, code, src, moved
            if spec.total_row and nlabel == _norm(spec.total_row.label):
                return spec.total_row.key, label, None, src, moved
            for r in spec.rows:  # group totals and other fixed rows of coded tables
                if not r.code and nlabel in {_norm(n) for n in r.names()}:
                    return r.key, label, None, src, moved
            if code and not _is_code(code):
                self.issue(f"{self.g.name}：科目编码「{code}」不是 3、5 或 7 位数字，本行未读取。", src)
            return none
        if side.label_col is None:  # single-row table (三公)
            if any(is_amount(row[j]) for j in side.amount_cols if j < len(row)):
                r = side.rows[0]
                if r.key not in matched:
                    return r.key, None, None, row[0].source if row else None, None
            return none
        line = None
        if side.line_col is not None and side.line_col < len(row):
            t = row[side.line_col].text.strip()
            line = int(t) if t.isdigit() else None
        candidates = [r for r in side.rows if nlabel and nlabel in {_norm(n) for n in r.names()}
                      and r.key not in matched]
        candidates = [r for r in candidates if r.parent is None or r.parent in seen_parent] or [
            r for r in candidates if r.parent is None]
        if not candidates and line is not None and not nlabel:
            candidates = [r for r in side.rows if r.line == line and r.key not in matched]
        if not candidates:
            if nlabel and self._cells(row, side):
                self.issue(f"{self.g.name}：行「{label}」不是{spec.display}的行，已忽略。", src)
            return none
        r = candidates[0]
        seen_parent.add(r.key)
        return r.key, label or r.label, r.code, src, None

    @staticmethod
    def _sangong_item(label: str) -> str | None:
        """三公 items printed as rows: which role suffix a row label stands for."""
        if "合计" in label or "总计" in label:
            return "total"
        if "出国" in label:
            return "abroad"
        if "接待" in label:
            return "reception"
        if ("购置" in label and "运行" in label) or label.endswith("公务用车费"):
            return "car"
        if "运行" in label:
            return "car_running"
        if "购置" in label:
            return "car_purchase"
        return None

    def read_transposed(self, table: Table) -> None:
        """A single-row table printed with its items as rows and 预算/决算 as columns."""
        spec = self.spec
        budget_col = actual_col = label_col = None
        for r, row in enumerate(self.g.rows[:6]):
            for j, c in enumerate(row):
                t = _norm(c.text)
                if "预算" in t and budget_col is None:
                    budget_col = j
                elif "决算" in t and actual_col is None:
                    actual_col = j
                elif t in ("项目", "科目", "项目名称") and label_col is None:
                    label_col = j
            if budget_col is not None or actual_col is not None:
                header = r
                break
        else:
            return
        label_col = 0 if label_col is None else label_col
        cells: dict[str, Cell] = {}
        for row in self.g.rows[header + 1:]:
            if label_col >= len(row):
                continue
            label = _norm(row[label_col].text)
            item = self._sangong_item(label)
            if item is None:
                continue
            for prefix, j in (("budget_", budget_col), ("actual_", actual_col)):
                col = spec.column_by_role(prefix + item) if j is not None else None
                if col is None or j >= len(row) or col.key in cells:  # type: ignore[operator]
                    continue
                got = self._cells(row, _Side(None, None, [], None, {j: col}, []))
                cells.update(got)
        if cells:
            table.add_row(Row(key=spec.rows[0].key, label=spec.rows[0].label, cells=cells,
                              source=next(iter(cells.values())).source))

    def _note_moved(self) -> None:
        if not getattr(self, "_moved_noted", False):
            self._moved_noted = True
            self.issues.append(ReadIssue(
                level="info", table=self.spec.key,
                message=f"{self.g.name}：{self.spec.display}的科目名称出现在金额栏中（疑似识别问题："
                        "转换时单元格错位），已按科目名称读取。"))

    def _spanned_total(self, row: list[GCell], side: _Side) -> dict[str, Cell]:
        """A group total whose label spans the later column blocks: its amount is the last
        amount printed to the right of the label."""
        start = side.label_col if side.label_col is not None else 0
        for j in range(len(row) - 1, start, -1):
            if is_amount(row[j]):
                col = next(iter(side.amount_cols.values()))
                return self._cells(row, _Side(side.key, None, [], None, {j: col}, []))
        return {}

    def _is_formula_line(self, text: str) -> bool:
        """A printed formula under the table: ``27 行 = (1+2+…) 行`` or ``1 栏 = …``."""
        return bool(re.match(r"^\d+\s*[行栏].*=", text))

    def _cells(self, row: list[GCell], side: _Side, skip: int | None = None) -> dict[str, Cell]:
        out: dict[str, Cell] = {}
        for j, col in side.amount_cols.items():
            if j >= len(row) or j == skip:
                continue
            c = row[j]
            raw = c.value if c.value is not None else join_number_spaces(c.text)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                value = parse_amount(raw)
            except ValueError:
                value = _wrapped_number(c.text)
                if value is not None:  # a number wrapped in a narrow column: "2,946.2⏎5"
                    out[col.key] = Cell(value=value, raw=c.text.strip(), source=c.source)
                    continue
                self.issue(f"{self.g.name} 单元格 {c.source.cell or c.source.describe()} 应为金额，"
                           f"实为“{c.text.strip()}”，已按空白处理。", c.source)
                out[col.key] = Cell(value=None, raw=c.text.strip(), source=c.source)
                continue
            if value is None:
                continue
            text = c.text.strip() if isinstance(c.value, str) or c.value is None else None
            out[col.key] = Cell(value=value, raw=text if text and text != str(value) else None,
                                source=c.source)
        return out


WRAPPED_NUMBER_PART = re.compile(r"^[\d,.，．\-]+$")


def _wrapped_number(text: str | None):
    """The amount of a cell whose number a narrow column broke over lines, or ``None``."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    if len(lines) < 2 or not all(WRAPPED_NUMBER_PART.match(ln) for ln in lines):
        return None
    try:
        return parse_amount("".join(lines))
    except ValueError:
        return None


def _clean_note(text: str) -> str:
    return re.sub(r"^(注|说明|备注)\s*\d*\s*[:：.、]?\s*", "", text.strip())


def read_table(grid: Grid, spec: TableSpec, issues: list[ReadIssue]) -> Table:
    return TableReader(grid, spec, issues).read()
