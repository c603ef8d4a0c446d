"""文字 rules: the figures and words of the explanations against the tables and themselves.

Each claim (``narrative/claims.py``) is tied to a table cell where it restates one; shares,
changes, growth and completion rates are recomputed; 大于/小于/持平 and 增长/下降 are checked
against the numbers; units, years, names and template leftovers are checked in the text.  Claims
that could not be tied to anything are listed once per section as 未核对.  Every finding quotes
the sentence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from difflib import SequenceMatcher

from juesuan.money import HUNDRED, PERCENT_ROUNDING, ZERO, fmt, round_money
from juesuan.narrative.claims import Claim, extract, in_explanations
from juesuan.narrative.names import chain_code
from juesuan.readers.normalize import norm
from juesuan.rules.context import CellRef, Context, source_fields
from juesuan.rules.findings import Finding, Location, Severity
from juesuan.rules.registry import rule

FAMILY = "文字"
GPB_CONTEXTS = ("gpb", "gpb_detail", "gpb_structure", "basic")


def claims_of(ctx: Context) -> list[Claim]:
    """The claims of the disclosure, extracted once per check."""
    cached = getattr(ctx, "_claims", None)
    if cached is None:
        cached = extract(ctx.disclosure)
        ctx._claims = cached  # type: ignore[attr-defined]
    return cached


def _loc(c: Claim) -> Location:
    return Location(section=c.section, **source_fields(c.source))


def _finding(rule_id: str, sev: Severity, c: Claim, msg: str, expected=None, found=None,
             cells: list[str] | None = None) -> Finding:
    diff = None
    if isinstance(expected, Decimal) and isinstance(found, Decimal):
        diff = fmt(found - expected)
    return Finding(
        rule=rule_id, family=FAMILY, severity=sev, message=msg, location=_loc(c),
        expected=fmt(expected) if isinstance(expected, Decimal) else expected,
        found=fmt(found) if isinstance(found, Decimal) else found, difference=diff,
        quote=c.sentence, cells=cells or [],
    )


# ------------------------------------------------------------------------- resolving
def _role(ctx: Context, table: str, row: str | None, role: str, side: str | None = None):
    spec = ctx.spec(table)
    if spec is None or row is None or ctx.table(table) is None:
        return None
    col = spec.column_by_role(role, side)
    return CellRef(table, row, col.key) if col else None


def _code_for_chain(ctx: Context, subject: str) -> tuple[str | None, list[str]]:
    return chain_code(ctx.disclosure, subject)


def resolve(ctx: Context, c: Claim, subject: str | None = None) -> tuple[Decimal | None, list[CellRef], str]:
    """The table value a claim's subject stands for: (value, cells, how it was found)."""
    subject = subject or c.subject
    if subject is None:
        return None, [], ""
    quantity = c.quantity
    refs: list[CellRef] = []
    t1_inc = lambda row: _role(ctx, "T1", row, "amount", "income")  # noqa: E731
    t1_exp = lambda row: _role(ctx, "T1", row, "amount", "expenditure")  # noqa: E731
    gpb = c.context in GPB_CONTEXTS
    simple = {
        "grand_total": t1_inc("inc_grand"), "income_total": t1_inc("inc_total"),
        "inc_gpb": t1_inc("inc_gpb"), "inc_gf": t1_inc("inc_gf"), "inc_sc": t1_inc("inc_sc"),
        "inc_superior": t1_inc("inc_superior"), "inc_business": t1_inc("inc_business"),
        "inc_operating": t1_inc("inc_operating"), "inc_affiliated": t1_inc("inc_affiliated"),
        "inc_other": t1_inc("inc_other"), "inc_opening": t1_inc("inc_opening"),
        "exp_closing": t1_exp("exp_closing"), "expenditure_total": t1_exp("exp_total"),
        "fiscal_grand_total": _role(ctx, "T4", "inc_grand", "amount", "income"),
        "gpb_expenditure": _role(ctx, "T5", "total", "total"),
        "gpb_basic": _role(ctx, "T5", "total", "basic"),
        "basic": _role(ctx, "T5" if gpb else "T3", "total", "basic"),
        "project": _role(ctx, "T5" if gpb else "T3", "total", "project"),
        "exp_operating": _role(ctx, "T3", "total", "operating"),
        "exp_upper": _role(ctx, "T3", "total", "upper"),
        "exp_subsidiary": _role(ctx, "T3", "total", "subsidiary"),
        "personnel": CellRef("T6", "personnel_total", "C1") if ctx.table("T6") else None,
        "public": CellRef("T6", "public_total", "C1") if ctx.table("T6") else None,
    }
    sangong = {"sangong": "total", "abroad": "abroad", "car": "car",
               "car_purchase": "car_purchase", "car_running": "car_running",
               "reception": "reception"}
    t9 = ctx.table("T9")
    if subject in sangong and t9 is not None and t9.rows:
        prefix = "budget_" if quantity == "budget" else "actual_"
        ref = _role(ctx, "T9", t9.rows[0].key, prefix + sangong[subject])
        refs = [ref] if ref else []
    elif subject == "inc_fiscal":
        refs = [r for r in (t1_inc("inc_gpb"), t1_inc("inc_gf"), t1_inc("inc_sc")) if r]
    elif subject.startswith(("class:", "row:")):
        code = subject[4:] if subject.startswith("row:") else _code_for_chain(ctx, subject)[0]
        if code and len(code) == 5 and c.context == "gpb_structure":
            # "公共卫生支出 353.63": a 款 name for the amount of its 类 (N.name says so)
            own = ctx.value(CellRef("T5", code, "C1"))
            parent = ctx.value(CellRef("T5", code[:3], "C1"))
            if own != c.value and parent == c.value:
                code = code[:3]
        ref = _role(ctx, "T5", code, "total") if code else None
        refs = [ref] if ref else []
    elif simple.get(subject) is not None:
        refs = [simple[subject]]  # type: ignore[list-item]
    if not refs:
        return None, [], ""
    values = [ctx.value(r) for r in refs]
    if all(v is None for v in values) and ctx.table(refs[0].table) is None:
        return None, [], ""
    total = sum((v or ZERO for v in values), ZERO)
    return total, refs, ctx.table_name(refs[0].table)


