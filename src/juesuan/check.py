"""The checking pipeline, in plain steps: identities → culprits → registered rules → report."""

from __future__ import annotations

from itertools import chain

from juesuan.catalog import Catalog
from juesuan.model import Disclosure
from juesuan.rules import CheckReport, Finding, Location, Severity
from juesuan.rules.context import Context, source_fields
from juesuan.rules.crosstable import cross_identities
from juesuan.rules.culprit import findings_for
from juesuan.rules.identities import evaluate, table_identities
from juesuan.rules.registry import registered
from juesuan.rules.structure import lost_amounts
from juesuan.tables import Profile, load_profile


def check(
    disclosure: Disclosure,
    *,
    profile: Profile | None = None,
    catalog: Catalog | None = None,
    file: str | None = None,
) -> CheckReport:
    """Run every rule on ``disclosure`` and return the report (findings sorted by severity)."""
    profile = profile or load_profile(disclosure.profile)
    catalog = catalog or Catalog(disclosure.year)
    ctx = Context(disclosure, profile, catalog)

    findings: list[Finding] = list(read_issue_findings(disclosure))
    skip = _lost_rows(ctx)
    unread = _unread_columns(disclosure)
    outcomes = []
    for ident in chain(table_identities(ctx), cross_identities(ctx)):
        cells = ident.cells()
        if skip and any((c.table, c.row) in skip or (c.table, None) in skip for c in cells):
            continue
        if unread and any((c.table, c.col) in unread for c in cells):
            continue
        outcome = evaluate(ctx, ident)
        if outcome is not None:
            outcomes.append(outcome)
    findings.extend(findings_for(ctx, outcomes))
    for info in registered():
        findings.extend(info.check(ctx))  # type: ignore[misc]

    order = {t.key: i for i, t in enumerate(profile.tables)}
    findings.sort(key=lambda f: (f.severity.rank, order.get(f.location.table or "", 99), f.rule))
    origin = disclosure.origin
    report = CheckReport(
        file=file or (origin.file if origin else None),
        unit=disclosure.unit, year=disclosure.year, profile=profile.id, kind=disclosure.kind,
        findings=findings,
    )
    return report.recount()


def _unread_columns(d: Disclosure) -> set[tuple[str, str]]:
    issues = d.origin.issues if d.origin else []
    return {(i.table, c) for i in issues if i.table for c in i.columns}


def _lost_rows(ctx: Context) -> set[tuple[str, str | None]]:
    """(table, row) whose amounts were lost — ``(table, None)`` for a whole table."""
    lost: set[tuple[str, str | None]] = set()
    for key, kind in lost_amounts(ctx).items():
        if kind == "all":
            lost.add((key, None))
        else:
            lost |= {(key, r.key) for r in ctx.table(key).rows if r.code}  # type: ignore[union-attr]
    return lost


def read_issue_findings(disclosure: Disclosure):
    if disclosure.origin is None:
        return
    for issue in disclosure.origin.issues:
        yield Finding(
            rule="R.input", family="读取", message=issue.message,
            severity=Severity.ERROR if issue.level == "error" else Severity.INFO,
            location=Location(table=issue.table, **source_fields(issue.source)),
        )
