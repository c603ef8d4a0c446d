"""Table specifications: one declarative description per standard table, grouped in profiles.

See ``spec.py`` for the data classes, ``library.yaml`` for the definitions and ``profiles/`` for
the publication templates.
"""

from juesuan.tables.formula import Formula, Term, render_formula
from juesuan.tables.spec import (
    ColumnSpec,
    Profile,
    RowSpec,
    TableSpec,
    list_profiles,
    load_profile,
    norm_label,
)

__all__ = [
    "ColumnSpec",
    "Formula",
    "Profile",
    "RowSpec",
    "TableSpec",
    "Term",
    "list_profiles",
    "load_profile",
    "norm_label",
    "render_formula",
]
