"""Turn failed identities into findings, naming the likely wrong cell where one exists.

One mistyped amount usually breaks several identities at once: its row formula, its 款 and 类
sums and the same figure in another table.  Reporting each failure separately would show the
same slip five times.  A cell is *the likely culprit* when changing it alone, by one amount δ,
would satisfy every failed identity it appears in without breaking any identity that holds now.
When exactly one cell explains a group of failures, we report that cell once, with the expected
value, and list the identities it explains.  Otherwise each failure is reported where it is
(its left-hand cell), naming the candidates when there are few.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from juesuan.money import fmt
from juesuan.rules.context import CellRef, Context
from juesuan.rules.findings import Finding, Severity
from juesuan.rules.identities import Outcome, describe

MAX_CANDIDATES_NAMED = 3


def _delta_fits(outcomes: list[Outcome], ref: CellRef) -> Decimal | None:
    """The δ by which ``ref`` must change to satisfy every outcome, or None."""
    delta: Decimal | None = None
    for o in sorted(outcomes, key=lambda o: o.status != "fail"):  # failed ones first
        a = o.identity.coefficient(ref)
        if a != 0:
            delta = -o.residual / a
            break
    if delta is None:
        return None
    for o in outcomes:
        a = o.identity.coefficient(ref)
        if abs(o.residual + a * delta) > o.tolerance:
            return None
    return delta


def findings_for(ctx: Context, outcomes: list[Outcome]) -> list[Finding]:
    findings: list[Finding] = []
    hard = [o for o in outcomes if o.status == "fail" and o.identity.relation == "eq"
            and o.identity.severity is Severity.ERROR]
    by_cell: dict[CellRef, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        if o.identity.relation == "eq" and o.identity.severity is Severity.ERROR:
            for ref in set(o.identity.cells()):
                by_cell[ref].append(o)

    explained: dict[int, CellRef] = {}
    candidates: dict[int, list[CellRef]] = defaultdict(list)
    culprits: dict[CellRef, tuple[Decimal, list[Outcome]]] = {}
    for ref in sorted({r for o in hard for r in o.identity.cells()}):
        involved = by_cell[ref]
        if not any(o.status == "fail" for o in involved):
            continue
        delta = _delta_fits(involved, ref)
        if delta is None or delta == 0:
            continue
        failed_here = [o for o in involved if o.status == "fail"]
        for o in failed_here:
            candidates[id(o)].append(ref)
        culprits[ref] = (delta, failed_here)

    # Greedy: the cell explaining the most remaining failures wins, if it is the only one that
    # explains that many; a tie means we cannot tell, and the failures are reported as they are.
    remaining = {id(o) for o in hard}
    while remaining:
        cover = {ref: [o for o in failed if id(o) in remaining]
                 for ref, (_, failed) in culprits.items()}
        best = max((len(v) for v in cover.values()), default=0)
        if best == 0:
            break
        top = [ref for ref, v in cover.items() if len(v) == best]
        if len(top) > 1:
            break
        ref = top[0]
        for o in cover[ref]:
            explained[id(o)] = ref
            remaining.discard(id(o))
        findings.append(_culprit_finding(ctx, ref, culprits[ref][0], cover[ref]))
        del culprits[ref]

    for o in outcomes:
        if o.status == "ok" or id(o) in explained:
            continue
        findings.append(_identity_finding(ctx, o, candidates.get(id(o), [])))
    return findings


def _culprit_finding(ctx: Context, ref: CellRef, delta: Decimal,
                     failed: list[Outcome]) -> Finding:
    found = ctx.value(ref)
    expected = (found or Decimal(0)) + delta
    first = next((o for o in failed if o.identity.lhs == ref), failed[0])
    titles = [describe(ctx, o.identity) for o in failed]
    name = ctx.cell_name(ref, with_table=True)
    if len(failed) > 1:
        msg = (f"{name} 的金额很可能有误：表中为 {fmt(found) or '空'}，应为 {fmt(expected)}"
               f"（相差 {fmt(abs(delta))}）。它一处错，就有 {len(failed)} 个勾稽关系不成立；"
               f"改正它，这些关系全部成立。")
    else:
        msg = (f"{name} 的金额可能有误：表中为 {fmt(found) or '空'}，按“{titles[0]}”应为 "
               f"{fmt(expected)}（相差 {fmt(abs(delta))}）。")
    return Finding(
        rule=first.identity.rule,
        family=first.identity.family,
        severity=Severity.ERROR,
        message=msg,
        location=ctx.locate(ref),
        expected=fmt(expected),
        found=fmt(found),
        difference=fmt(-delta),
        related=[f"{o.identity.rule}：{t}" for o, t in zip(failed, titles, strict=True)],
        cells=[str(ref), *sorted({str(c) for o in failed for c in o.identity.cells()} - {str(ref)})],
    )


def _identity_finding(ctx: Context, o: Outcome, candidates: list[CellRef]) -> Finding:
    ident = o.identity
    title = ident.title or describe(ctx, ident)
    expr = describe(ctx, ident)
    where = ctx.cell_name(ident.lhs, with_table=True)
    lhs = fmt(o.lhs) or "空"
    if ident.relation == "ge":
        severity = Severity.WARNING if o.status == "fail" else Severity.INFO
        msg = (f"{where} 为 {lhs}，小于 {fmt(o.rhs)}（{expr}），差 {fmt(-o.residual)}。"
               "同一笔钱在前一张表中应当不少于后一张表。")
        expected = fmt(o.rhs)
    elif o.status == "rounding":
        severity = Severity.INFO
        n = int(o.tolerance / Decimal("0.01"))
        msg = (f"{where} 为 {lhs}，按“{expr}”计算为 {fmt(o.rhs)}，相差 {fmt(abs(o.residual))}，"
               f"在 {n} 个分项的尾差范围（±{fmt(o.tolerance)}）内，可能是金额单位换算的尾数误差。")
        expected = fmt(o.rhs)
    else:
        severity = ident.severity
        msg = (f"{where} 为 {lhs}，但按“{expr}”应为 {fmt(o.rhs)}，相差 {fmt(abs(o.residual))}"
               f"，超出尾差范围（±{fmt(o.tolerance)}）。")
        if ident.title:
            msg = f"{title}不成立：{msg}"
        named = [c for c in candidates if c != ident.lhs][:MAX_CANDIDATES_NAMED]
        if 0 < len(candidates) <= MAX_CANDIDATES_NAMED + 1 and named:
            msg += "出错的可能是" + "、".join(ctx.cell_name(c, with_table=True)
                                             for c in candidates) + "之一。"
        expected = fmt(o.rhs)
    return Finding(
        rule=ident.rule,
        family=ident.family,
        severity=severity,
        message=msg,
        location=ctx.locate(ident.lhs),
        expected=expected,
        found=fmt(o.lhs),
        difference=fmt(o.residual),
        cells=[str(c) for c in ident.cells()],
    )
