"""The canonical model of one disclosure (部门决算公开).

Every reader produces a ``Disclosure`` and every writer consumes one.  Its JSON form (``juesuan
export FILE --format json``) is documented by the JSON Schema that ``juesuan schema`` prints, and
JSON → model → JSON is lossless: amounts are ``Decimal`` and travel as strings, and what a
document printed (``raw``) and where (``source``) ride along with each value.

Shape, from the outside in:

* ``Disclosure`` — unit, year, kind, money unit, template profile, and:
  * ``tables`` — the standard tables (and any extra ones), each a list of ``Row`` whose ``cells``
    are keyed by column key (栏次 such as ``C1``).  Row keys are the profile's stable row keys
    (``inc_total``) or, in coded tables, the classification code (``2010302``) and ``total``.
  * ``narrative`` — the sections of the text with their position.
  * ``performance`` — 绩效自评 tables: 部门整体 and projects, with goals and indicators.
  * ``others`` — figures disclosed outside the tables: 三公 details, 机关运行经费, 政府采购,
    国有资产, prior-year figures, 年初预算 per 项.
  * ``texts`` — the officer's free texts keyed by name (used to build the document).
  * ``origin`` — the file it was read from and what the reader could not read.

Every amount is a ``Cell`` (value + raw text + source), wherever it lives, so every finding can
point at the page, sheet!cell or line it came from.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from juesuan.money import parse_amount

FORMAT_ID = "juesuan/disclosure"
FORMAT_VERSION = 1

Level = Literal["类", "款", "项"]
Kind = Literal["决算", "预算"]
MoneyUnit = Literal["万元", "元"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Source(_Model):
    """Where something was found.  Only the fields that apply to the format are set."""

    file: str | None = Field(None, description="file name, when it differs from the disclosure's")
    sheet: str | None = Field(None, description="worksheet name (XLS/XLSX)")
    cell: str | None = Field(None, description="cell address such as C12 (XLS/XLSX)")
    page: int | None = Field(None, description="1-based page number (PDF)")
    bbox: tuple[float, float, float, float] | None = Field(
        None, description="x0, top, x1, bottom in PDF points (PDF)"
    )
    line: int | None = Field(None, description="1-based line number (text, Markdown)")
    paragraph: int | None = Field(None, description="0-based paragraph index (DOCX)")
    table_index: int | None = Field(None, description="0-based table index (DOCX, HTML)")
    path: str | None = Field(None, description="element path (HTML) or JSON pointer")

    def describe(self) -> str:
        """Short Chinese description: ``表2!C7``, ``第6页``, ``第123行``."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet is not None:
            parts.append(f"{self.sheet}!{self.cell}" if self.cell else f"工作表「{self.sheet}」")
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.table_index is not None:
            parts.append(f"第{self.table_index + 1}个表格" + (self.path or ""))
        if self.paragraph is not None:
            parts.append(f"第{self.paragraph + 1}段")
        if self.path and not parts:
            parts.append(self.path)
        return " ".join(parts)


class Cell(_Model):
    """One amount (or count) with what was printed and where.

    In input JSON/YAML a cell may be written as the printed text (``"2,940.05"``), which stands
    for ``{"value": "2940.05", "raw": "2,940.05"}``; output always uses the object form.
    """

    value: Decimal | None = Field(None, description="the amount; absent for an empty cell")
    raw: str | None = Field(None, description="the text as printed, when it differs from value")
    source: Source | None = None
    derived: bool | None = Field(
        None, description="true when juesuan computed it from other cells (a blank total)"
    )

    @model_validator(mode="before")
    @classmethod
    def _compact(cls, data: Any) -> Any:
        if isinstance(data, str):  # printed text such as "2,940.05": keep it as raw
            value = parse_amount(data)
            return {"value": value} if value is None or str(value) == data else {
                "value": value, "raw": data}
        if isinstance(data, (int, Decimal)) and not isinstance(data, bool):
            return {"value": data}
        if isinstance(data, float):
            raise ValueError("金额不能写成浮点数，请写成字符串，例如 \"278.58\"")
        return data


def value_of(cell: Cell | None) -> Decimal | None:
    return cell.value if cell is not None else None


