"""Checks as small named rules, grouped by family.

* identities (``identities.py``, ``crosstable.py``): table formulas, 类/款/项 hierarchy and
  cross-table relations, evaluated together so that ``culprit.py`` can name the wrong cell;
* registered rules (``@rule``): completeness and classification (``structure.py``), 绩效自评
  (``performance.py``), other disclosures (``others.py``).

``juesuan.check.check()`` runs them all; ``registry.catalogue()`` lists them.
"""

from juesuan.rules import narrative, others, performance, structure  # noqa: F401 (registers rules)
from juesuan.rules.findings import CheckReport, Finding, Location, Severity

__all__ = ["CheckReport", "Finding", "Location", "Severity"]
