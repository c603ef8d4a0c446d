"""Declarative table specifications, loaded from the YAML files beside this module.

A *profile* (``profiles/<id>.yaml``) is one publication template: which tables, in which order,
with which numbers.  Each table entry names a definition from ``library.yaml`` (``use:``) and may
override any of its fields, so adding a province's variant is a data change.  Users can put
their own profile files in the directory named by ``$JUESUAN_PROFILES``.
"""

from __future__ import annotations

import copy
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from juesuan import yaml_io
from juesuan.errors import ProfileError
from juesuan.tables.formula import Formula, parse_formula

HERE = Path(__file__).parent
LIBRARY = HERE / "library.yaml"
PROFILES_DIR = HERE / "profiles"

TableKind = Literal["fixed", "coded"]


@cache
def norm_label(text: str | None) -> str:
    """Normalise a printed label for comparison: NFKC, no spaces, no numbering, ASCII quotes."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    t = t.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    t = t.replace("<b>", "").replace("</b>", "")
    # leading numbering: 一、 （一） 1. 1、 (1)
    t = re.sub(r"^(\(?[一二三四五六七八九十百零〇]+[)、.]|\(\d+\)|\d+[、.．])", "", t)
    return t


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str
    line: int | None = None
    path: tuple[str, ...] = ()
    side: str | None = None
    role: str | None = None
    aliases: tuple[str, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            generic = self.header in ("小计", "合计", "预算数", "决算数") and self.path
            object.__setattr__(self, "label", self.path[-1] + self.header if generic else self.header)

    @property
    def full_header(self) -> str:
        return " › ".join((*self.path, self.header))

    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str
    line: int | None = None
    side: str | None = None
    code: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    total: bool = False
    optional: bool = False

    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class GroupSpec:
    key: str
    label: str
    classes: tuple[str, ...]
    total: str


@dataclass(frozen=True)
class TotalRowSpec:
    key: str = "total"
    label: str = "合计"
    position: Literal["top", "bottom"] = "top"


@dataclass(frozen=True)
class TableSpec:
    key: str
    number: int
    title: str
    kind: TableKind
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...] = ()
    title_variants: tuple[str, ...] = ()
    classification: Literal["function", "economic"] | None = None
    total_row: TotalRowSpec | None = None
    hierarchy: bool = False
    groups: tuple[GroupSpec, ...] = ()
    sides: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    empty_note: str | None = None  # pattern of the "本单位无…" note an empty table must carry
    empty_text: str | None = None  # the note juesuan prints under it ({unit} is replaced)
    formulas: tuple[Formula, ...] = ()

    # -- lookups -------------------------------------------------------------------------
    def column(self, key: str) -> ColumnSpec | None:
        return _index(self, "columns").get(key)

    def row(self, key: str) -> RowSpec | None:
        return _index(self, "rows").get(key)

    def resolve_row(self, token: str) -> RowSpec | None:
        """A formula token: ``R27`` (行次 27) or a row key / code."""
        m = re.fullmatch(r"R(\d+)", token)
        if m:
            for r in self.rows:
                if r.line == int(m.group(1)):
                    return r
        return self.row(token)

    def resolve_column(self, token: str) -> ColumnSpec | None:
        col = self.column(token)
        if col is not None:
            return col
        m = re.fullmatch(r"C(\d+)", token)
        if m:
            for c in self.columns:
                if c.line == int(m.group(1)):
                    return c
        return None

    def columns_for_side(self, side: str | None) -> tuple[ColumnSpec, ...]:
        if not self.sides:
            return self.columns
        return tuple(c for c in self.columns if c.side == side)

    def columns_for_row(self, row_key: str) -> tuple[ColumnSpec, ...]:
        """The amount columns a row has (two-sided tables give each side its own columns)."""
        if not self.sides:
            return self.columns
        spec = self.row(row_key)
        return self.columns_for_side(spec.side if spec else None)

    def column_by_role(self, role: str, side: str | None = None) -> ColumnSpec | None:
        for c in self.columns:
            if c.role == role and (side is None or c.side == side):
                return c
        return None

    @property
    def total_key(self) -> str | None:
        return self.total_row.key if self.total_row else None

    @property
    def display(self) -> str:
        """``表7《财政拨款“三公”经费支出决算表》`` — how findings name the table."""
        return f"表{self.number}《{self.title}》"

    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.title_variants)

    def row_label(self, key: str) -> str:
        """How people call a row: its label, qualified where the label alone is ambiguous."""
        spec = self.row(key)
        if spec is None:
            if self.total_row and key == self.total_row.key:
                return self.total_row.label
            return key
        label = spec.label
        if spec.parent:
            label = f"{self.row_label(spec.parent)}中的{label}"
        elif self.sides and sum(1 for r in self.rows if r.label == spec.label) > 1:
            label = f"{self.sides.get(spec.side or '', '')}{label}"
        return label

    def cell_name(self, row_key: str, col_key: str) -> str:
        """``本年收入合计`` or ``社会保障和就业支出·基本支出`` — a cell in words."""
        row = self.row_label(row_key)
        if len(self.columns_for_row(row_key)) <= 1:
            return row
        col = self.column(col_key)
        return f"{row}·{col.label if col else col_key}"


def _index(spec: TableSpec, what: str) -> dict[str, Any]:
    cache_name = f"_{what}_index"
    idx = spec.__dict__.get(cache_name)
    if idx is None:
        idx = {x.key: x for x in getattr(spec, what)}
        object.__setattr__(spec, cache_name, idx)
    return idx


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    tables: tuple[TableSpec, ...]
    description: str = ""
    region: str | None = None
    years: tuple[int, int] | None = None
    money_unit: str = "万元"
    path: Path | None = None
    narrative: str = "hubei-2022"  # the sentence template juesuan build writes the text with
    glossary: str | None = None  # the 名词解释 list (build/glossary.yaml); default: narrative's

    def table(self, key: str) -> TableSpec | None:
        for t in self.tables:
            if t.key == key:
                return t
        return None

    def by_number(self, number: int) -> TableSpec | None:
        for t in self.tables:
            if t.number == number:
                return t
        return None


# ------------------------------------------------------------------------------- loading
def _read_yaml(path: Path) -> Any:
    try:
        return yaml_io.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError(f"找不到表格定义文件 {path}") from exc
    except yaml_io.YAMLError as exc:
        raise ProfileError(f"表格定义文件 {path.name} 格式有误：{exc}") from exc


@cache
def _library() -> dict[str, Any]:
    return _read_yaml(LIBRARY)


def _resolve_entry(entry: dict[str, Any], library: dict[str, Any], where: str) -> dict[str, Any]:
    """Apply ``use``/``extends`` (copy a library entry, then override fields)."""
    entry = dict(entry)
    base_name = entry.pop("use", None) or entry.pop("extends", None)
    if base_name is None:
        return entry
    if base_name not in library:
        raise ProfileError(f"{where} 引用了不存在的表格定义「{base_name}」")
    base = _resolve_entry(copy.deepcopy(library[base_name]), library, base_name)
    lines = entry.pop("lines", base.pop("lines", True))
    base.update(entry)
    if lines is False:
        base["lines"] = False
    return base


def _expand_rows(raw: list[dict[str, Any]], keep_lines: bool) -> list[RowSpec]:
    rows: list[RowSpec] = []
    for item in raw or []:
        if "rows" in item:  # an included block of rows
            line = item.get("first_line")
            optional = set(item.get("optional_keys", []))
            for sub in item["rows"]:
                merged = {**{k: v for k, v in item.items() if k in ("side",)}, **sub}
                if line is not None and keep_lines:
                    merged.setdefault("line", line)
                    line += 1
                if merged["key"] in optional:
                    merged["optional"] = True
                rows.append(_row(merged, keep_lines))
        else:
            rows.append(_row(item, keep_lines))
    return rows


def _row(d: dict[str, Any], keep_lines: bool) -> RowSpec:
    return RowSpec(
        key=str(d["key"]),
        label=d["label"],
        line=d.get("line") if keep_lines else None,
        side=d.get("side"),
        code=str(d["code"]) if d.get("code") is not None else None,
        aliases=tuple(d.get("aliases", ())),
        parent=d.get("parent"),
        total=bool(d.get("total", False)),
        optional=bool(d.get("optional", False)),
    )


def _column(d: dict[str, Any], keep_lines: bool) -> ColumnSpec:
    return ColumnSpec(
        key=d["key"],
        header=d["header"],
        line=d.get("line") if keep_lines else None,
        path=tuple(d.get("path", ())),
        side=d.get("side"),
        role=d.get("role"),
        aliases=tuple(d.get("aliases", ())),
        label=d.get("label", ""),
    )


def build_table(d: dict[str, Any], number: int, where: str) -> TableSpec:
    keep_lines = d.get("lines", True) is not False
    try:
        columns = tuple(_column(c, keep_lines) for c in d["columns"])
        rows = tuple(_expand_rows(d.get("rows", []), keep_lines))
        tr = d.get("total_row")
        spec = TableSpec(
            key=d["key"],
            number=number,
            title=d["title"],
            kind=d["kind"],
            columns=columns,
            rows=rows,
            title_variants=tuple(d.get("title_variants", ())),
            classification=d.get("classification"),
            total_row=TotalRowSpec(**tr) if tr else None,
            hierarchy=bool(d.get("hierarchy", False)),
            groups=tuple(
                GroupSpec(g["key"], g["label"], tuple(g["classes"]), g["total"])
                for g in d.get("groups", ())
            ),
            sides=dict(d.get("sides", {})),
            note=d.get("note"),
            empty_note=d.get("empty_note"),
            empty_text=d.get("empty_text"),
        )
    except (KeyError, TypeError) as exc:
        raise ProfileError(f"{where} 缺少字段或字段有误：{exc}") from exc
    formulas = []
    for f in d.get("formulas", []):
        if isinstance(f, str):
            f = {"expr": f}
        formulas.append(
            parse_formula(
                f["expr"], spec, fid=f.get("id"), printed=f.get("printed", True),
                title=f.get("title"), severity=f.get("severity", "error"),
            )
        )
    object.__setattr__(spec, "formulas", tuple(formulas))
    return spec


def _profile_dirs() -> list[Path]:
    dirs = []
    extra = os.environ.get("JUESUAN_PROFILES")
    if extra:
        dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    dirs.append(PROFILES_DIR)
    return dirs


def profile_paths() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in reversed(_profile_dirs()):  # user directories override the shipped ones
        if d.is_dir():
            for p in sorted(d.glob("*.yaml")):
                found[p.stem] = p
    return found


@cache
def _load_profile_file(path: Path) -> Profile:
    data = _read_yaml(path)
    if not isinstance(data, dict) or "tables" not in data:
        raise ProfileError(f"模板文件 {path.name} 缺少 tables 列表")
    library = _library()
    tables = []
    for i, entry in enumerate(data["tables"]):
        where = f"模板 {path.stem} 的第{i + 1}张表"
        resolved = _resolve_entry(entry, library, where)
        number = resolved.pop("number", i + 1)
        tables.append(build_table(resolved, number, where))
    keys = [t.key for t in tables]
    if len(set(keys)) != len(keys):
        raise ProfileError(f"模板 {path.stem} 中有重复的表：{keys}")
    years = data.get("years")
    return Profile(
        id=data.get("id", path.stem),
        name=data.get("name", path.stem),
        description=(data.get("description") or "").strip(),
        region=data.get("region"),
        years=tuple(years) if years else None,  # type: ignore[arg-type]
        money_unit=data.get("money_unit", "万元"),
        tables=tuple(tables),
        path=path,
        narrative=data.get("narrative", data.get("id", path.stem)),
        glossary=data.get("glossary"),
    )


@cache
def header_synonyms() -> dict[str, str]:
    """Alternative header wordings → the library's wording (normalised with ``norm_label``)."""
    raw = _library().get("header_synonyms") or {}
    return {norm_label(k): norm_label(v) for k, v in raw.items()}


def load_profile(profile_id: str) -> Profile:
    paths = profile_paths()
    if profile_id not in paths:
        known = "、".join(sorted(paths))
        raise ProfileError(f"没有名为「{profile_id}」的模板，可用的模板有：{known}")
    return _load_profile_file(paths[profile_id])


def list_profiles() -> list[Profile]:
    return [_load_profile_file(p) for p in profile_paths().values()]
