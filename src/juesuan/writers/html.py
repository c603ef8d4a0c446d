"""The disclosure as one self-contained HTML file (screen and phone), and the HTML that
WeasyPrint turns into the PDF (``medium="print"``).

Charts are inline SVG, styles inline: the file can be mailed or put on a website as is.  Text from
the workbook is escaped (Jinja2 autoescape); 【请填写…】 placeholders are highlighted.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from juesuan import __version__
from juesuan.build.fonts import cjk_font
from juesuan.build.spantable import evaluation_caption, from_evaluation, from_grid

TEMPLATES = Path(__file__).with_name("templates")
PLACEHOLDER = re.compile(r"【请填写[^】]*】")


def _placeholders(text: str) -> Markup:
    escaped = str(escape(text))
    return Markup(PLACEHOLDER.sub(lambda m: f'<mark class="todo">{m.group(0)}</mark>', escaped))


@cache
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["j2", "html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["placeholders"] = _placeholders
    return env


def _ids(blocks) -> tuple[list[str | None], list[dict]]:
    ids: list[str | None] = []
    headings = []
    n = 0
    for b in blocks:
        if b.kind == "heading":
            n += 1
            ids.append(f"s{n}")
            if b.level <= 2:
                headings.append({"id": f"s{n}", "text": b.text, "level": b.level})
        else:
            ids.append(None)
    return ids, headings


def css(medium: str) -> str:
    """Screen styles plus print rules: as is for WeasyPrint, inside ``@media print`` for browsers."""
    base = (TEMPLATES / "disclosure.css").read_text(encoding="utf-8")
    printing = (TEMPLATES / "print.css").read_text(encoding="utf-8")
    if medium == "print":
        serif, sans = cjk_font("serif"), cjk_font("sans")
        serif_family = serif.family if serif else "serif"
        sans_family = sans.family if sans else "sans-serif"
        fonts = (f':root {{ --serif: "{serif_family}"; --sans: "{sans_family}"; }}\n'
                 f'@page {{ @bottom-center {{ font-family: "{serif_family}"; }} }}\n')
        return fonts + base + printing
    screen_fonts = ':root { --serif: "Songti SC"; --sans: "PingFang SC"; }\n'
    return screen_fonts + base + "@media print {\n" + printing + "}\n"


def render_html(pub, medium: str = "screen") -> str:
    ids, headings = _ids(pub.blocks)
    used = {b.arg for b in pub.blocks if b.kind == "table"}
    tables = {k: from_grid(pub.grid(k), k) for k in used}
    charts = pub.charts if any(b.kind == "chart" for b in pub.blocks) else {}
    evaluations = {i: from_evaluation(e) for i, e in enumerate(pub.figures.evaluations)}
    captions = {i: evaluation_caption(e, pub.disclosure.unit)
                for i, e in enumerate(pub.figures.evaluations)}
    return _env().get_template("disclosure.html.j2").render(
        pub=pub, ids=ids, headings=headings, tables=tables, charts=charts, evaluations=evaluations,
        evaluation_captions=captions,
        css=Markup(css(medium)), medium=medium, version=__version__)


def write_html(pub, path: Path) -> Path:
    path.write_text(render_html(pub, "screen"), encoding="utf-8")
    return path
