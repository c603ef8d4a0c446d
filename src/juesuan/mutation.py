"""Single-cell mutations of a clean disclosure, and whether the checker finds them.

Used by the hypothesis test and by ``bench/check_bench.py`` (detection rate per table).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from juesuan.check import check
from juesuan.model import Disclosure
from juesuan.rules import CheckReport, Severity
from juesuan.tables import load_profile


@dataclass(frozen=True)
class Site:
    table: str
    row: str
    col: str

    @property
    def ref(self) -> str:
        return f"{self.table}:{self.row}:{self.col}"


def sites(d: Disclosure) -> list[Site]:
    """Every amount cell of every table row the disclosure has (empty ones included)."""
    p = load_profile(d.profile)
    out = []
    for t in d.tables:
        spec = p.table(t.key)
        if spec is None:
            continue
        for r in t.rows:
            for c in spec.columns_for_row(r.key):
                out.append(Site(t.key, r.key, c.key))
    return out


def mutate(d: Disclosure, site: Site, delta: Decimal) -> Disclosure:
    m = d.model_copy(deep=True)
    t = m.table(site.table)
    t.set(site.row, site.col, (t.value(site.row, site.col) or Decimal(0)) + delta)  # type: ignore[union-attr]
    return m


def located(report: CheckReport, site: Site, *, errors_only: bool = False) -> bool:
    """A finding at the cell, or at an identity that contains it."""
    for f in report.findings:
        if errors_only and f.severity is not Severity.ERROR:
            continue
        loc = f.location
        if (loc.table, loc.row, loc.column) == (site.table, site.row, site.col):
            return True
        if site.ref in f.cells:
            return True
    return False


def detect(d: Disclosure, site: Site, delta: Decimal) -> tuple[bool, bool]:
    """(found at all, found as an error) for one mutation."""
    report = check(mutate(d, site, delta))
    return located(report, site), located(report, site, errors_only=True)
