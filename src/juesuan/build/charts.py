"""The four charts of the 武汉-style explanations, drawn with matplotlib.

图1 收入支出决算总计变动, 图2 收入决算结构, 图3 支出决算结构, 图4 财政拨款收入支出决算总计变动.
Each chart is returned as PNG (for DOCX) and SVG with text as outlines (for HTML and PDF: crisp,
and no font needed by the reader).  Labels are set in the CJK font ``fonts.cjk_font`` finds.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from juesuan.build.figures import Figures, Part
from juesuan.build.fonts import cjk_font

PALETTE = ("#2f5597", "#c55a11", "#548235", "#7f6000", "#7030a0", "#1f7a8c", "#a5a5a5")


@dataclass
class Chart:
    number: int
    title: str
    alt: str  # the figures in words, for screen readers and text extraction
    png: bytes
    svg: str  # the <svg> element, text drawn as outlines


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font = cjk_font("sans")
    if font is not None:
        font_manager.fontManager.addfont(str(font.path))
        plt.rcParams["font.family"] = [font.family, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.fonttype"] = "path"
    return plt


def _fmt(v: Decimal) -> str:
    return f"{v:,.2f}"


def _render(plt, fig, number: int, title: str, alt: str) -> Chart:
    png, svg = io.BytesIO(), io.StringIO()
    fig.savefig(png, format="png", dpi=160, bbox_inches="tight")
    fig.savefig(svg, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = svg.getvalue()
    # without matplotlib's XML prologue, ready to be inlined in HTML
    return Chart(number, title, alt, png.getvalue(), text[text.find("<svg"):])


def _bars(plt, number: int, title: str, year: int, labels: list[str], current: list[Decimal],
          prior: list[Decimal | None]) -> Chart:
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    xs = range(len(labels))
    have_prior = any(p is not None for p in prior)
    width = 0.36 if have_prior else 0.5
    series = [(f"{year}年度", current, PALETTE[0])]
    if have_prior:
        series.insert(0, (f"{year - 1}年度", [p or Decimal(0) for p in prior], PALETTE[6]))
    for k, (name, values, color) in enumerate(series):
        offset = (k - (len(series) - 1) / 2) * width
        bars = ax.bar([x + offset for x in xs], [float(v) for v in values], width, label=name,
                      color=color)
        ax.bar_label(bars, labels=[_fmt(v) for v in values], fontsize=8, padding=2)
    ax.set_xticks(list(xs), labels)
    ax.set_ylabel("万元")
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.18)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    alt = "；".join(
        f"{label}{year}年度{_fmt(c)}万元" + (f"，{year - 1}年度{_fmt(p)}万元" if p is not None else "")
        for label, c, p in zip(labels, current, prior, strict=True))
    return _render(plt, fig, number, title, alt + "。")


def _pie(plt, number: int, title: str, parts: list[Part]) -> Chart:
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    parts = [p for p in parts if p.amount > 0]
    if not parts:
        ax.text(0.5, 0.5, "无数据", ha="center", va="center")
        ax.axis("off")
        return _render(plt, fig, number, title, "无数据。")
    wedges, _ = ax.pie([float(p.amount) for p in parts], colors=PALETTE[: len(parts)],
                       startangle=90, counterclock=False,
                       wedgeprops={"width": 0.45, "edgecolor": "white"})
    ax.legend(wedges, [f"{p.label} {_fmt(p.amount)}万元（{p.share}%）" for p in parts],
              loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
    ax.set_aspect("equal")
    alt = "；".join(f"{p.label}{_fmt(p.amount)}万元，占{p.share}%" for p in parts)
    return _render(plt, fig, number, title, alt + "。")


def charts(f: Figures) -> dict[int, Chart]:
    plt = _pyplot()
    v, c = f.values, f.changes
    total = c["grand_total"]
    fiscal = c["fiscal_grand_total"]
    return {
        1: _bars(plt, 1, "收入支出决算总计变动情况", f.year, ["收入总计", "支出总计"],
                 [total.current, total.current], [total.prior, total.prior]),
        2: _pie(plt, 2, "收入决算结构", f.lists["income"]),
        3: _pie(plt, 3, "支出决算结构", f.lists["expenditure"]),
        4: _bars(plt, 4, "财政拨款收入支出决算总计变动情况", f.year,
                 ["财政拨款收入总计", "财政拨款支出总计"],
                 [fiscal.current, v["fiscal_grand_total"]], [fiscal.prior, fiscal.prior]),
    }
