"""The small expression language of table formulas.

Formulas are written the way they are printed under the tables::

    R27 = R1 + R2 + … + R8        rows by 行次 (R + line) or by key (inc_total, 301)
    C1 = C2 + C3 + … + C7         columns by 栏次 (C + line) or key
    C6 = C1 + C2 - C3             minus is allowed
    R31.C1 = R62.C2               single cells: row.column

``…`` (or ``...``) stands for every row (column) between its neighbours in the table's order.
A formula whose terms are rows holds in every column of the left-hand row; one whose terms are
columns holds on every row that has those columns; a cell formula holds once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from juesuan.errors import ProfileError

if TYPE_CHECKING:  # pragma: no cover
    from juesuan.tables.spec import TableSpec

_TOKEN = re.compile(r"\s*(…|\.\.\.|⋯|[+\-=]|[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)?)")
ELLIPSIS = {"…", "...", "⋯"}


@dataclass(frozen=True)
class Term:
    """One operand: a row, a column or a single cell, with its sign."""

    sign: int
    row: str | None = None
    col: str | None = None


@dataclass(frozen=True)
class Formula:
    id: str
    text: str
    kind: Literal["row", "column", "cell"]
    lhs: Term
    terms: tuple[Term, ...]
    printed: bool = True
    title: str | None = None
    severity: Literal["error", "warning"] = "error"

    def refs(self) -> tuple[Term, ...]:
        return (self.lhs, *self.terms)


def _tokens(text: str) -> list[str]:
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or not m.group(1):
            raise ProfileError(f"无法解析公式「{text}」第{pos + 1}个字符附近")
        out.append(m.group(1))
        pos = m.end()
    return out


def parse_formula(
    text: str,
    spec: TableSpec,
    *,
    fid: str | None = None,
    printed: bool = True,
    title: str | None = None,
    severity: str = "error",
) -> Formula:
    """Parse ``text`` against the rows and columns of ``spec``."""
    toks = _tokens(text)
    if toks.count("=") != 1:
        raise ProfileError(f"公式「{text}」应当恰有一个等号")
    eq = toks.index("=")
    left, right = toks[:eq], toks[eq + 1 :]
    if len(left) != 1:
        raise ProfileError(f"公式「{text}」的等号左边应当只有一项")
    lhs_kind, lhs = _resolve(left[0], spec, text)
    terms: list[tuple[str, Term]] = []
    sign = 1
    pending_range = False
    expect_operand = True
    for tok in right:
        if tok in ("+", "-"):
            if not expect_operand:
                sign = 1 if tok == "+" else -1
                expect_operand = True
            elif tok == "-":
                sign = -sign
            continue
        if tok in ELLIPSIS:
            if not terms:
                raise ProfileError(f"公式「{text}」的省略号前面缺少一项")
            pending_range = True
            expect_operand = False
            continue
        if not expect_operand and not pending_range:
            raise ProfileError(f"公式「{text}」在「{tok}」前缺少运算符")
        kind, term = _resolve(tok, spec, text)
        term = Term(sign, term.row, term.col)
        if pending_range:
            start_kind, start = terms[-1]
            if start_kind != kind or kind == "cell":
                raise ProfileError(f"公式「{text}」的省略号两边应当同为行或同为栏")
            for middle in _between(spec, kind, start, term):
                terms.append((kind, Term(term.sign, middle.row, middle.col)))
            pending_range = False
        terms.append((kind, term))
        sign = 1
        expect_operand = False
    if pending_range or expect_operand or not terms:
        raise ProfileError(f"公式「{text}」不完整")
    kinds = {k for k, _ in terms} | {lhs_kind}
    if len(kinds) != 1:
        raise ProfileError(f"公式「{text}」混用了行、栏和单元格")
    kind = kinds.pop()
    fid = fid or left[0]
    if severity not in ("error", "warning"):
        raise ProfileError(f"公式「{text}」的 severity 只能是 error 或 warning")
    terms_t = tuple(t for _, t in terms)
    return Formula(fid, text, kind, lhs, terms_t, printed, title, severity)  # type: ignore[arg-type]


def _resolve(tok: str, spec: TableSpec, text: str) -> tuple[str, Term]:
    if "." in tok:
        r, c = tok.split(".", 1)
        row, col = spec.resolve_row(r), spec.resolve_column(c)
        if row is None or col is None:
            raise ProfileError(f"公式「{text}」中的单元格「{tok}」在表{spec.key}中不存在")
        return "cell", Term(1, row.key, col.key)
    col = spec.resolve_column(tok) if re.fullmatch(r"C\d+", tok) else None
    if col is not None:
        return "column", Term(1, None, col.key)
    row = spec.resolve_row(tok)
    if row is not None:
        return "row", Term(1, row.key, None)
    col = spec.resolve_column(tok)
    if col is not None:
        return "column", Term(1, None, col.key)
    if spec.kind == "coded" and tok.isdigit():  # a classification code the template may omit
        return "row", Term(1, tok, None)
    raise ProfileError(f"公式「{text}」中的「{tok}」在表{spec.key}中找不到对应的行或栏")


def _between(spec: TableSpec, kind: str, start: Term, end: Term) -> list[Term]:
    if kind == "row":
        keys = [r.key for r in spec.rows]
        a, b = keys.index(start.row), keys.index(end.row)  # type: ignore[arg-type]
        return [Term(1, k, None) for k in keys[a + 1 : b]]
    keys = [c.key for c in spec.columns]
    a, b = keys.index(start.col), keys.index(end.col)  # type: ignore[arg-type]
    return [Term(1, None, k) for k in keys[a + 1 : b]]


def render_formula(formula: Formula, spec: TableSpec) -> str:
    """Chinese rendering as printed under a table: ``27 行 = (1+2+…+8) 行``."""

    def name(t: Term) -> str:
        if formula.kind == "row":
            r = spec.row(t.row)  # type: ignore[arg-type]
            return str(r.line) if r and r.line else (r.label if r else str(t.row))
        if formula.kind == "column":
            c = spec.column(t.col)  # type: ignore[arg-type]
            return str(c.line) if c and c.line else (c.label if c else str(t.col))
        r, c = spec.row(t.row), spec.column(t.col)  # type: ignore[arg-type]
        if r and r.line and c and c.line:
            return f"{r.line}行{c.line}栏"
        return spec.cell_name(t.row, t.col)  # type: ignore[arg-type]

    parts = []
    for i, t in enumerate(formula.terms):
        op = "" if i == 0 and t.sign > 0 else ("+" if t.sign > 0 else "-")
        parts.append(f"{op}{name(t)}")
    if len(parts) > 5:
        parts = [*parts[:2], "+…", parts[-1]]
    rhs = "".join(parts)
    if formula.kind == "row":
        unit = " 行" if spec.row(formula.lhs.row).line else ""  # type: ignore[arg-type,union-attr]
        return f"{name(formula.lhs)}{unit} = ({rhs}){unit}"
    if formula.kind == "column":
        col = spec.column(formula.lhs.col)  # type: ignore[arg-type]
        unit = " 栏" if col and col.line else ""
        each = "各行" if unit else ""
        return f"{name(formula.lhs)}{unit}{each} = ({rhs}){unit}{each}"
    return f"{name(formula.lhs)} = {rhs}"
