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
from juesuan.rules.structure import tables_without_amounts
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
    outcomes = []
    for ident in chain(table_identities(ctx), cross_identities(ctx)):
        if skip and any((c.table, c.row) in skip for c in ident.cells()):
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


def _lost_rows(ctx: Context) -> set[tuple[str, str]]:
    """(table, row) of rows whose amounts were lost; see ``tables_without_amounts``."""
    lost = set()
    for key in tables_without_amounts(ctx):
        lost |= {(key, r.key) for r in ctx.table(key).rows if r.code}  # type: ignore[union-attr]
    return lost


def read_issue_findings(disclosure: Disclosure):
    if disclosure.origin is None:
        return
    for issue in disclosure.origin.issues:
        yield Finding(
            rule="R.input", family="读取", severity=Severity.ERROR, message=issue.message,
            location=Location(table=issue.table, **source_fields(issue.source)),
        )
