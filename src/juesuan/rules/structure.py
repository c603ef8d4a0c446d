"""Completeness (完整性) and classification (科目) rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

from juesuan.catalog import CONFIDENCE_LABEL, level_of, norm_name, parent_of
from juesuan.rules.context import Context
from juesuan.rules.findings import Finding, Location, Severity
from juesuan.rules.registry import rule


# ------------------------------------------------------------------------------ 完整性
@rule("S.table_missing", "完整性", Severity.ERROR, "模板规定的每张表都应公开，没有数据也要保留表格")
def table_missing(ctx: Context) -> Iterator[Finding]:
    origin = ctx.disclosure.origin
    explained = {i.table for i in origin.issues} if origin else set()
    for spec in ctx.profile.tables:
        if ctx.table(spec.key) is None and spec.key not in explained:
            yield Finding(
                rule="S.table_missing", family="完整性", severity=Severity.ERROR,
                message=(f"缺少{spec.display}。按“{ctx.profile.name}”应公开这张表；没有数据时"
                         "也应保留表格，并在表下注明“本单位无……”。"),
                location=Location(table=spec.key, table_name=spec.display),
            )


@rule("S.empty_note", "完整性", Severity.WARNING, "没有数据的政府性基金、国有资本经营、三公表应注明“无”")
def empty_note(ctx: Context) -> Iterator[Finding]:
    for spec in ctx.profile.tables:
        table = ctx.table(spec.key)
        if table is None or not spec.empty_note or table.has_amounts():
            continue
        notes = " ".join(table.notes)
        if re.search(spec.empty_note, notes):
            continue
        yield Finding(
            rule="S.empty_note", family="完整性", severity=Severity.WARNING,
            message=(f"{ctx.table_name(spec.key)}没有数据，但表下没有“本单位无……”之类的说明；"
                     "空表应当注明没有数据的原因。"),
            location=ctx.locate_table(spec.key),
        )


#: tables that have amounts in every disclosure of a unit that spent anything
ALWAYS_FILLED = ("T1", "T2", "T3", "T4", "T5", "T6")


def lost_amounts(ctx: Context) -> dict[str, str]:
    """Tables whose amounts are missing: ``rows`` (科目 rows empty, 合计 kept — content lost in
    conversion) or ``all`` (no amount at all while the other main tables have some).

    Identities through those cells would only repeat that one fact, so the pipeline skips them
    and ``S.amounts_missing`` reports it once per table.
    """
    lost: dict[str, str] = {}
    filled = [k for k in ALWAYS_FILLED if ctx.table(k) is not None and ctx.table(k).has_amounts()]
    for spec in ctx.profile.tables:
        table = ctx.table(spec.key)
        if table is None:
            continue
        if spec.key in ALWAYS_FILLED and filled and not table.has_amounts():
            lost[spec.key] = "all"
            continue
        if spec.kind != "coded" or not spec.total_key:
            continue
        coded = [r for r in table.rows if r.code]
        if not coded or any(c.value not in (None, 0) for r in coded for c in r.cells.values()):
            continue
        total = table.row(spec.total_key)
        if total is not None and any(c.value for c in total.cells.values()):
            lost[spec.key] = "rows"
    return lost


@rule("S.amounts_missing", "完整性", Severity.ERROR, "表格没有金额，或列出了科目却没有金额（内容丢失）")
def amounts_missing(ctx: Context) -> Iterator[Finding]:
    for key, kind in lost_amounts(ctx).items():
        if kind == "all":
            msg = (f"{ctx.table_name(key)}没有任何金额（未填写，或在转换中丢失），而其他决算表有数。"
                   "涉及这张表的勾稽关系无法核对，已略过。")
        else:
            coded = [r for r in ctx.table(key).rows if r.code]  # type: ignore[union-attr]
            msg = (f"{ctx.table_name(key)}列出了 {len(coded)} 个科目行，但这些行全部没有金额，"
                   "只有合计行有数：表格内容缺失（转换或排版时丢失）。涉及这些行的勾稽关系无法核对，"
                   "已略过。")
        yield Finding(rule="S.amounts_missing", family="完整性", severity=Severity.ERROR,
                      message=msg, location=ctx.locate_table(key))


# ------------------------------------------------------------------------------ 科目
def _coded_rows(ctx: Context):
    for spec in ctx.profile.tables:
        table = ctx.table(spec.key)
        if table is None or spec.kind != "coded":
            continue
        kind = "function" if spec.classification == "function" else "economic"
        for r in table.rows:
            if r.code:
                yield spec, table, kind, r


def _row_location(ctx: Context, table_key: str, row) -> Location:
    return ctx.locate_row(table_key, row.key)


@rule("C.level", "科目", Severity.ERROR,
      "科目编码位数应与级次相符（功能分类 3/5/7 位，经济分类 3/5 位）")
def code_level(ctx: Context) -> Iterator[Finding]:
    for spec, table, kind, r in _coded_rows(ctx):
        if not r.code.isdigit() or level_of(r.code, kind) is None:
            rightly = "功能分类应为 3、5 或 7 位" if kind == "function" else "经济分类应为 3 或 5 位"
            yield Finding(
                rule="C.level", family="科目", severity=Severity.ERROR,
                message=f"{ctx.table_name(spec.key)}中的科目编码「{r.code}」位数不对，{rightly}。",
                location=_row_location(ctx, table.key, r),
            )


@rule("C.parent", "科目", Severity.WARNING, "每个款、项的上级科目应在同一张表中列出")
def code_parent(ctx: Context) -> Iterator[Finding]:
    for spec, table, kind, r in _coded_rows(ctx):
        p = parent_of(r.code) if level_of(r.code, kind) else None
        if p and table.row(p) is None and not any(x.code == p for x in table.rows):
            yield Finding(
                rule="C.parent", family="科目", severity=Severity.WARNING,
                message=(f"{ctx.table_name(spec.key)}列出了「{r.code} {r.label or ''}」，但没有列出"
                         f"它的上级科目 {p}，无法核对层级合计。"),
                location=_row_location(ctx, table.key, r),
            )


_NAME_SEVERITY = {"official": Severity.ERROR, "attested": Severity.WARNING,
                  "unverified": Severity.INFO}


@rule("C.name", "科目", Severity.WARNING, "科目名称应与编码相符（按该年度的科目表）")
def code_name(ctx: Context) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    for spec, table, _kind, r in _coded_rows(ctx):
        if not r.label or (r.code, norm_name(r.label)) in seen:
            continue
        seen.add((r.code, norm_name(r.label)))
        if ctx.catalog.name_matches(r.code, r.label) is not False:
            continue
        entry = ctx.catalog.lookup(r.code)
        names = "」或「".join(ctx.catalog.accepted_names(r.code))
        yield Finding(
            rule="C.name", family="科目", severity=_NAME_SEVERITY.get(entry.confidence, Severity.WARNING),
            message=(f"科目 {r.code} 的名称应为「{names}」，{ctx.table_name(spec.key)}中为"
                     f"「{r.label}」（依据：{CONFIDENCE_LABEL[entry.confidence]}）。"),
            location=_row_location(ctx, table.key, r),
            expected=ctx.catalog.accepted_names(r.code)[0], found=r.label,
        )


@rule("C.unknown", "科目", Severity.INFO, "科目编码在已知科目表中找不到：未能核对")
def code_unknown(ctx: Context) -> Iterator[Finding]:
    seen: set[str] = set()
    for _spec, table, _kind, r in _coded_rows(ctx):
        if r.code in seen or not r.code.isdigit() or ctx.catalog.lookup(r.code) is not None:
            continue
        seen.add(r.code)
        yield Finding(
            rule="C.unknown", family="科目", severity=Severity.INFO,
            message=(f"未能核对科目「{r.code} {r.label or ''}」：随附和已导入的科目表中都没有这个"
                     f"编码（不等于编码有误）。可以用 juesuan catalog import 导入 {ctx.disclosure.year} "
                     "年的官方科目表后再核对。"),
            location=_row_location(ctx, table.key, r),
        )


@rule("C.inconsistent", "科目", Severity.WARNING, "同一科目编码在各表中的名称应一致")
def code_inconsistent(ctx: Context) -> Iterator[Finding]:
    first: dict[str, tuple[str, str]] = {}
    reported: set[tuple[str, str]] = set()
    for spec, table, _kind, r in _coded_rows(ctx):
        if not r.label:
            continue
        name = norm_name(r.label)
        if r.code not in first:
            first[r.code] = (name, spec.key)
            continue
        name0, where0 = first[r.code]
        if name != name0 and (r.code, name) not in reported:
            reported.add((r.code, name))
            yield Finding(
                rule="C.inconsistent", family="科目", severity=Severity.WARNING,
                message=(f"科目 {r.code} 在{ctx.table_name(where0)}中叫「{name0}」，在"
                         f"{ctx.table_name(spec.key)}中叫「{r.label}」，同一编码的名称应当一致。"),
                location=_row_location(ctx, table.key, r),
                expected=name0, found=r.label,
            )
