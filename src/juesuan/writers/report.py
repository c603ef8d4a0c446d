"""Check reports for people (terminal) and machines (JSON, CSV, XLSX) — one report shape."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from juesuan.rules import CheckReport, Finding, Severity

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
COLUMNS = [
    ("severity", "级别"), ("rule", "规则"), ("family", "类别"), ("where", "位置"),
    ("source", "出处"), ("message", "说明"), ("expected", "应为"), ("found", "实为"),
    ("difference", "差额"), ("related", "相关规则"),
]


def _flat(f: Finding) -> dict[str, str]:
    loc = f.location
    where = " ".join(x for x in (loc.table_name or loc.section, loc.row_label and f"「{loc.row_label}」",
                                 loc.column_label) if x)
    return {
        "severity": f.severity.value, "rule": f.rule, "family": f.family, "where": where,
        "source": loc.source or "", "message": f.message, "expected": f.expected or "",
        "found": f.found or "", "difference": f.difference or "",
        "related": "；".join(f.related),
    }


def summary_line(report: CheckReport) -> str:
    c = report.counts
    verdict = "有错误，需要改正" if c.错误 else ("未发现错误" if not c.警告 else "未发现错误，有警告需要核实")
    return f"共 {len(report.findings)} 条：错误 {c.错误}，警告 {c.警告}，提示 {c.提示}。{verdict}。"


def print_report(report: CheckReport, console: Console | None = None, *,
                 show_info: bool = True) -> None:
    console = console or Console()
    head = Text()
    head.append(f"{report.unit or '（未知单位）'}", style="bold")
    head.append(f"  {report.year or ''} 年度{report.kind or '决算'}\n")
    head.append(f"模板：{report.profile}    文件：{report.file or '—'}")
    console.print(Panel(head, title="juesuan 审核报告", expand=False))
    for sev in Severity:
        items = [f for f in report.findings if f.severity is sev]
        if not items or (sev is Severity.INFO and not show_info):
            continue
        console.print(Text(f"\n{sev.value}（{len(items)} 条）", style=STYLE[sev]))
        groups: dict[str, list[Finding]] = {}
        for f in items:
            key = f.location.table_name or f.location.section or f.family
            groups.setdefault(key, []).append(f)
        for group, fs in groups.items():
            console.print(Text(f"  ▸ {group}", style="bold"))
            for f in fs:
                line = Text("    ")
                line.append(f"[{f.rule}] ", style="dim")
                line.append(f.message)
                if f.location.source:
                    line.append(f"  〔{f.location.source}〕", style="dim")
                console.print(line)
                for r in f.related[1:] if len(f.related) > 1 else []:
                    console.print(Text(f"        · {r}", style="dim"))
    if not report.findings:
        console.print(Text("\n没有发现问题。", style="green"))
    style = "bold red" if report.counts.错误 else ("yellow" if report.counts.警告 else "green")
    console.print(Text("\n" + summary_line(report), style=style))


def print_summary(reports: list[CheckReport], failed: list[tuple[str, str]],
                  console: Console | None = None) -> None:
    """One line per file: unit, year, counts — what a reviewer scans first."""
    console = console or Console()
    t = RichTable(title=f"审核汇总（{len(reports) + len(failed)} 个文件）")
    for col in ("文件", "单位", "年度", "模板", "错误", "警告", "提示"):
        t.add_column(col, justify="right" if col in ("错误", "警告", "提示", "年度") else "left")
    for r in reports:
        c = r.counts
        t.add_row(r.file or "", r.unit or "", str(r.year or ""), r.profile or "",
                  f"[bold red]{c.错误}[/]" if c.错误 else "0", str(c.警告), str(c.提示))
    for name, why in failed:
        t.add_row(name, f"[red]未能读取：{why}[/]", "", "", "", "", "")
    console.print(t)
    bad = sum(1 for r in reports if r.counts.错误)
    console.print(f"{bad} 个文件有错误，{len(failed)} 个文件未能读取。"
                  "用 --detail 查看每个文件的全部结果，或 -f xlsx -o 审核结果.xlsx 导出。")


def to_json(report: CheckReport, indent: int = 2) -> str:
    return report.model_dump_json(indent=indent, exclude_none=True)


def to_csv(reports: Iterable[CheckReport]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["文件", "单位", "年度", *(label for _, label in COLUMNS)])
    for report in reports:
        for f in report.findings:
            row = _flat(f)
            w.writerow([report.file or "", report.unit or "", report.year or "",
                        *(row[k] for k, _ in COLUMNS)])
    return buf.getvalue()


def write_xlsx(reports: list[CheckReport], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "审核结果"
    headers = ["文件", "单位", "年度", *(label for _, label in COLUMNS)]
    ws.append(headers)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="E8EEF4")
    fills = {"错误": "FDE2E1", "警告": "FFF4CE", "提示": "E6F4FA"}
    for report in reports:
        for f in report.findings:
            row = _flat(f)
            ws.append([report.file or "", report.unit or "", report.year or "",
                       *(row[k] for k, _ in COLUMNS)])
            ws.cell(row=ws.max_row, column=4).fill = PatternFill("solid", fgColor=fills[f.severity.value])
    for col, width in zip("ABCDEFGHIJKLM", (22, 24, 8, 6, 18, 10, 36, 16, 70, 12, 12, 10, 50),
                          strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    summary = wb.create_sheet("汇总")
    summary.append(["文件", "单位", "年度", "错误", "警告", "提示"])
    for report in reports:
        summary.append([report.file, report.unit, report.year, report.counts.错误,
                        report.counts.警告, report.counts.提示])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def reports_json(reports: list[CheckReport]) -> str:
    if len(reports) == 1:
        return to_json(reports[0])
    return json.dumps([json.loads(to_json(r)) for r in reports], ensure_ascii=False, indent=2)
