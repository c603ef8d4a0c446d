"""Money and percentages as `Decimal`: parsing what documents print, rounding, tolerances.

Published figures are converted from 元 to 万元 and rounded to two decimals, so a printed total
may differ from the sum of its printed parts by a cent per part.  The tolerances below are the
only place where "close enough" is defined; every rule uses them by name.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")

#: A difference of up to this much *per rounded addend* of an identity is explained by rounding
#: (reported as 提示); anything larger is an error.  An identity ``L = R1 + … + Rn`` with k
#: non-empty addends tolerates ``k × ROUNDING_PER_ADDEND`` (at least one unit).  The amount is in
#: the document's own money unit (万元 or 元), i.e. one unit of the last printed decimal.
ROUNDING_PER_ADDEND = CENT

#: Percentages are printed with two decimals; a stated percentage is accepted when it equals the
#: recomputed one after ROUND_HALF_UP, or differs by at most this many percentage points
#: (truncation instead of rounding, or a share nudged so that shares add up to 100%) — then 提示.
PERCENT_ROUNDING = Decimal("0.01")

_DASHES = {"-", "—", "–", "－", "/", "——"}
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def normalize_number_text(text: str) -> str:
    """NFKC, then drop thousands separators, spaces and currency marks that documents insert."""
    t = unicodedata.normalize("NFKC", text).strip()
    t = t.replace(",", "").replace("，", "").replace(" ", "").replace("\u3000", "")
    t = t.replace("¥", "").replace("￥", "")
    if t.startswith("(") and t.endswith(")") and len(t) > 2:  # accounting negative
        t = "-" + t[1:-1]
    return t


def parse_amount(value: object) -> Decimal | None:
    """Parse a printed amount; ``None`` for an empty cell, raise ``ValueError`` for non-numbers.

    Accepts ``2,940.05``, ``２９４０．０５``, ``1, 537.4``, ``-12.3``, ``(12.3)``, ints and Decimals.
    Floats are refused: they would smuggle binary rounding into money.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"不是金额：{value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Spreadsheet cells arrive as floats; repr() gives the shortest text that round-trips,
        # which is exactly what the user typed for any amount with ≤ 15 significant digits.
        # Floats produced by spreadsheet formulas (0.1 + 0.2) carry binary noise past the 10th
        # decimal; cut it off without touching real digits.
        if value != value:  # NaN
            return None
        d = Decimal(repr(value))
        if d.as_tuple().exponent < -10:  # type: ignore[operator]
            d = d.quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP).normalize()
        return d
    text = normalize_number_text(str(value))
    if text == "" or text in _DASHES:
        return None
    if not _NUMBER_RE.match(text):
        raise ValueError(f"不是金额：{value!r}")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise ValueError(f"不是金额：{value!r}") from exc


def is_amount_text(text: str) -> bool:
    """True when ``text`` reads as an amount (or an empty placeholder)."""
    try:
        parse_amount(text)
    except ValueError:
        return False
    return True


def round_money(value: Decimal, quantum: Decimal = CENT) -> Decimal:
    """ROUND_HALF_UP to 0.01 (or ``quantum``)."""
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part ÷ whole × 100`` rounded half-up to 0.01; ``None`` when the whole is zero."""
    if whole == 0:
        return None
    return round_money(part / whole * HUNDRED)


def tolerance(addends: int) -> Decimal:
    """Largest difference explained by rounding for an identity with ``addends`` parts."""
    return ROUNDING_PER_ADDEND * max(1, addends)


def fmt(value: Decimal | None, places: int = 2) -> str:
    """Format for people: thousands separators, two decimals; empty for ``None``."""
    if value is None:
        return ""
    q = Decimal(1).scaleb(-places)
    return f"{round_money(value, q):,.{places}f}"


def fmt_plain(value: Decimal | None) -> str:
    """Format as the document would print it, without grouping: ``2940.05``."""
    if value is None:
        return ""
    return f"{round_money(value):f}"