def _stated_amounts(claims: list[Claim]) -> dict[str, Decimal]:
    """Amounts the text itself gives for subjects without a table (采购, 机关运行经费, 项目…)."""
    out: dict[str, Decimal] = {}
    for c in claims:
        if c.subject and c.quantity in ("amount", "actual") and c.money and c.unit != "元":
            out.setdefault(c.subject, c.value)
    return out


def _value_of(ctx: Context, claims: list[Claim], subject: str | None, like: Claim) -> Decimal | None:
    if subject is None:
        return None
    v, refs, _ = resolve(ctx, like, subject)
    if refs:
        return v
    return _stated_amounts(claims).get(subject)


def _percent_check(rule_id: str, c: Claim, computed: Decimal | None, what: str,
                   cells: list[str]) -> Finding | None:
    if computed is None:
        return None
    expected = round_money(computed)
    stated = c.value
    diff = abs(stated - expected)
    if diff == 0:
        return None
    places = -stated.as_tuple().exponent if stated.as_tuple().exponent < 0 else 0  # type: ignore[operator]
    if diff <= PERCENT_ROUNDING:
        sev, why = Severity.INFO, "差 0.01 个百分点（截尾，或为凑足 100% 调整了尾数）"
    elif places < 2 and stated == round_money(computed, Decimal(1).scaleb(-places)):
        sev, why = Severity.WARNING, f"只保留了 {places} 位小数"
    else:
        sev, why = Severity.ERROR, "与数字不符"
    return _finding(rule_id, sev, c, f"{what}应为 {fmt(expected)}%，文中为 {stated}%：{why}。",
                    expected, stated, cells)