class Row(_Model):
    """One row of a table: a fixed row of the template, a classification code, or a total."""

    key: str = Field(description="row key: profile key (inc_total), code (2010302) or 'total'")
    label: str | None = Field(None, description="label or 科目名称 as printed")
    code: str | None = Field(None, description="classification code (功能/经济分类), if any")
    level: Level | None = Field(None, description="类/款/项 for coded rows")
    cells: dict[str, Cell] = Field(default_factory=dict, description="column key → cell")
    source: Source | None = None

    def value(self, col: str) -> Decimal | None:
        cell = self.cells.get(col)
        return cell.value if cell is not None else None


class Table(_Model):
    """One table as disclosed.  ``key`` is the canonical table key (T1…T9, see the profiles)."""

    key: str = Field(description="canonical key T1…T9, or X-<slug> for a table no profile knows")
    number: int | None = Field(None, description="table number printed in this document")
    title: str | None = Field(None, description="title as printed")
    rows: list[Row] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="notes printed under the table")
    source: Source | None = None

    _index: dict[str, Row] | None = PrivateAttr(default=None)

    def _rows(self) -> dict[str, Row]:
        if self._index is None or len(self._index) != len(self.rows):
            self._index = {r.key: r for r in self.rows}
        return self._index

    def row(self, key: str) -> Row | None:
        return self._rows().get(key)

    def value(self, row: str, col: str) -> Decimal | None:
        r = self.row(row)
        return r.value(col) if r is not None else None

    def cell(self, row: str, col: str) -> Cell | None:
        r = self.row(row)
        return r.cells.get(col) if r is not None else None

    def add_row(self, row: Row) -> Row:
        self.rows.append(row)
        self._index = None
        return row

    def set(self, row: str, col: str, value: Decimal | None, **row_fields: Any) -> Cell:
        """Set a value, creating the row if needed (tests, builders, synthetic data)."""
        r = self.row(row)
        if r is None:
            r = self.add_row(Row(key=row, **row_fields))
        cell = r.cells.get(col)
        if cell is None:
            cell = r.cells[col] = Cell(value=value)
        else:
            cell.value = value
        return cell

    def has_amounts(self) -> bool:
        return any(c.value not in (None, 0) for r in self.rows for c in r.cells.values())


class Anchor(_Model):
    """Where the text of a section from character ``offset`` on was found."""

    offset: int
    source: Source


class Section(_Model):
    """A piece of the narrative (a heading with the text under it)."""

    part: str | None = Field(None, description="部分, e.g. 第三部分")
    number: str | None = Field(None, description="numbering as printed: 五 / （三） / 1")
    title: str
    level: int = Field(1, description="1 = part, 2 = section, 3 = subsection …")
    text: str = ""
    source: Source | None = None
    anchors: list[Anchor] = Field(default_factory=list, description="line positions in `text`")

    def source_at(self, offset: int) -> Source | None:
        """The source of the line holding character ``offset`` of ``text``."""
        found = self.source
        for a in self.anchors:
            if a.offset > offset:
                break
            found = a.source
        return found


class Indicator(_Model):
    """One 绩效指标 row: 一级/二级/三级指标, target, actual, weight and score."""

    level1: str | None = Field(None, description="一级指标: 产出指标/效益指标/满意度指标")
    level2: str | None = Field(None, description="二级指标: 数量指标/质量指标/…")
    name: str = Field(description="三级指标")
    target: str | None = Field(None, description="年初目标值, as written")
    actual: str | None = Field(None, description="实际完成值, as written")
    weight: Cell | None = Field(None, description="分值 (weight)")
    completion: Cell | None = Field(None, description="完成率 in %, when the table gives it")
    score: Cell | None = Field(None, description="得分 as stated")
    source: Source | None = None


class Goal(_Model):
    """A block of an evaluation: 年度目标 n (部门整体), 项目绩效总目标 or 年度绩效指标 (项目)."""

    title: str
    text: str | None = Field(None, description="the goal as written")
    achieved: str | None = Field(None, description="全年实际完成情况, as written")
    weight: Cell | None = Field(None, description="分值")
    score: Cell | None = Field(None, description="得分 as stated for the whole block")
    indicators: list[Indicator] = Field(default_factory=list)
    source: Source | None = None


