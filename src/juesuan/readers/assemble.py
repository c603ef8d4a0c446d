"""``Document`` (lines and tables, any format) → ``Disclosure``.

In plain steps: who and when (unit, year, kind) → the table of contents → which standard table
each table block is (by its title, else by its headers) → the template profile → each table read
against its spec → the narrative split into sections → figures in the text parsed into
``others``.  Tables no profile knows are kept as extra tables (key ``X-n``) and listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from juesuan.errors import UnreadableDocument
from juesuan.model import Anchor, Cell, Disclosure, Origin, ReadIssue, Row, Section, Table
from juesuan.money import parse_amount
from juesuan.narrative.fill import fill_others
from juesuan.readers.document import Document, Line, TableBlock
from juesuan.readers.grid import Grid, read_table
from juesuan.readers.normalize import join_number_spaces, norm
from juesuan.readers.performance import looks_like_evaluation, parse_evaluation
from juesuan.tables import Profile, TableSpec, list_profiles, load_profile, norm_label

YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年\s*度?")
CN_NUM = "一二三四五六七八九十"
PART = re.compile(r"^第([一二三四五六七八九十]+)部分\s*(.*)$")
SECTION = re.compile(r"^([一二三四五六七八九十]+)[、.．]\s*(.+)$")
SUBSECTION = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.+)$")
TABLE_NUMBER = re.compile(r"[（(]?\s*(?:表|公开)\s*(\d{1,2})\s*表?\s*[)）]?\s*$")
TABLE_NUMBER_CN = re.compile(r"表([一二三四五六七八九十]{1,3})")
TOC_LEADER = re.compile(r"[.．…·\s]{4,}\S*$|PAGEREF.*$|\s+\d{1,3}$|\(\)$|（）$")


def cn_number(text: str) -> int | None:
    """一 → 1 … 十九 → 19."""
    if not text or any(ch not in CN_NUM for ch in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_NUM.index(text[1]) + 1
    if len(text) == 1:
        return CN_NUM.index(text) + 1
    if len(text) == 2 and text[1] == "十":
        return (CN_NUM.index(text[0]) + 1) * 10
    if len(text) == 3 and text[1] == "十":
        return (CN_NUM.index(text[0]) + 1) * 10 + CN_NUM.index(text[2]) + 1
    return None


# ----------------------------------------------------------------------- table titles
@cache
def _title_index() -> list[tuple[str, str]]:
    """(normalised title, canonical key) over every profile, longest title first."""
    pairs = {(norm_label(title), spec.key) for p in list_profiles() for spec in p.tables
             for title in spec.titles()}
    return sorted(pairs, key=lambda x: -len(x[0]))


def strip_title(text: str) -> str:
    t = norm_label(text)
    t = re.sub(r"[(（]?(表|公开)\d+表?[)）]?$", "", t)
    t = re.sub(r"^\d{4}年度?", "", t)
    return t


def title_key(text: str) -> str | None:
    """The canonical key of a table title, tolerating a unit name or year in front of it."""
    t = strip_title(text)
    if not t or len(t) > 60 or "说明" in t or "情况" in t:
        return None
    # quotes are left out: PDFs set them in another font and extraction often moves them
    t = re.sub(r"^(部门|单位)", "", t).replace('"', "").replace("'", "")
    for title, key in _title_index():
        title = re.sub(r"^(部门|单位)", "", title).replace('"', "").replace("'", "")
        if t == title or (t.endswith(title) and len(t) - len(title) <= 30):
            return key
    return None


def table_number(text: str) -> int | None:
    m = TABLE_NUMBER.search(norm(text))
    if m:
        return int(m.group(1))
    m = TABLE_NUMBER_CN.search(text)
    return cn_number(m.group(1)) if m else None


@dataclass
class Contents:
    tables: list[tuple[int | None, str, str | None]]  # (number, title as listed, key)
    headings: list[str]


ENTRY_START = re.compile(r"(?=(?:第[一二三四五六七八九十]部分|表[一二三四五六七八九十]{1,3}[:：]|"
                         r"(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,3}、|(?<!\d)\d{1,2}、|"
                         r"[(（][一二三四五六七八九十]{1,3}[)）]))")
ENTRY = re.compile(r"^(?:表(?P<cn_t>[一二三四五六七八九十]{1,3})[:：、.]?|"
                   r"(?P<cn>[一二三四五六七八九十]{1,3})、|(?P<ar>\d{1,2})、|"
                   r"[(（](?P<cn_p>[一二三四五六七八九十]{1,3})[)）])\s*(?P<title>.+)$")


def _entries(lines: list[Line]) -> list[str]:
    """Lines of the beginning of a document, long flattened lines split at their numbering."""
    out: list[str] = []
    for ln in lines[:400]:
        text = ln.text.strip()
        if out and len(text) <= 3 and not ENTRY_START.match(text):
            out[-1] += text  # a title wrapped over two lines ("…支出决算" / "表")
            continue
        pieces = [p for p in ENTRY_START.split(text) if p.strip()] if len(text) > 60 else [text]
        out.extend(p.strip() for p in pieces)
    return out


def _table_key(title: str, taken: set[str]) -> str | None:
    key = title_key(title)
    if key is None and "三公" in title and "政府性基金" not in title:
        key = "T9"  # 三公 tables carry many local names (…及会议费、培训费…, …机关运行经费情况表)
    if key is None and re.fullmatch(r"(部门)?收入决算总表", strip_title(title)):
        key = "T2"
    if key is None and re.fullmatch(r"(部门)?支出决算总表", strip_title(title)):
        key = "T3"
    return key if key not in taken else None


def parse_contents(lines: list[Line]) -> Contents:
    """The tables the document lists (standard or not) and its part headings."""
    tables: list[tuple[int | None, str, str | None]] = []
    headings: list[str] = []
    taken: set[str] = set()
    seen_numbers: set[tuple[str, int]] = set()
    entries = _entries(lines)
    table_part = re.compile(r"(决算|公开|部门|单位)?(报表|附表|决算表|公开表)")
    has_table_part = any(PART.match(norm(e)) and table_part.search(norm(e)) for e in entries)
    collecting = not has_table_part
    for raw in entries:
        text = TOC_LEADER.sub("", raw).strip()
        n = norm(text)
        if PART.match(n):
            if n in {norm(h) for h in headings} and tables:
                break  # the body starts: the first part heading repeats the contents
            headings.append(text)
            seen_numbers.clear()  # numbering starts again in each part
            collecting = not has_table_part or bool(table_part.search(n))
            continue
        m = ENTRY.match(n)
        if not m or not collecting:
            continue
        title = re.sub(r"[(（]?(表|公开)\d+表?[)）]?$|[(（][一二三四五六]?[)）]$|\d+$", "", m.group("title"))
        if (not re.search(r"表([(（\-—].*)?$", title) or len(title) > 60 or "说明" in title
                or re.search(r"\d{4}年", title)):
            continue  # not a table, or the heading of the list of tables
        style = ("t" if m.group("cn_t") else "c" if m.group("cn") else "p" if m.group("cn_p")
                 else "a")
        number = (int(m.group("ar")) if style == "a"
                  else cn_number(m.group("cn_t") or m.group("cn") or m.group("cn_p")))
        if (style, number) in seen_numbers:
            if tables:
                break  # the list again (the body repeats it)
            continue
        seen_numbers.add((style, number))  # type: ignore[arg-type]
        key = _table_key(title, taken)
        if key:
            taken.add(key)
        tables.append((number, text, key))
    return Contents(tables, headings)


# ----------------------------------------------------------------------- who and when
def _clean_unit(unit: str | None) -> str | None:
    """A unit name as found near the title, without labels, numbering and trailing words."""
    if not unit:
        return None
    unit = re.split(r"[.…·]{3,}|基本情况|目录", unit)[0]
    unit = re.sub(r"^.*?(信息名称|标题|名称|来源)[:：|]+", "", unit)
    unit = re.sub(r"^[\s:：|•·\-—]*([一二三四五六七八九十]+[、.．])?[\s:：|•·]*", "", unit)
    unit = re.sub(r"^(关于|第[一二三四五六七八九十]部分)", "", unit)
    unit = re.sub(r"(部门|单位)$", "", unit.strip("：:，,。 "))
    if len(unit) < 3 or len(unit) > 40 or re.search(
            r"(收入|支出|决算表|情况说明|政府采购|一般公共|根据|按照)", unit):
        return None  # a table title or a sentence, not a unit
    return unit


def detect_identity(lines: list[Line]) -> tuple[str | None, int | None, str]:
    head = [ln.text.strip() for ln in lines[:40]]
    kind = "预算" if any(re.search(r"部门预算|单位预算|预算公开", t) and "决算" not in t for t in head[:10]) \
        else "决算"
    year = None
    unit = None
    pat = re.compile(r"^(?P<pre>.*?)(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<post>.*?)"
                     r"(?:部门|单位)?(?:决算|预算)")
    joined = [t for t in head if t]
    for i, text in enumerate(joined[:15]):
        t = re.sub(r"\s+", "", text)
        m = pat.search(t)
        if not m and i + 1 < len(joined) and YEAR.search(t):  # "2022 年度某单位" / "部门决算公开"
            m = pat.search(t + re.sub(r"\s+", "", joined[i + 1]))
        if not m:
            continue
        year = int(m.group("year"))
        pre, post = m.group("pre"), m.group("post")
        unit = pre or post or None
        if not unit and i > 0 and len(joined[i - 1]) < 40 and not YEAR.search(joined[i - 1]):
            unit = re.sub(r"\s+", "", joined[i - 1])  # the unit on the line above
        if not unit and i + 1 < len(joined) and len(joined[i + 1]) < 40:
            nxt = re.sub(r"\s+", "", joined[i + 1])
            if not re.search(r"目录|部门决算|第.部分", nxt):
                unit = nxt
        break
    if year is None:  # no "…年度…决算" title: the first year printed near the top
        m = next((YEAR.search(t) for t in head[:15] if YEAR.search(t)), None)
        year = int(m.group(1)) if m else None
    if year is None:  # else the year the text speaks of most
        years = [int(m.group(1)) for ln in lines[:300] for m in YEAR.finditer(ln.text)]
        year = max(set(years), key=years.count) if years else None
    unit = _clean_unit(unit)
    if unit is None:
        for t in head:
            m = re.match(r"^(部门|编制单位|单位名称|填报单位|部门名称)[:：]\s*(\S{3,40})", t)
            if m:
                unit = _clean_unit(m.group(2))
                break
    if unit is None:
        for ln in lines[:200]:
            m = re.match(r"^第一部分\s*(.+?)(部门|单位)?概况", norm(ln.text))
            if m and m.group(1) not in ("", "部门", "单位"):
                unit = _clean_unit(m.group(1))
                break
    return unit or None, year, kind


def detect_profile(year: int | None, numbers: dict[str, int], order: list[str], text: str) -> str:
    """Which template: by where the 三公 table sits, whether there is a 国有资本 table, the year."""
    has_state = "T8" in numbers or "T8" in order
    sangong = numbers.get("T9")
    fund = numbers.get("T7")
    sangong_before_fund = ("T9" in order and "T7" in order and order.index("T9") < order.index("T7"))
    if (year and year <= 2018 and not has_state) or (not has_state and len(numbers) == 8):
        return "legacy-8"
    if (sangong == 7 and (fund is None or fund == 8)) or (sangong is None and sangong_before_fund):
        return "shanghai-2024" if has_state or (year and year >= 2019) else "legacy-8"
    if "上海" in text[:2000] and year and year >= 2024 and sangong != 9:
        return "shanghai-2024"
    return "hubei-2022"


# ------------------------------------------------------------------ identifying tables
def _preceding_lines(blocks, i: int, limit: int = 5) -> list[Line]:
    out = []
    for b in reversed(blocks[max(0, i - limit):i]):
        if isinstance(b, TableBlock):
            break
        out.append(b)
    return list(reversed(out))


def _header_score(grid: Grid, spec: TableSpec) -> float:
    text = norm("".join(c.text for row in grid.rows[:8] for c in row))
    names = [norm(c.header) for c in spec.columns]
    hit = sum(1 for n in names if n and n in text) / max(1, len(names))
    labels = [norm(r.label) for r in spec.rows[:12] if r.label]
    body = norm("".join(c.text for row in grid.rows for c in row))
    hit_rows = sum(1 for n in labels if n in body) / max(1, len(labels)) if labels else 0
    return hit + hit_rows


UNIT_LINE = re.compile(r"^(部门|单位|编制单位|填报单位|金额单位|公开\d+表|单位[:：])")


def identify(blocks, i: int, block: TableBlock, profile_hint: Profile | None,
             consumed: set[int]) -> tuple[str | None, str | None, int | None]:
    """(key, printed title, printed number) for a table block; marks the title lines used."""
    before = _preceding_lines(blocks, i)
    for ln in before:
        if UNIT_LINE.match(norm(ln.text)) or re.search(r"单位[:：]\s*(万元|元)", ln.text):
            consumed.add(id(ln))
    candidates: list[tuple[str, Line | None]] = [(block.caption, None)] if block.caption else []
    candidates += [(ln.text, ln) for ln in reversed(before)]
    first_row = (" ".join(dict.fromkeys(c.text for c in block.grid.rows[0] if c.text))
                 if block.grid.rows else "")
    candidates.append((first_row, None))
    for text, ln in candidates:
        key = title_key(text) if text else None
        if key:
            if ln is not None:
                consumed.add(id(ln))
            return key, text.strip(), table_number(text)
    specs = profile_hint.tables if profile_hint else load_profile("hubei-2022").tables
    scored = sorted(((_header_score(block.grid, s), s.key) for s in specs), reverse=True)
    if scored and scored[0][0] >= 1.2:
        return scored[0][1], None, None
    return None, None, None


def _extra_table(n: int, title: str | None, block: TableBlock) -> Table:
    rows = []
    for r, grid_row in enumerate(block.grid.rows):
        cells = {}
        for c, gc in enumerate(grid_row):
            if not gc.text:
                continue
            try:
                value = parse_amount(join_number_spaces(gc.text))
            except ValueError:
                value = None
            cells[f"C{c + 1}"] = Cell(value=value, raw=gc.text, source=gc.source)
        if cells:
            rows.append(Row(key=str(r + 1), label=grid_row[0].text or None, cells=cells,
                            source=grid_row[0].source if grid_row else None))
    return Table(key=f"X-{n}", title=title, rows=rows, source=block.source)


def _notes_after(blocks, i: int, consumed: set[int]) -> list[str]:
    """Notes printed under a table: 注：…, formulas, "本单位无…"."""
    notes = []
    for b in blocks[i + 1:i + 8]:
        if isinstance(b, TableBlock):
            break
        t = b.text.strip()
        numbered_note = bool(notes) and re.match(r"^\d+[.、．]\s*本套报表", t)
        formula = bool(re.search(r"\S\s*[=＝]\s*\(?\S", t)) and len(t) < 240 and "。" not in t[:-1]
        if (re.match(r"^(注|说明|备注)", t) or re.match(r"^\d+\s*[行栏]", t) or "本表" in t[:12] or formula
                or numbered_note or "尾数误差" in t
                or (re.search(r"无.{0,20}(收支|支出|收入|经费)", t) and len(t) < 80)):
            notes.append(re.sub(r"^(注|说明|备注)\s*\d*\s*[:：.、]?\s*", "", t))
            consumed.add(id(b))
        elif notes or len(t) > 60 or PART.match(norm(t)) or SECTION.match(t):
            break
    return notes


# ------------------------------------------------------------------------- narrative
HEADING_MAX = 32  # a longer numbered line is a paragraph that starts with a number


def sections(lines: list[Line], skip: set[int]) -> list[Section]:
    """Headings and the text under them, outside the contents and the tables.

    ``skip`` holds ``id()`` of the lines that are not narrative (contents, table titles, notes).
    """
    out: list[Section] = []
    part = None
    current: Section | None = None
    for ln in lines:
        if id(ln) in skip:
            continue
        text = ln.text.strip()
        if re.match(r"^(图\s*\d+\s*[:：]|■|□|▲|●)", text):
            continue  # a chart caption or legend
        n = norm(text)
        m = PART.match(n)
        level = None
        number = None
        title = text
        if m:
            level, number, title = 1, m.group(1), m.group(2) or text
            part = f"第{m.group(1)}部分"
        elif ((m := SECTION.match(text)) and len(text) <= HEADING_MAX
              and not text.endswith(("。", "；", "，")) and "：" not in text[2:-1]):
            level, number, title = 2, m.group(1), m.group(2)
        elif ((m := SUBSECTION.match(text)) and len(text) <= HEADING_MAX
              and not text.endswith(("；", "，")) and "；" not in text):
            level, number, title = 3, m.group(1), m.group(2)
        elif ln.heading:
            level = ln.heading
        if level is not None:
            current = Section(part=part, number=number, title=title.strip(), level=level, text="",
                              source=ln.source)
            out.append(current)
            continue
        if current is None:
            current = Section(part=None, title="（封面）", level=1, text="", source=ln.source)
            out.append(current)
        sep = "" if current.text and not current.text.endswith(("。", "：", ":", "；")) else "\n"
        if current.text:
            current.text += sep
        current.anchors.append(Anchor(offset=len(current.text), source=ln.source))
        current.text += text
    return out


def _toc_lines(lines: list[Line]) -> set[int]:
    """``id()`` of the table-of-contents lines (they are not narrative)."""
    start = next((i for i, ln in enumerate(lines[:200]) if norm(ln.text).startswith("目录")), None)
    if start is None:
        return set()
    first_parts: dict[str, int] = {}
    end = start + 1
    for i in range(start + 1, min(len(lines), start + 200)):
        m = PART.match(norm(TOC_LEADER.sub("", lines[i].text)))
        if not m:
            continue
        if m.group(1) in first_parts:
            end = i
            break
        first_parts[m.group(1)] = i
    return {id(ln) for ln in lines[start:end]}


# --------------------------------------------------------------------------- assemble
def assemble(doc: Document, profile_id: str | None = None) -> Disclosure:
    issues: list[ReadIssue] = list(doc.issues)
    lines = doc.lines()
    unit, year, kind = detect_identity(lines)
    contents = parse_contents(lines)
    blocks = doc.blocks
    hint = load_profile(profile_id) if profile_id else None
    consumed: set[int] = set()
    found: list[tuple[int, TableBlock, str | None, str | None, int | None]] = []
    for i, b in enumerate(blocks):
        if isinstance(b, TableBlock) and b.grid.rows:
            key, title, number = identify(blocks, i, b, hint, consumed)
            found.append((i, b, key, title, number))
    numbers = {key: num for num, _t, key in contents.tables if key and num}
    for _i, _b, key, _title, number in found:
        if key and number and key not in numbers:
            numbers[key] = number
    order = [key for _n, _t, key in contents.tables if key]
    order += [key for _i, _b, key, _t, _n in found if key and key not in order]
    text = "\n".join(ln.text for ln in lines[:300])
    profile = hint or load_profile(detect_profile(year, numbers, order, text))

    if not found and not contents.tables and not re.search(r"决算|预算", text):
        raise UnreadableDocument("看起来不是部门决算（或预算）文件：没有决算表，也没有“决算”字样",
                                 where=doc.file)
    tables: dict[str, Table] = {}
    extra: list[Table] = []
    evaluations = []
    for i, block, key, title, number in found:
        spec = profile.table(key) if key else None
        if spec is None and looks_like_evaluation(block.grid):
            before = _preceding_lines(blocks, i)
            evaluations.append(parse_evaluation(block.grid, before, unit))
            consumed.update(id(ln) for ln in before)
            continue
        if spec is None:
            first = " ".join(dict.fromkeys(c.text for c in block.grid.rows[0] if c.text))
            extra.append(_extra_table(len(extra) + 1, title or first[:30], block))
            continue
        grid = block.grid
        grid.after = _notes_after(blocks, i, consumed) + grid.after
        table = read_table(grid, spec, issues)
        table.source = block.source
        table.title = title or spec.title
        table.number = number or numbers.get(spec.key) or spec.number
        if spec.key in tables:  # the same table again (a continuation the reader did not join)
            existing = tables[spec.key]
            for row in table.rows:
                if existing.row(row.key) is None:
                    existing.add_row(row)
            existing.notes += [n for n in table.notes if n not in existing.notes]
            continue
        tables[spec.key] = table
    if extra:
        titles = "、".join(f"「{t.title}」" for t in extra)
        issues.append(ReadIssue(level="info", message=f"另有 {len(extra)} 张表不是“{profile.name}”"
                                f"的标准决算表，已原样保留：{titles}。"))
    toc = _toc_lines(lines) | consumed
    d = Disclosure(
        unit=unit or "（未识别单位名称）", year=year or 0, kind=kind,  # type: ignore[arg-type]
        profile=profile.id, tables=[*tables.values(), *extra], performance=evaluations,
        narrative=sections(lines, toc),
        origin=Origin(file=doc.file, format=doc.format, reader=doc.format, sha256=doc.sha256,
                      issues=issues),
    )
    d.contents = [f"{'表' + str(n) + ' ' if n else ''}{t}" for n, t, _k in contents.tables]
    fill_others(d)
    if unit is None:
        issues.append(ReadIssue(message="未能从文件开头识别单位名称。"))
    if year is None:
        issues.append(ReadIssue(message="未能从文件开头识别决算年度。"))
    return d
