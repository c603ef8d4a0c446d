"""The PDF: the print form of the HTML, laid out by WeasyPrint with embedded CJK fonts.

Headers of long tables repeat on every page (``thead``), rows are never split, wide tables get a
landscape page, the contents list carries page numbers.  WeasyPrint subsets and embeds the
TrueType fonts ``build.fonts`` finds.
"""

from __future__ import annotations

import logging
from pathlib import Path

from juesuan.build.fonts import cjk_font, missing_fonts_message
from juesuan.errors import JuesuanError
from juesuan.writers.html import render_html


def write_pdf(pub, path: Path) -> Path:
    if cjk_font("serif") is None and cjk_font("sans") is None:
        raise JuesuanError(missing_fonts_message())
    try:
        from weasyprint import HTML
    except OSError as exc:  # Pango missing: WeasyPrint cannot load its libraries
        raise JuesuanError("无法生成 PDF：缺少 Pango 排版库（Debian 软件包 libpango-1.0-0），"
                           "请运行 make setup 或由管理员安装。") from exc
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(pub, "print")
    HTML(string=html, base_url=str(path.parent)).write_pdf(
        str(path), presentational_hints=False, optimize_images=False,
        pdf_variant=None, metadata=True)
    return path