class Evaluation(_Model):
    """A 绩效自评表: 部门整体 (kind=department) or one project (kind=project)."""

    kind: Literal["department", "project"]
    name: str = Field(description="项目名称, or the unit name for 部门整体")
    unit: str | None = Field(None, description="部门名称 printed on the table")
    budget: Cell | None = Field(None, description="预算数 (A)")
    executed: Cell | None = Field(None, description="执行数 (B)")
    execution_rate: Cell | None = Field(None, description="执行率 (B/A) in %, as stated")
    execution_weight: Cell | None = Field(None, description="分值 of 预算执行情况 (usually 20)")
    execution_score: Cell | None = Field(None, description="得分 of 预算执行情况, as stated")
    goals: list[Goal] = Field(default_factory=list)
    total_score: Cell | None = Field(None, description="自评得分, as stated")
    source: Source | None = None


class SanGongDetail(_Model):
    """Details of 三公 that the text gives beside table 三公 (counts and sub-amounts)."""

    abroad_groups: Cell | None = Field(None, description="因公出国（境）团组数")
    abroad_people: Cell | None = Field(None, description="因公出国（境）人次")
    cars_purchased: Cell | None = Field(None, description="公务用车购置数量（辆）")
    car_stock: Cell | None = Field(None, description="公务用车保有量（辆）")
    reception_batches: Cell | None = Field(None, description="国内公务接待批次")
    reception_people: Cell | None = Field(None, description="国内公务接待人次")
    foreign_reception_batches: Cell | None = Field(None, description="外宾接待批次")
    foreign_reception_people: Cell | None = Field(None, description="外宾接待人次")
    reception_domestic: Cell | None = Field(None, description="国内公务接待支出（万元）")
    reception_foreign: Cell | None = Field(None, description="其中外宾接待支出（万元）")


class Procurement(_Model):
    """政府采购 figures (十一 / 其他重要事项)."""

    total: Cell | None = Field(None, description="政府采购支出总额")
    goods: Cell | None = Field(None, description="货物")
    works: Cell | None = Field(None, description="工程")
    services: Cell | None = Field(None, description="服务")
    sme_contract: Cell | None = Field(None, description="授予中小企业合同金额")
    small_micro_contract: Cell | None = Field(None, description="其中授予小微企业合同金额")
    sme_goods: Cell | None = Field(None, description="货物采购授予中小企业合同金额")
    sme_works: Cell | None = Field(None, description="工程采购授予中小企业合同金额")
    sme_services: Cell | None = Field(None, description="服务采购授予中小企业合同金额")
    reserved_sme_budget: Cell | None = Field(None, description="面向中小企业预留项目预算金额")
    reserved_micro_budget: Cell | None = Field(None, description="面向小微企业预留项目预算金额")
    sme_won_reserved: Cell | None = Field(None, description="预留项目中由中小企业中标金额")
    micro_won_reserved: Cell | None = Field(None, description="预留项目中由小微企业中标金额")
    sme_won_other: Cell | None = Field(None, description="其他项目中由中小企业中标金额")


class Assets(_Model):
    """国有资产占用: vehicles by type and large equipment."""

    vehicles_total: Cell | None = Field(None, description="车辆合计（辆）")
    vehicles: dict[str, Cell] = Field(
        default_factory=dict, description="车辆 by type name (主要领导干部用车…其他用车)"
    )
    equipment_50: Cell | None = Field(None, description="单价50万元（含）以上设备（台/套）")
    equipment_100: Cell | None = Field(None, description="单价100万元（含）以上设备（台/套）")
    note: str | None = None