# ----------------------------------------------------------------------------- rules
@rule("N.table", FAMILY, Severity.ERROR, "情况说明中复述的金额应与表中数字一致")
def narrative_table(ctx: Context) -> Iterator[Finding]:
    for c in claims_of(ctx):
        if c.quantity not in ("amount", "actual") or not c.money or c.subject is None:
            continue
        if c.quantity == "actual" and c.context == "gpb_detail" and c.subject.startswith("class:"):
            continue  # 年初预算 item by item: O.budget.actual compares them with table 5
        value, refs, where = resolve(ctx, c)
        if not refs or value is None:
            continue
        if c.unit == "元":
            continue  # N.unit reports the unit itself
        stated = c.value
        diff = abs(stated - value)
        if diff == 0:
            continue
        sev = Severity.INFO if diff <= Decimal("0.01") else Severity.ERROR
        name = c.label or c.subject
        yield _finding(
            "N.table", sev, c,
            f"文中「{name}」为 {fmt(stated)} 万元，{where}中为 {fmt(value)} 万元"
            + ("（尾差）。" if sev is Severity.INFO else "。"),
            value, stated, [str(r) for r in refs])


@rule("N.share", FAMILY, Severity.ERROR, "占比 = 部分 ÷ 整体（四舍五入到 0.01%）")
def narrative_share(ctx: Context) -> Iterator[Finding]:
    claims = claims_of(ctx)
    for c in claims:
        if c.quantity != "share" or c.subject is None or c.whole is None:
            continue
        # the sentence's own amounts first: a share is checked against what the text states
        stated = [x for x in claims if x.sentence == c.sentence and x.money and x.unit != "元"
                  and x.quantity in ("amount", "actual")]
        part = next((x.value for x in stated if x.subject == c.subject), None)
        if c.subject == c.whole:  # "占本年支出合计的 100%": the part is the sentence's amount
            part = stated[0].value if stated else None
        if part is None:
            part = _value_of(ctx, claims, c.subject, c)
        whole = next((x.value for x in claims if x.subject == c.whole and x.money
                      and x.quantity == "amount" and x.context == c.context
                      and x.unit != "元"), None)
        if whole is None:
            whole = _value_of(ctx, claims, c.whole, c)
        if part is None or whole in (None, ZERO):
            continue
        f = _percent_check("N.share", c, part / whole * HUNDRED,
                           f"占比（{fmt(part)} ÷ {fmt(whole)}）", [])
        if f:
            yield f


@rule("N.growth", FAMILY, Severity.ERROR, "增减额与增长率一致：增长率 = 增减额 ÷ 上年数")
def narrative_growth(ctx: Context) -> Iterator[Finding]:
    claims = claims_of(ctx)
    by_sentence: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_sentence[c.sentence].append(c)
    for cs in by_sentence.values():
        for g in (c for c in cs if c.quantity == "growth" and c.subject):
            change = next((c for c in cs if c.quantity == "change" and c.subject == g.subject), None)
            current = next((c.value for c in claims if c.subject == g.subject
                            and c.quantity == "amount" and c.money and c.context == g.context), None)
            if current is None:
                current = _value_of(ctx, claims, g.subject, g)
            if change is None or current is None:
                continue
            prior = current - change.signed
            if change.direction != g.direction:
                yield _finding("N.growth", Severity.ERROR, g,
                               f"同一句中说“{'增加' if change.direction == 'increase' else '减少'}”"
                               f"又说“{'增长' if g.direction == 'increase' else '下降'}”，方向矛盾。")
                continue
            if prior == 0:
                yield _finding("N.growth", Severity.WARNING, g,
                               f"上年数为 0（{fmt(current)} − {fmt(change.value)}），增长率无意义，"
                               f"不应写“增长 {g.value}%”。")
                continue
            f = _percent_check("N.growth", g, abs(change.value) / abs(prior) * HUNDRED,
                               f"增长率（{fmt(change.value)} ÷ 上年数 {fmt(prior)}）", [])
            if f:
                on_current = round_money(abs(change.value) / current * HUNDRED) == g.value
                if f.severity is Severity.ERROR and on_current:
                    f.message += "（文中的数是用本年数而不是上年数作分母算的。）"
                yield f


