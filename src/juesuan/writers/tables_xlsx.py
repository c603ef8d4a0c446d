"""The nine tables as a workbook, in the official layout, numbers as numbers — the form statistics
offices and researchers ask for.  Same layout code as the input workbook (``writers.workbook``),
without the input aids; the notes are the ones printed under each table in the document."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from juesuan.writers.workbook import write_table_sheet


def write_tables_xlsx(pub, path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for spec in pub.profile.tables:
        write_table_sheet(wb, spec, pub.disclosure, notes=pub.table_notes(spec.key))
    wb.properties.title = pub.title
    wb.properties.creator = "juesuan"
    wb.save(path)
    return path
