"""Which table row a 类(款)(项) name chain in the text points to, and which names are wrong."""

from __future__ import annotations

from juesuan.model import Disclosure
from juesuan.readers.normalize import norm


def _same(a: str | None, b: str | None) -> bool:
    a, b = norm(a or ""), norm(b or "")
    return bool(a) and (a == b or a + "支出" == b or a == b + "支出")


def chain_code(d: Disclosure, subject: str) -> tuple[str | None, list[str]]:
    """``class:类|款|项`` → (T5 code, ["款应为「…」，文中为「…」", …]).

    The most specific name decides the row (a 项 name is usually unique in a document);
    the names above it are then compared with that row's parents.
    """
    lei, kuan, xiang = [*subject.split(":", 1)[1].split("|"), "", ""][:3]
    t5 = d.table("T5")
    if t5 is None:
        return None, []
    rows = {r.code: r for r in t5.rows if r.code}

    def label(code: str) -> str | None:
        r = rows.get(code)
        return r.label if r is not None else None

    if xiang:
        matches = [c for c, r in rows.items() if len(c) == 7 and _same(xiang, r.label)]
        if len(matches) > 1 and kuan:
            matches = [c for c in matches if _same(kuan, label(c[:5]))] or matches
        code = matches[0] if matches else None
    elif kuan:
        code = next((c for c, r in rows.items() if len(c) == 5 and _same(kuan, r.label)), None)
    else:
        code = next((c for c, r in rows.items() if len(c) == 3 and _same(lei, r.label)), None)
    if code is None:
        return None, []
    wrong = []
    if kuan and len(code) >= 5 and label(code[:5]) and not _same(kuan, label(code[:5])):
        wrong.append(f"款应为「{label(code[:5])}」，文中为「{kuan}」")
    if lei and label(code[:3]) and not _same(lei, label(code[:3])):
        wrong.append(f"类应为「{label(code[:3])}」，文中为「{lei}」")
    return code, wrong
