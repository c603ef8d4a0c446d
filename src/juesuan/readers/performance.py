"""绩效自评表 (as published) → ``Evaluation``.

The tables vary a lot between places and suffer most in conversion (cells shift, merged labels
repeat or vanish), so this reader works on each row's non-empty cells rather than on fixed
columns: the 预算执行 row gives budget, executed, rate and score; ``年度目标 n:（15分）`` or
``项目绩效总目标（20分）`` / ``项目年度绩效指标（60分）`` start a block; every row under a
三级指标 header is an indicator whose last cell, when it is a plain number, is its score.
"""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.model import Cell, Evaluation, Goal, Indicator
from juesuan.money import parse_amount
from juesuan.readers.document import Line
from juesuan.readers.grid import GCell, Grid
from juesuan.readers.normalize import norm

LEVEL1 = ("产出指标", "效益指标", "满意度指标")
LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
          "生态效益指标", "可持续影响指标", "满意度指标", "服务对象满意度指标")
WEIGHT = re.compile(r"[(（:：]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]?")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?%?")


def looks_like_evaluation(grid: Grid) -> bool:
    text = norm("".join(c.text for row in grid.rows[:40] for c in row))
    return "预算执行" in text and ("三级指标" in text or "年度目标" in text or "绩效指标" in text)


def _cells(row: list[GCell]) -> list[GCell]:
    """The non-empty cells of a row, a merged cell (spread over columns) counted once."""
    out: list[GCell] = []
    for c in row:
        if not c.text.strip():
            continue
        spread = out and out[-1].text == c.text and out[-1].source == c.source and (
            c.source.cell is not None or c.source.bbox is not None)
        if not spread:
            out.append(c)
    return out


def _number(text: str) -> Decimal | None:
    t = norm(text).rstrip("%").replace("分", "")
    try:
        return parse_amount(t)
    except ValueError:
        return None


def _cell(c: GCell | None, value: Decimal | None = None) -> Cell | None:
    if c is None:
        return None
    v = value if value is not None else _number(c.text)
    return Cell(value=v, raw=c.text.strip(), source=c.source) if v is not None else None


def _after(row: list[GCell], label: str) -> GCell | None:
    for i, c in enumerate(row):
        if norm(c.text).startswith(label):
            rest = norm(c.text)[len(label):].lstrip(":：")
            if rest:
                return GCell(rest, c.source)
            return next((d for d in row[i + 1:] if d.text.strip() and norm(d.text) != label), None)
    return None


def _exec_values(rows: list[list[GCell]], i: int) -> list[tuple[GCell, Decimal, bool]]:
    """Numbers of the 预算执行 row: printed inside its header cells, or on the next row."""
    found = []
    for c in rows[i]:
        t = re.sub(r"[(（][^)）]*[)）]", " ", c.text)
        for m in NUMBER.finditer(norm(t)):
            v = _number(m.group(0))
            if v is not None:
                found.append((c, v, m.group(0).endswith("%")))
    if len(found) >= 2:
        return found
    if i + 1 < len(rows):
        nxt = []
        for c in _cells(rows[i + 1]):
            v = _number(c.text)
            if v is not None:
                nxt.append((c, v, c.text.strip().endswith("%")))
        return nxt
    return []