class PriorYear(_Model):
    """Last year's figures that the explanations compare with."""

    grand_total: Cell | None = Field(None, description="收入支出总计")
    income_total: Cell | None = Field(None, description="本年收入合计")
    expenditure_total: Cell | None = Field(None, description="本年支出合计")
    fiscal_grand_total: Cell | None = Field(None, description="财政拨款收入支出总计")
    gpb_income: Cell | None = Field(None, description="一般公共预算财政拨款收入")
    gpb_expenditure: Cell | None = Field(None, description="一般公共预算财政拨款支出")
    basic: Cell | None = Field(None, description="一般公共预算财政拨款基本支出")
    sangong_total: Cell | None = Field(None, description="三公经费决算合计")
    sangong_abroad: Cell | None = Field(None, description="因公出国（境）费")
    sangong_car: Cell | None = Field(None, description="公务用车购置及运行维护费")
    sangong_car_purchase: Cell | None = Field(None, description="公务用车购置费")
    sangong_car_running: Cell | None = Field(None, description="公务用车运行维护费")
    sangong_reception: Cell | None = Field(None, description="公务接待费")
    running_cost: Cell | None = Field(None, description="机关运行经费")


class BudgetItem(_Model):
    """年初预算 and 决算 of one 项 (五(三) of the explanations)."""

    code: str | None = Field(None, description="功能分类项级科目编码")
    name: str | None = Field(None, description="类/款/项 names as written")
    budget: Cell | None = Field(None, description="年初预算数")
    actual: Cell | None = Field(None, description="支出决算数, as stated beside the budget")
    purpose: str | None = Field(None, description="主要用于…")
    reason: str | None = Field(None, description="决算数大于/小于预算数的主要原因")
    source: Source | None = None


class Others(_Model):
    """Figures disclosed outside the nine tables."""

    initial_budget_total: Cell | None = Field(
        None, description="一般公共预算财政拨款支出年初预算（合计）"
    )
    budget_items: list[BudgetItem] = Field(default_factory=list)
    running_cost: Cell | None = Field(None, description="机关运行经费支出")
    sangong: SanGongDetail = Field(default_factory=SanGongDetail)
    procurement: Procurement = Field(default_factory=Procurement)
    assets: Assets = Field(default_factory=Assets)
    prior_year: PriorYear = Field(default_factory=PriorYear)


class ReadIssue(_Model):
    """Something a reader could not take in; the rest of the document was still read."""

    message: str = Field(description="one Chinese sentence")
    source: Source | None = None
    table: str | None = None
    columns: list[str] = Field(
        default_factory=list, description="columns of `table` that could not be read at all"
    )
    level: Literal["error", "info"] = Field(
        "error", description="error: something was lost; info: worth knowing (an extra table)"
    )


class Origin(_Model):
    """The file a disclosure was read from."""

    file: str | None = None
    format: str | None = Field(None, description="xlsx, xls, pdf, docx, html, txt, json")
    reader: str | None = None
    sha256: str | None = None
    issues: list[ReadIssue] = Field(default_factory=list)


class Disclosure(_Model):
    """One unit's disclosure for one year."""

    format: Literal["juesuan/disclosure"] = FORMAT_ID
    version: int = FORMAT_VERSION
    unit: str = Field(description="单位/部门名称")
    year: int = Field(description="决算年度")
    kind: Kind = "决算"
    money_unit: MoneyUnit = "万元"
    profile: str = Field(description="template profile id, e.g. shanghai-2024")
    unit_type: str | None = Field(None, description="行政单位 / 参照公务员法管理事业单位 / 事业单位")
    region: str | None = None
    published: date | None = Field(None, description="公开日期")
    tables: list[Table] = Field(default_factory=list)
    narrative: list[Section] = Field(default_factory=list)
    performance: list[Evaluation] = Field(default_factory=list)
    others: Others = Field(default_factory=Others)
    texts: dict[str, str] = Field(default_factory=dict, description="officer-supplied texts")
    contents: list[str] = Field(
        default_factory=list, description="tables the document's table of contents lists, as printed"
    )
    origin: Origin | None = None

    def table(self, key: str) -> Table | None:
        for t in self.tables:
            if t.key == key:
                return t
        return None

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent, exclude_none=True)

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> Disclosure:
        return cls.model_validate_json(text)

    @classmethod
    def from_data(cls, data: Any) -> Disclosure:
        return cls.model_validate(data)


def disclosure_schema() -> dict[str, Any]:
    """JSON Schema of the disclosure JSON form."""
    schema = Disclosure.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://juesuan.org/schema/disclosure-1.json"
    return schema