@rule("N.completion", FAMILY, Severity.ERROR, "完成预算的百分比 = 决算数 ÷ 预算数")
def narrative_completion(ctx: Context) -> Iterator[Finding]:
    claims = claims_of(ctx)
    for c in claims:
        if c.quantity != "completion":
            continue
        same = [x for x in claims if x.sentence == c.sentence and x.subject == c.subject]
        budget = next((x.value for x in same if x.quantity == "budget" and x.money), None)
        actual = next((x.value for x in same if x.quantity == "actual" and x.money), None)
        if budget is None or actual is None:
            continue
        if budget == 0:
            if actual != 0:
                yield _finding("N.completion", Severity.WARNING, c,
                               "预算数为 0，完成预算的百分比无意义。")
            continue
        f = _percent_check("N.completion", c, actual / budget * HUNDRED,
                           f"完成预算的百分比（{fmt(actual)} ÷ {fmt(budget)}）", [])
        if f:
            yield f


@rule("N.comparison", FAMILY, Severity.ERROR, "“大于/小于/持平预算”与决算数、预算数的大小一致")
def narrative_comparison(ctx: Context) -> Iterator[Finding]:
    claims = claims_of(ctx)
    seen = set()
    for c in claims:
        if c.quantity != "actual" or c.comparison is None or (c.sentence, c.subject) in seen:
            continue
        seen.add((c.sentence, c.subject))
        budget = next((x.value for x in claims if x.quantity == "budget" and x.subject == c.subject
                       and abs(x.position - c.position) < 400 and x.money), None)
        if budget is None:
            continue
        actual = c.value
        right = "大于" if actual > budget else ("小于" if actual < budget else "持平")
        if right == c.comparison or (c.comparison == "持平" and abs(actual - budget) <= budget / 100):
            continue
        yield _finding("N.comparison", Severity.ERROR, c,
                       f"决算数 {fmt(actual)}、预算数 {fmt(budget)}，应说“{right}”，文中说“{c.comparison}”。",
                       right, c.comparison)


@rule("N.sum", FAMILY, Severity.ERROR, "列举的各项之和等于总数（项目支出、三公经费各项）")
def narrative_sum(ctx: Context) -> Iterator[Finding]:
    claims = claims_of(ctx)
    # 三公: the items' actual (budget) amounts add up to the total
    for quantity in ("actual", "budget"):
        total = next((c for c in claims if c.subject == "sangong" and c.quantity == quantity
                      and c.money), None)
        parts = {}
        for c in claims:
            if c.subject in ("abroad", "car", "reception") and c.quantity == quantity and c.money:
                parts.setdefault(c.subject, c.value)
        if total is not None and len(parts) == 3:
            s = sum(parts.values(), ZERO)
            if abs(s - total.value) > Decimal("0.03"):
                yield _finding("N.sum", Severity.ERROR, total,
                               f"“三公”经费{'决算' if quantity == 'actual' else '预算'}各项之和为 "
                               f"{fmt(s)}，文中总数为 {fmt(total.value)}。", s, total.value)
    # 项目支出 listed project by project (五(三))
    t5_project, refs, _ = resolve(ctx, Claim("", "gpb", "", "project", "amount", ZERO, "万元", ""))
    listed = [c for c in claims if c.context == "gpb_detail" and c.subject
              and c.subject.startswith("eval:") and c.quantity == "amount" and c.money]
    if listed and t5_project:
        s = sum((c.value for c in listed), ZERO)
        if abs(s - t5_project) > Decimal("0.01") * len(listed):
            yield _finding("N.sum", Severity.WARNING, listed[0],
                           f"列举的 {len(listed)} 个项目金额之和为 {fmt(s)}，表5 项目支出为 "
                           f"{fmt(t5_project)}。", t5_project, s, [str(r) for r in refs])


