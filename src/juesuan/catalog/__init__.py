"""Classification catalogs (支出功能分类 / 部门预算支出经济分类) keyed by code and year.

Three layers are consulted, most trusted first:

1. catalogs the user imported for a year (``juesuan catalog import``) — official data;
2. the data shipped in ``data/`` with its provenance (``data/SOURCES.md``) — partial;
3. what the document itself prints: the codes and names of its own tables.

The shipped data is partial on purpose (no complete official catalog is available offline), so
a code found nowhere is "not verifiable" (提示), never wrong.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from juesuan.errors import JuesuanError

DATA = Path(__file__).parent / "data"

Kind = Literal["function", "economic", "economic_gov", "income"]
Confidence = Literal["official", "attested", "unverified", "document"]

_SHIPPED: list[tuple[str, Kind, Confidence]] = [
    ("function_classes.csv", "function", "attested"),
    ("function_partial.csv", "function", "attested"),
    ("function_seen.csv", "function", "attested"),
    ("economic_dept.csv", "economic", "attested"),
    ("economic_dept_unverified.csv", "economic", "unverified"),
    ("economic_gov.csv", "economic_gov", "attested"),
    ("economic_gov_unverified.csv", "economic_gov", "unverified"),
]

CONFIDENCE_LABEL = {
    "official": "用户导入的官方科目表",
    "attested": "随附科目数据（已见于公开资料）",
    "unverified": "随附科目数据（未经核实）",
    "document": "本文件自身的表格",
}


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    level: str
    parent: str | None
    kind: Kind
    confidence: Confidence
    source: str


def level_of(code: str, kind: Kind = "function") -> str | None:
    """类/款/项 from the code length (function 3/5/7, economic 3/5)."""
    n = len(code)
    if kind == "function":
        return {3: "类", 5: "款", 7: "项"}.get(n)
    return {3: "类", 5: "款"}.get(n)


def parent_of(code: str) -> str | None:
    return {5: code[:3], 7: code[:5]}.get(len(code))


def kind_of(code: str) -> Kind | None:
    """Guess the classification from the first digit of a code."""
    if not code or not code.isdigit():
        return None
    return {"1": "income", "2": "function", "3": "economic", "5": "economic_gov"}.get(code[0])


def norm_name(name: str) -> str:
    """Names compare equal regardless of bracket width, spaces and the (类)(款)(项) suffix."""
    t = unicodedata.normalize("NFKC", name or "")
    t = re.sub(r"\s+", "", t)
    t = re.sub(r"\((类|款|项)\)$", "", t)
    return t


def user_dir() -> Path:
    """Where imported catalogs live: ``$JUESUAN_HOME/catalogs`` or the platform data dir."""
    home = os.environ.get("JUESUAN_HOME")
    if home:
        return Path(home) / "catalogs"
    from platformdirs import user_data_dir

    return Path(user_data_dir("juesuan", appauthor=False)) / "catalogs"


def _read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def _shipped() -> tuple[tuple[Entry, ...], dict[str, tuple[tuple[str, int], ...]]]:
    entries: list[Entry] = []
    for fname, kind, conf in _SHIPPED:
        for row in _read_csv_rows(DATA / fname):
            entries.append(
                Entry(row["code"], row["name"], row["level"], row.get("parent") or None, kind,
                      conf, fname)
            )
    history: dict[str, list[tuple[str, int]]] = {}
    for row in _read_csv_rows(DATA / "history.csv"):
        history.setdefault(row["code"], []).append((row["name"], int(row["until_year"])))
    return tuple(entries), {k: tuple(v) for k, v in history.items()}


@cache
def _descriptions() -> dict[str, str]:
    return {r["code"]: r["description"] for r in _read_csv_rows(DATA / "function_descriptions.csv")}


def _user_entries(year: int | None) -> list[Entry]:
    base = user_dir()
    if year is None or not (base / str(year)).is_dir():
        return []
    out = []
    for path in sorted((base / str(year)).glob("*.csv")):
        for row in _read_csv_rows(path):
            code = row["code"]
            kind = kind_of(code) or "function"
            out.append(
                Entry(code, row["name"], row.get("level") or level_of(code, kind) or "",
                      row.get("parent") or parent_of(code), kind, "official",
                      f"{year}/{path.name}")
            )
    return out


class Catalog:
    """Look codes up for one report year."""

    def __init__(self, year: int | None = None, entries: Iterable[Entry] = ()):
        shipped, history = _shipped()
        self.year = year
        self._history = history
        self._by_code: dict[str, Entry] = {}
        # later layers must not override more trusted ones: insert most trusted first
        for e in list(entries) + _user_entries(year) + list(shipped):
            self._by_code.setdefault(e.code, e)

    def lookup(self, code: str) -> Entry | None:
        return self._by_code.get(code)

    def accepted_names(self, code: str) -> list[str]:
        """The current name, plus former names still valid for this year."""
        e = self.lookup(code)
        names = [e.name] if e else []
        for name, until in self._history.get(code, ()):
            if self.year is None or self.year <= until:
                names.append(name)
        return names

    def name_matches(self, code: str, name: str) -> bool | None:
        """True/False when the code is known, ``None`` when it cannot be verified."""
        accepted = self.accepted_names(code)
        if not accepted:
            return None
        n = norm_name(name)
        return any(norm_name(a) == n for a in accepted)

    def description(self, code: str) -> str | None:
        """The official explanation of a code (科目说明), where the shipped data has it."""
        return _descriptions().get(code)

    def __len__(self) -> int:
        return len(self._by_code)


# ------------------------------------------------------------------------------- import
_CODE_HEADERS = ("code", "科目编码", "编码", "科目代码", "代码")
_NAME_HEADERS = ("name", "科目名称", "名称")


def _rows_from_file(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover
            raise JuesuanError("无法识别文件编码，请另存为 UTF-8 编码的 CSV", where=path.name)
        return [list(r) for r in csv.reader(io.StringIO(text))]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise JuesuanError(f"无法打开工作簿：{exc}", where=path.name) from exc
        ws = wb.worksheets[0]
        rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    raise JuesuanError("科目表只支持 .csv 或 .xlsx 文件", where=path.name)


def import_catalog(path: Path, year: int) -> tuple[Path, int, list[str]]:
    """Copy a user's official catalog into the user catalog directory for ``year``.

    Returns the stored path, the number of codes and the problems found (skipped lines).
    """
    rows = _rows_from_file(path)
    if not rows:
        raise JuesuanError("文件是空的", where=path.name)
    header_idx, code_col, name_col = None, None, None
    for i, row in enumerate(rows[:10]):
        cells = [str(c).strip() for c in row]
        for h in _CODE_HEADERS:
            if h in cells:
                code_col = cells.index(h)
        for h in _NAME_HEADERS:
            if h in cells:
                name_col = cells.index(h)
        if code_col is not None and name_col is not None:
            header_idx = i
            break
    if header_idx is None:
        raise JuesuanError(
            "找不到表头：第一行应有「科目编码」和「科目名称」两列（或 code、name）", where=path.name
        )
    problems: list[str] = []
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for lineno, row in enumerate(rows[header_idx + 1 :], start=header_idx + 2):
        if len(row) <= max(code_col, name_col):  # type: ignore[type-var]
            continue
        code = re.sub(r"\s+", "", str(row[code_col]))  # type: ignore[index]
        name = str(row[name_col]).strip()  # type: ignore[index]
        if not code and not name:
            continue
        if not code.isdigit() or len(code) not in (3, 5, 7):
            problems.append(f"第{lineno}行：科目编码「{code}」不是 3、5 或 7 位数字，已跳过")
            continue
        if code in seen:
            problems.append(f"第{lineno}行：科目编码 {code} 重复，已跳过")
            continue
        seen.add(code)
        out.append((code, name))
    if not out:
        raise JuesuanError("文件中没有可用的科目编码", where=path.name)
    dest_dir = user_dir() / str(year)
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / (re.sub(r"[^\w.-]", "_", path.stem) + ".csv")
    with dest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "level", "parent"])
        for code, name in out:
            kind = kind_of(code) or "function"
            w.writerow([code, name, level_of(code, kind) or "", parent_of(code) or ""])
    return dest, len(out), problems


def imported_years() -> list[int]:
    base = user_dir()
    if not base.is_dir():
        return []
    return sorted(int(p.name) for p in base.iterdir() if p.is_dir() and p.name.isdigit())
