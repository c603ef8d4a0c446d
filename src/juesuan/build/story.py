"""The document as an ordered list of blocks, written by a Jinja2 template per profile.

Templates (``templates/<profile>.j2``) hold the official sentence patterns; Python only computes
(``figures.py``).  A template writes one block per line:

    # 第一部分 …          a part heading           ## 一、…   a section   ### （一）…  a subsection
    ::table T5           an official table          ::chart 1            a chart
    ::glossary           名词解释 entries            ::evaluations        绩效自评表 attachments
    ::cover / ::contents / ::pagebreak
    any other line       a paragraph
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from juesuan.build.figures import Figures
from juesuan.money import round_money

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Block:
    kind: str  # heading, paragraph, table, chart, glossary, evaluations, cover, contents, pagebreak
    text: str = ""
    level: int = 0
    arg: str = ""


def money(v: Decimal | int | None) -> str:
    """Amounts and rates in sentences: 2 decimals, half-up, no grouping (``2995.39``)."""
    return "0.00" if v is None else f"{round_money(Decimal(v)):f}"


pct = money


def count(v: Decimal | int | None) -> str:
    return "0" if v is None else f"{int(v)}"


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), trim_blocks=True, lstrip_blocks=True,
                      undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters.update(money=money, pct=pct, count=count, cn=cn)
    env.globals["paragraphs"] = paragraphs
    return env


DEFAULT_TEMPLATE = "hubei-2022"
CN_DIGITS = "零一二三四五六七八九"


def template_for(narrative: str) -> str:
    """The profile's sentence template; a profile without its own uses the 湖北 2022 one."""
    name = f"{narrative}.j2"
    return name if (TEMPLATES / name).exists() else f"{DEFAULT_TEMPLATE}.j2"


def cn(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 21 → 二十一 (section and list numbering)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")


def paragraphs(text: str) -> list[str]:
    """An officer's text as paragraphs; lines that look like template directives are defused."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            out.append(re.sub(r"^(#+|::)\s*", "", line))
    return out


GLUED = re.compile(r"(?<=[^\s#:])(?=#{1,3} \S|::[a-z]+\b)")


def parse(text: str) -> list[Block]:
    """Template output → blocks.  A heading or directive glued to the end of a paragraph (a Jinja2
    tag at the end of a line eats its newline) still starts its own block."""
    blocks: list[Block] = []
    lines = [part for raw in text.splitlines() for part in GLUED.split(raw)]
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        m = re.match(r"^(#{1,3})\s+(.*)$", line)
        if m:
            blocks.append(Block("heading", m.group(2).strip(), len(m.group(1))))
        elif line.startswith("::"):
            kind, _, arg = line[2:].partition(" ")
            blocks.append(Block(kind.strip(), arg=arg.strip()))
        else:
            blocks.append(Block("paragraph", line))
    return blocks


def story(f: Figures, narrative: str, context: dict) -> list[Block]:
    env = environment()
    text = env.get_template(template_for(narrative)).render(f=f, v=f.values, t=f.texts, **context)
    return parse(text)


def plain_text(blocks: list[Block]) -> str:
    """The narrative as plain text (for golden tests and the HTML search index)."""
    out = []
    for b in blocks:
        if b.kind == "heading":
            out.append("#" * b.level + " " + b.text)
        elif b.kind == "paragraph":
            out.append(b.text)
        else:
            out.append(f"[{b.kind}{' ' + b.arg if b.arg else ''}]")
    return "\n".join(out) + "\n"