@rule("N.unit", FAMILY, Severity.ERROR, "金额单位：万元写成元、万元超过两位小数、“万”后缺“元”")
def narrative_unit(ctx: Context) -> Iterator[Finding]:
    unit = ctx.disclosure.money_unit
    for c in claims_of(ctx):
        if c.unit == "元" and unit == "万元" and c.value < 100000:
            yield _finding("N.unit", Severity.ERROR, c,
                           f"“{c.raw}”的单位应为万元（全文金额以万元为单位），文中写作元。", "万元", "元")
        elif c.unit == "万元" and -c.value.as_tuple().exponent > 2:  # type: ignore[operator]
            yield _finding("N.unit", Severity.WARNING, c,
                           f"“{c.raw}”以万元为单位却有 {-c.value.as_tuple().exponent} 位小数，"  # type: ignore[operator]
                           "应保留两位小数。")
        elif c.unit == "万" and c.money:
            yield _finding("N.unit", Severity.INFO, c, f"“{c.raw}”缺少“元”字，应写作“万元”。")


YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")


@rule("N.year", FAMILY, Severity.WARNING, "年份：标题和说明中的年度应为本年度（比较时为上年度）")
def narrative_year(ctx: Context) -> Iterator[Finding]:
    d = ctx.disclosure
    if not d.year:
        return
    ok = {d.year - 1, d.year, d.year + 1}
    for s in d.narrative:
        if not in_explanations(s):
            continue
        for m in YEAR_RE.finditer(s.title):
            y = int(m.group(1))
            if y != d.year:
                yield Finding(rule="N.year", family=FAMILY, severity=Severity.ERROR,
                              message=f"标题「{s.title}」中的年度为 {y}，本决算为 {d.year} 年度。",
                              location=Location(section=s.title, **source_fields(s.source)),
                              expected=str(d.year), found=str(y), quote=s.title)
        text = s.text
        for m in re.finditer(r"与\s*((?:19|20)\d{2})\s*年度?(决算)?相比|比\s*((?:19|20)\d{2})\s*年度?", text):
            y = int(m.group(1) or m.group(3))
            if y != d.year - 1:
                yield Finding(rule="N.year", family=FAMILY, severity=Severity.ERROR,
                              message=f"与上年比较时写的是 {y} 年，上年应为 {d.year - 1} 年。",
                              location=Location(section=s.title, **source_fields(s.source_at(m.start()))),
                              expected=str(d.year - 1), found=str(y), quote=_sentence_at(text, m.start()))
        for m in YEAR_RE.finditer(text):
            y = int(m.group(1))
            if y not in ok and not re.match(r"\s*年\s*\d{1,2}\s*月", text[m.end() - 1:m.end() + 4]):
                yield Finding(rule="N.year", family=FAMILY, severity=Severity.WARNING,
                              message=f"说明中出现了 {y} 年，本决算为 {d.year} 年度，请核实是否为往年文字。",
                              location=Location(section=s.title, **source_fields(s.source_at(m.start()))),
                              expected=str(d.year), found=str(y), quote=_sentence_at(text, m.start()))


def _sentence_at(text: str, pos: int) -> str:
    start = max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos)) + 1
    end = text.find("。", pos)
    return text[start:end + 1 if end >= 0 else len(text)].strip()


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, norm(a), norm(b)).ratio()