def parse_evaluation(grid: Grid, before: list[Line], unit: str | None) -> Evaluation | None:
    rows = [r for r in grid.rows if any(c.text.strip() for c in r)]
    header_text = norm(" ".join(ln.text for ln in before))
    all_text = norm("".join(c.text for r in rows[:12] for c in r))
    kind = "department" if ("部门整体" in all_text or "整体" in header_text) and "项目名称" not in \
        all_text[:40] else "project"
    ev = Evaluation(kind=kind, name="", source=grid.rows[0][0].source if grid.rows else None)
    for ln in before:
        t = norm(ln.text)
        m = re.search(r"自评得分[:：]?(\d+(?:\.\d+)?)", t)
        if m:
            ev.total_score = Cell(value=Decimal(m.group(1)), source=ln.source)
        m = re.match(r"^(部门名称|部门|单位名称|单位)[:：](.+?)(?:\s*自评得分.*)?$", t)
        if m:
            ev.unit = m.group(2)
    goal: Goal | None = None
    in_indicators = False
    for i, row in enumerate(rows):
        cells = _cells(row)
        if not cells:
            continue
        first = norm(cells[0].text)
        joined = norm("".join(c.text for c in cells))
        if first.startswith("项目名称") and not ev.name:
            c = _after(cells, "项目名称")
            ev.name = c.text.strip() if c else ""
            continue
        if first.startswith("部门名称") and kind == "department":
            c = _after(cells, "部门名称")
            ev.name = ev.name or (c.text.strip() if c else "")
            ev.unit = ev.unit or ev.name
            continue
        if "自评得分" in joined and ev.total_score is None:
            c = _after(cells, "自评得分")
            ev.total_score = _cell(c)
        if first.startswith("预算执行情况") or ("预算数" in joined and "执行数" in joined):
            m = WEIGHT.search(cells[0].text) if first.startswith("预算执行") else None
            if m:
                ev.execution_weight = Cell(value=Decimal(m.group(1)), source=cells[0].source)
            values = _exec_values(rows, i)
            plain = [(c, v) for c, v, pct in values if not pct]
            pcts = [(c, v) for c, v, pct in values if pct]
            weight = ev.execution_weight.value if ev.execution_weight else None
            plain = [(c, v) for c, v in plain if not (weight is not None and v == weight
                                                      and c is cells[0])]
            if len(plain) >= 2:
                ev.budget = _cell(plain[0][0], plain[0][1])
                ev.executed = _cell(plain[1][0], plain[1][1])
            if pcts:
                ev.execution_rate = _cell(pcts[0][0], pcts[0][1])
            if len(plain) >= 3:
                ev.execution_score = _cell(plain[-1][0], plain[-1][1])
            continue
        if re.match(r"^年度目标\d*", first) or first.startswith(("项目绩效总目标", "项目年度绩效指标")):
            m = WEIGHT.search(cells[0].text)
            title = re.sub(r"[(（:：].*$", "", norm(cells[0].text)) or first
            goal = Goal(title=title, source=cells[0].source,
                        weight=Cell(value=Decimal(m.group(1)), source=cells[0].source) if m else None)
            ev.goals.append(goal)
            rest = [c for c in cells[1:] if norm(c.text) not in ("年初设定目标", "全年实际完成情况",
                                                                 "得分", "一级指标")]
            if goal.title == "项目绩效总目标":
                in_indicators = False
                if not rest and i + 2 < len(rows):  # the goal text is on the row after the header
                    rest = _cells(rows[i + 2]) if "年初设定目标" in norm("".join(
                        c.text for c in rows[i + 1])) else _cells(rows[i + 1])
                score = _number(rest[-1].text) if rest else None
                if score is not None and len(rest) >= 2:
                    goal.score = _cell(rest[-1], score)
                    rest = rest[:-1]
                goal.text = rest[0].text.strip() if rest else None
                goal.achieved = rest[1].text.strip() if len(rest) > 1 else None
            elif goal.title.startswith("年度目标"):
                goal.text = " ".join(c.text.strip() for c in rest) or None
                in_indicators = False
            else:
                in_indicators = "三级指标" in joined
            continue
        if "三级指标" in joined:
            in_indicators = True
            if goal is None or goal.title == "项目绩效总目标":
                goal = Goal(title="项目年度绩效指标" if kind == "project" else "年度绩效指标")
                ev.goals.append(goal)
            continue
        if re.match(r"^(偏差大|改进措施|年初设定目标)", first):
            in_indicators = False
            continue
        if in_indicators and goal is not None:
            ind = _indicator(cells)
            if ind is not None:
                goal.indicators.append(ind)
    if not ev.name:
        ev.name = ev.unit or unit or "（未识别名称）"
    return ev


def _indicator(cells: list[GCell]) -> Indicator | None:
    cs = [c for c in cells if norm(c.text) not in ("年度绩效指标", "绩效指标")
          and not norm(c.text).startswith("项目年度绩效指标")]
    level1 = level2 = None
    if cs and norm(cs[0].text).replace(" ", "") in LEVEL1:
        level1 = norm(cs.pop(0).text)
    if cs and norm(cs[0].text) in LEVEL2:
        level2 = norm(cs.pop(0).text)
    if not cs:
        return None
    score = None
    if len(cs) >= 4 and NUMBER.fullmatch(norm(cs[-1].text)) and not cs[-1].text.strip().endswith("%"):
        score = _cell(cs[-1])
        cs = cs[:-1]
    name = cs[0].text.strip()
    target = cs[1].text.strip() if len(cs) > 1 else None
    actual = cs[2].text.strip() if len(cs) > 2 else None
    return Indicator(level1=level1, level2=level2, name=name, target=target, actual=actual,
                     score=score, source=cs[0].source)
