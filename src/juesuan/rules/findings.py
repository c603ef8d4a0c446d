"""Findings and the check report: one shape for the terminal, JSON, CSV, XLSX and the web."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from juesuan.money import fmt


class Severity(StrEnum):
    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"

    @property
    def rank(self) -> int:
        return {"错误": 0, "警告": 1, "提示": 2}[self.value]


class Location(BaseModel):
    """Where a finding points: table/row/column in words, and the source in the file."""

    model_config = ConfigDict(extra="forbid")

    table: str | None = Field(None, description="canonical table key (T1…T9)")
    table_name: str | None = Field(None, description="表7《财政拨款“三公”经费支出决算表》")
    row: str | None = Field(None, description="row key or code")
    row_label: str | None = None
    column: str | None = Field(None, description="column key (栏次)")
    column_label: str | None = None
    section: str | None = Field(None, description="part of the document outside the tables")
    source: str | None = Field(None, description="sheet!cell, page or line, in words")
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = Field(
        None, description="PDF: the region on the page (x0, top, x1, bottom, in points)")
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None

    def describe(self) -> str:
        parts = []
        if self.table_name:
            parts.append(self.table_name)
        elif self.section:
            parts.append(self.section)
        if self.row_label:
            parts.append(f"「{self.row_label}」")
        if self.column_label:
            parts.append(self.column_label)
        text = " ".join(parts)
        if self.source:
            text = f"{text}（{self.source}）" if text else self.source
        return text


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str = Field(description="stable rule id, e.g. T1.R27, X.T5-T6.basic")
    family: str = Field(description="rule family in Chinese: 表内公式/层级/表间/科目/…")
    severity: Severity
    message: str = Field(description="one or two Chinese sentences")
    location: Location = Field(default_factory=Location)
    expected: str | None = None
    found: str | None = None
    difference: str | None = None
    related: list[str] = Field(default_factory=list, description="other rules explained by this one")
    cells: list[str] = Field(
        default_factory=list, description="cells involved, as table:row:column (culprit first)"
    )
    quote: str | None = Field(None, description="the sentence quoted from the document")
    reading: bool = Field(False, description="likely a reading (extraction) problem, 疑似识别问题")


FAMILIES = {
    "表内公式": "table formulas printed under each table",
    "层级": "类 = Σ款 = Σ项, 合计 = Σ类",
    "表间": "the same money in two tables",
    "科目": "classification codes and names",
    "完整性": "tables present, empty tables carry their note",
    "绩效": "绩效自评 scores",
    "其他事项": "三公, 政府采购, 年初预算, 机关运行经费",
    "读取": "what could not be read",
    "文字": "figures and wording in the explanations",
}


class Counts(BaseModel):
    错误: int = 0
    警告: int = 0
    提示: int = 0


class CheckReport(BaseModel):
    """The result of ``juesuan check`` on one document."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["juesuan/check-report"] = "juesuan/check-report"
    version: int = 1
    file: str | None = None
    unit: str | None = None
    year: int | None = None
    profile: str | None = None
    kind: str | None = None
    checked_at: datetime = Field(default_factory=lambda: datetime.now().replace(microsecond=0))
    counts: Counts = Field(default_factory=Counts)
    findings: list[Finding] = Field(default_factory=list)

    def recount(self) -> CheckReport:
        c = Counts()
        for f in self.findings:
            setattr(c, f.severity.value, getattr(c, f.severity.value) + 1)
        self.counts = c
        return self

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def by_rule(self, prefix: str) -> list[Finding]:
        return [f for f in self.findings if f.rule.startswith(prefix)]


def money_text(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def report_schema() -> dict[str, Any]:
    schema = CheckReport.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