@rule("N.name", FAMILY, Severity.ERROR, "名称：类/款/项名称与表中一致，项目名称与绩效自评表一致")
def narrative_name(ctx: Context) -> Iterator[Finding]:
    claims = claims_of(ctx)
    seen: set[str] = set()
    for c in claims:
        if not c.subject or c.subject in seen:
            continue
        if c.subject.startswith("class:"):
            seen.add(c.subject)
            code, wrong = _code_for_chain(ctx, c.subject)
            if code and wrong:
                yield _finding("N.name", Severity.ERROR, c,
                               f"科目 {code} 的层级名称写错了：{'；'.join(wrong)}。")
        elif c.subject.startswith("row:") and c.context == "gpb_structure":
            seen.add(c.subject)
            code = c.subject[4:]
            value = ctx.value(CellRef("T5", code, "C1"))
            t5 = ctx.table("T5")
            if len(code) == 5 and t5 is not None and c.money:
                parent = t5.row(code[:3])
                if parent is not None and parent.value("C1") == c.value and value != c.value:
                    yield _finding("N.name", Severity.ERROR, c,
                                   f"{fmt(c.value)} 万元是「{parent.label}」（类）的金额，文中却用了款名"
                                   f"「{c.label}」。", parent.label, c.label)
    evals = [e for e in ctx.disclosure.performance if e.kind == "project"]
    names = {e.name for e in evals}
    reported: set[str] = set()
    for c in claims:
        if not c.subject or not c.subject.startswith("eval:"):
            continue
        name = c.subject[5:]
        if not evals or name in names or name in reported:
            continue
        amounts = {x.value for x in claims if x.sentence == c.sentence and x.money}
        by_amount = [e for e in evals if any(v is not None and v.value in amounts
                                             for v in (e.budget, e.executed))]
        best = by_amount[0] if len(by_amount) == 1 else max(evals, key=lambda e: _similar(e.name, name))
        if not by_amount and _similar(best.name, name) < 0.6:
            continue
        reported.add(name)
        short = norm(name) in norm(best.name) or norm(best.name) in norm(name)
        yield _finding("N.name", Severity.INFO if short else Severity.WARNING, c,
                       f"项目「{name}」在绩效自评表中叫「{best.name}」"
                       + ("（简称，建议与自评表一致）。" if short else "，同一项目的名称应当一致。"),
                       best.name, name)
    yield from _unit_names(ctx)


def _unit_names(ctx: Context) -> Iterator[Finding]:
    d = ctx.disclosure
    unit = norm(d.unit)
    if not unit or unit.startswith("（"):
        return
    pattern = re.compile(r"(?:^|[。；\n])\s*(?P<name>[\u4e00-\u9fff（）()]{4,30}?)\s*(?:19|20)\d{2}\s*年度")
    seen = set()
    for s in d.narrative:
        if not in_explanations(s):
            continue
        for m in pattern.finditer(s.text):
            name = norm(m.group("name"))
            if (name in seen or name in unit or unit in name
                    or name.startswith(("本", "我", "该"))):
                continue
            if not re.search(r"(局|委|办|院|所|中心|学校|医院|政府|街道|镇|乡|站|队|馆|会|处|室|部)$", name):
                continue
            seen.add(name)
            yield Finding(rule="N.name", family=FAMILY, severity=Severity.WARNING,
                          message=f"说明中写的单位是「{m.group('name')}」，本文件的单位是「{d.unit}」。",
                          location=Location(section=s.title, **source_fields(s.source_at(m.start()))),
                          expected=d.unit, found=m.group("name"), quote=_sentence_at(s.text, m.end()))


LEFTOVERS = [
    (re.compile(r"[XＸ×]{2,}"), "模板占位符“XX”"),
    (re.compile(r"。{3,}|…{3,}"), "模板省略号"),
    (re.compile(r"[（(]如持平作持平表述[)）]"), "模板提示语“（如持平作持平表述）”"),
    (re.compile(r"[（(]不涉及的不列[)）]"), "模板提示语“（不涉及的不列）”"),
    (re.compile(r"增加[（(]减少[)）]|减少[（(]增加[)）]|增长[（(]下降[)）]|下降[（(]增长[)）]|"
                r"大于[（(]小于[)）]|小于[（(]大于[)）]"), "未选定的模板选项“增加（减少）”"),
    (re.compile(r"[（(]或[^）)]{0,20}[)）]"), "模板选项“（或…）”"),
    (re.compile(r"占\s*%|占\s*[，。；]"), "占比的数字缺失（“占 %”）"),
    (re.compile(r"【请填写[^】]*】"), "待填写的内容（juesuan build 留下的“【请填写…】”）"),
]


@rule("N.leftover", FAMILY, Severity.ERROR, "模板遗留：XX、。。。、“（如持平作持平表述）”、“占 %”")
def narrative_leftover(ctx: Context) -> Iterator[Finding]:
    d = ctx.disclosure
    for s in d.narrative:
        if "。。" in s.text and not re.search(r"。{3,}", s.text):
            yield Finding(rule="N.leftover", family=FAMILY, severity=Severity.INFO,
                          message="句末有重复的句号“。。”。",
                          location=Location(section=s.title, **source_fields(s.source)),
                          found="。。", quote=_sentence_at(s.text, s.text.find("。。")))
    for s in d.narrative:
        for pattern, what in LEFTOVERS:  # one finding per section and kind, with the count
            hits = [("title", m) for m in pattern.finditer(s.title)]
            hits += [("text", m) for m in pattern.finditer(s.text)]
            if not hits:
                continue
            where, m = hits[0]
            text = s.title if where == "title" else s.text
            count = f"{len(hits)} 处" if len(hits) > 1 else ""
            yield Finding(rule="N.leftover", family=FAMILY, severity=Severity.ERROR,
                          message=f"「{s.title}」中留有{count}{what}，应替换为实际内容。",
                          location=Location(section=s.title, **source_fields(
                              s.source_at(m.start()) if where == "text" else s.source)),
                          found=m.group(0), quote=_sentence_at(text, m.start()))


@rule("N.items", FAMILY, Severity.WARNING, "基本支出说明列举的经济科目与表6 中有金额的科目一致")
def narrative_items(ctx: Context) -> Iterator[Finding]:
    t6 = ctx.table("T6")
    spec = ctx.spec("T6")
    if t6 is None or spec is None:
        return
    claims = claims_of(ctx)
    for group in spec.groups:
        subject = "personnel" if group.key == "personnel" else "public"
        c = next((x for x in claims if x.subject == subject and x.context == "basic"), None)
        if c is None:
            continue
        m = re.search(r"主要包括[:：](?P<list>[^；。]+)", c.sentence)
        if not m or "等" in m.group("list")[-3:]:
            continue
        listed = {norm(x) for x in re.split(r"[、，,]", m.group("list")) if x.strip()}
        rows = [r for r in t6.rows if r.code and len(r.code) == 5 and r.code[:3] in group.classes]
        with_amount = {norm(r.label or ""): r for r in rows if r.value("C1")}
        all_names = {norm(r.label or ""): r for r in rows}
        extra = [x for x in listed if x in all_names and x not in with_amount]
        missing = [r.label for n, r in with_amount.items() if n not in listed]
        if extra or missing:
            parts = []
            if extra:
                parts.append(f"列举了表6中没有金额的「{'、'.join(all_names[x].label for x in extra)}」")
            if missing:
                parts.append(f"没有列举表6中有金额的「{'、'.join(missing)}」")
            yield _finding("N.items", Severity.WARNING, c, f"{group.label}的说明{'，'.join(parts)}。")


@rule("N.unchecked", FAMILY, Severity.INFO, "未能与表格核对的数字（列出供人工核对）")
def narrative_unchecked(ctx: Context) -> Iterator[Finding]:
    claims = claims_of(ctx)
    stated = _stated_amounts(claims)
    pending: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if not c.money or c.unit == "元" or c.quantity not in ("amount", "actual", "budget"):
            continue
        if c.subject and (resolve(ctx, c)[1] or c.subject in stated or c.quantity == "budget"):
            continue
        pending[c.section].append(c)
    for section, cs in pending.items():
        quotes = "；".join(dict.fromkeys(f"“{c.raw}”" for c in cs))
        yield Finding(rule="N.unchecked", family=FAMILY, severity=Severity.INFO,
                      message=f"「{section}」中有 {len(cs)} 个金额未能与表格核对（未核对）：{quotes}。",
                      location=_loc(cs[0]), quote=cs[0].sentence)
