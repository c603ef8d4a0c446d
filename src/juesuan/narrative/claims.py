"""Figures in the explanations (第三部分 情况说明) as structured claims.

Every number the text states becomes a ``Claim``: what it is about (a *subject*: 收支总计,
基本支出, a 类 by name, 公务接待费 …), which quantity (amount, share, change, growth, 完成预算,
年初预算, count), its value and unit, the wording around it (增加/减少, 增长/下降, 大于/小于/持平),
the sentence it came from and where.  Sentences follow the official templates closely, so a small
lexicon of subject phrases plus the section's context resolves almost every figure; what cannot be
tied to a subject keeps ``subject=None`` and is listed as 未核对.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from juesuan.model import Disclosure, Section, Source
from juesuan.readers.normalize import norm

NUMBER = re.compile(r"(?P<num>-?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|%|％|个|辆|人次|批次|次|"
                    r"台\(套\)|台|套|分|万(?!元))?")
SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")
MONEY_UNITS = ("万元", "元", "亿元", "万")
COUNT_UNITS = ("个", "辆", "人次", "批次", "次", "台(套)", "台", "套")


@dataclass
class Claim:
    section: str
    context: str  # section kind: overall/income/expenditure/fiscal/gpb/basic/sangong/…
    sentence: str
    subject: str | None
    quantity: str  # amount, share, change, growth, completion, budget, actual, count, score, percent
    value: Decimal
    unit: str | None
    raw: str
    source: Source | None = None
    direction: str | None = None  # increase / decrease
    comparison: str | None = None  # 大于 / 小于 / 持平: actual vs budget, as the sentence says
    whole: str | None = None  # for shares: the subject of the whole
    label: str | None = None  # the subject as written
    position: int = 0  # offset of the sentence in its section

    @property
    def money(self) -> bool:
        return self.unit in MONEY_UNITS

    @property
    def signed(self) -> Decimal:
        """The value with the sign its wording gives (减少 / 下降 are negative)."""
        return -self.value if self.direction == "decrease" else self.value


# ------------------------------------------------------------------------ lexicon
SUBJECTS: dict[str, str] = {
    "收入支出总计": "grand_total", "收、支总计": "grand_total", "收支总计": "grand_total",
    "收入、支出总计": "grand_total", "收入总计": "grand_total", "支出总计": "grand_total",
    "本年收入合计": "income_total", "收入合计": "income_total",
    "财政拨款收入": "inc_fiscal", "一般公共预算财政拨款收入": "inc_gpb",
    "政府性基金预算财政拨款收入": "inc_gf", "国有资本经营预算财政拨款收入": "inc_sc",
    "上级补助收入": "inc_superior", "事业收入": "inc_business", "经营收入": "inc_operating",
    "附属单位上缴收入": "inc_affiliated", "其他收入": "inc_other",
    "本年支出合计": "expenditure_total", "支出合计": "expenditure_total",
    "基本支出": "basic", "项目支出": "project", "经营支出": "exp_operating",
    "上缴上级支出": "exp_upper", "对附属单位补助支出": "exp_subsidiary",
    "财政拨款收入支出总计": "fiscal_grand_total", "财政拨款收、支总计": "fiscal_grand_total",
    "财政拨款收支总计": "fiscal_grand_total",
    "一般公共预算财政拨款支出": "gpb_expenditure", "一般公共预算财政拨款基本支出": "gpb_basic",
    "人员经费": "personnel", "公用经费": "public",
    "“三公”经费财政拨款支出": "sangong", "“三公”经费支出": "sangong", "“三公”经费": "sangong",
    "三公经费": "sangong",
    "因公出国（境）费": "abroad", "因公出国(境)费": "abroad",
    "公务用车购置及运行维护费": "car", "公务用车购置费": "car_purchase",
    "公务用车购置支出": "car_purchase", "公务用车运行维护费": "car_running",
    "公务用车运行维护支出": "car_running", "公务接待费": "reception",
    "国内公务接待支出": "reception_domestic", "外宾接待支出": "reception_foreign",
    "机关运行经费": "running_cost",
    "政府采购支出总额": "proc_total", "政府采购金额": "proc_total", "政府采购支出": "proc_total",
    "货物采购金额": "proc_goods", "政府采购货物支出": "proc_goods", "货物支出": "proc_goods",
    "工程采购金额": "proc_works", "政府采购工程支出": "proc_works", "工程支出": "proc_works",
    "服务采购金额": "proc_services", "政府采购服务支出": "proc_services", "服务支出": "proc_services",
    "授予中小企业合同金额": "proc_sme", "授予小微企业合同金额": "proc_micro",
    "货物采购授予中小企业合同金额": "proc_sme_goods", "工程采购授予中小企业合同金额": "proc_sme_works",
    "服务采购授予中小企业合同金额": "proc_sme_services",
    "本年收入": "income_total", "本年支出": "expenditure_total",
    "面向中小企业预留政府采购项目预算金额": "proc_reserved_sme",
    "面向小微企业预留政府采购项目预算金额": "proc_reserved_micro",
    "共有车辆": "vehicles", "车辆": "vehicles",
    "100万元（含）以上设备": "equipment_100", "50万元（含）以上设备": "equipment_50",
    "100万元以上设备": "equipment_100", "50万元以上设备": "equipment_50",
    "年初结转和结余": "inc_opening", "年末结转和结余": "exp_closing",
}
VEHICLE_TYPES = ("部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车",
                 "特种专业技术用车", "离退休干部用车", "其他用车")
SUBJECTS.update({t: f"vehicle:{t}" for t in VEHICLE_TYPES})
_PHRASES = sorted(((norm(k), v) for k, v in SUBJECTS.items()), key=lambda x: -len(x[0]))

#: section kinds by words in their title; specific words first
SECTION_KINDS = [
    ("财政拨款收入支出决算总体", "fiscal"), ("收入支出决算总体", "overall"),
    ("三公", "sangong"), ("政府性基金", "fund"), ("国有资本经营", "state_capital"),
    ("机关运行经费", "running_cost"), ("政府采购", "procurement"), ("国有资产", "assets"),
    ("绩效", "performance"), ("一般公共预算财政拨款基本支出", "basic"),
    ("一般公共预算财政拨款支出决算结构", "gpb_structure"),
    ("一般公共预算财政拨款支出决算具体", "gpb_detail"), ("一般公共预算财政拨款支出", "gpb"),
    ("收入决算", "income"), ("支出决算", "expenditure"),
]
DEFAULT_WHOLE = {"income": "income_total", "expenditure": "expenditure_total",
                 "gpb_structure": "gpb_expenditure", "sangong": "sangong"}
_NAME = r"(?:[^，。；、:：()]|\((?![类款项]\))[^()，。]{1,4}\))"  # "(室)" may sit inside a name
CLASS_CHAIN = re.compile(rf"(?P<lei>{_NAME}{{2,30}}?)\(类\)(?:(?P<kuan>{_NAME}{{2,30}}?)\(款\))?"
                         rf"(?:(?P<xiang>{_NAME}{{2,30}}?)\(项\))?")
PROJECT_ITEM = re.compile(r"(?:^|\d+[.、．])\s*(?P<name>[^，。；:：\d][^，。；:：]{2,40}?)\s*"
                          r"\d[\d,]*(?:\.\d+)?万元[，,]?主要(成效|用于)")
EVALUATION = re.compile(r"^(?:\d+[.、．])?\s*(?P<name>[^，。；:：]{2,40}?)(项目)?绩效自评(综述|情况)")


def section_kind(title: str) -> str:
    t = norm(title)
    for words, kind in SECTION_KINDS:
        if words in t:
            return kind
    return "other"


def _subjects(text: str, extra: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """(start, end, key, phrase) of the subject phrases in a normalised sentence."""
    phrases = sorted([*_PHRASES, *extra.items()], key=lambda x: -len(x[0]))
    found: list[tuple[int, int, str, str]] = []
    taken = [False] * len(text)
    for phrase, key in phrases:
        start = 0
        while phrase and (i := text.find(phrase, start)) >= 0:
            if not any(taken[i:i + len(phrase)]):
                found.append((i, i + len(phrase), key, phrase))
                for k in range(i, i + len(phrase)):
                    taken[k] = True
            start = i + 1
    return sorted(found)


def _chains(text: str) -> list[tuple[int, int, str, str]]:
    """``一般公共服务支出(类)财政事务(款)行政运行(项)`` → (start, end, subject, label)."""
    out = []
    for m in CLASS_CHAIN.finditer(text):
        lei = re.sub(r"^.*?(主要用于以下方面|其中)[:：]?", "", m.group("lei"))
        lei = re.sub(r"^[\d.、．\s]*([一二三四五六七八九十]+[、.．])?", "", lei).strip()
        parts = [lei, m.group("kuan") or "", m.group("xiang") or ""]
        label = re.sub(r"^.*?(主要用于以下方面|其中)[:：]?", "", m.group(0))
        label = re.sub(r"^[\d.、．\s]*([一二三四五六七八九十]+[、.．])?", "", label)
        out.append((m.start(), m.end(), "class:" + "|".join(parts), label))
    return out


def _quantity(before: str) -> tuple[str, str | None, str | None]:
    """What the number after ``before`` is: (quantity, direction, whole phrase)."""
    tail = before[-24:]
    if re.search(r"(增长|上升)了?$", tail):
        return "growth", "increase", None
    if re.search(r"(下降|降低)了?$", tail):
        return "growth", "decrease", None
    if re.search(r"增加了?$", tail):
        return "change", "increase", None
    if re.search(r"减少了?$", tail):
        return "change", "decrease", None
    m = re.search(r"占(?P<whole>[^，。；占]{0,30}?)(的)?$", tail)
    if m:
        return "share", None, m.group("whole") or None
    if re.search(r"(完成(年初)?预算(数)?的|执行率(为|达)?)$", tail):
        return "completion", None, None
    if re.search(r"(年初预算|预算数|全年预算数|预算)(为|是)?$", tail):
        return "budget", None, None
    if re.search(r"(支出决算|决算数|决算|执行数)(为|是)?$", tail):
        return "actual", None, None
    if re.search(r"(得分|平均得分)(为)?$", tail):
        return "score", None, None
    return "amount", None, None


def _comparison(sentence: str) -> str | None:
    s = norm(sentence)
    if re.search(r"大于(年初)?预算", s) or "超过预算" in s or "超出预算" in s:
        return "大于"
    if re.search(r"小于(年初)?预算", s) or "低于预算" in s:
        return "小于"
    if re.search(r"(预算数?|预算)?(基本)?持平|等于(年初)?预算", s):
        return "持平"
    return None


def _skip_number(n: str, m: re.Match) -> bool:
    start, end = m.start(), m.end()
    num, unit = m.group("num"), m.group("unit")
    after = n[end:end + 6]
    if n[max(0, start - 1):start].isdigit() or n[max(0, start - 1):start] in (".", ","):
        return True
    if unit is None and (after[:1] in ("年", "月", "日", "号", "天", "栋", "条", "篇", "份", "家",
                                       "期", "小时", "人") or re.fullmatch(r"(19|20)\d{2}", num)):
        return True  # dates and everyday counts
    if unit is None and n[max(0, start - 1):start] in ("第", "表", "（", "(", "图"):
        return True
    if unit is None and re.match(r"^[、.．]", after):
        return True  # list numbering "1."
    # a threshold: 单价 100 万元（含）以上
    return bool(unit == "万元" and re.match(r"^[(（]?含[)）]?以上", after))


def parse_section(section: Section, kind: str, names: dict[str, str]) -> list[Claim]:
    """Claims of one section; ``names`` maps extra subject phrases (the document's own 类/款
    names, project names) to subjects."""
    claims: list[Claim] = []
    context_subject: str | None = None
    offset = 0
    for sentence in [s for s in SENTENCE_END.split(section.text) if s.strip()]:
        pos = section.text.find(sentence, offset)
        offset = max(offset, pos)
        n = norm(sentence.replace("\n", ""))
        chains = _chains(n)
        subjects = [s for s in _subjects(n, names)  # a name inside a chain is part of the chain
                    if not any(a <= s[0] and s[1] <= b for a, b, _, _ in chains)] + chains
        for pattern in (EVALUATION, PROJECT_ITEM):
            for ev in pattern.finditer(n):
                if not any(a <= ev.start("name") < b for a, b, _, _ in subjects):
                    subjects.append((ev.start("name"), ev.end("name"), f"eval:{ev.group('name')}",
                                     ev.group("name")))
        subjects.sort()
        if subjects and any(s[2].startswith(("class:", "eval:")) for s in subjects):
            context_subject = next(s[2] for s in reversed(subjects)
                                   if s[2].startswith(("class:", "eval:")))
        comparison = _comparison(n)
        source = section.source_at(pos) if pos >= 0 else section.source
        for m in NUMBER.finditer(n):
            if _skip_number(n, m):
                continue
            try:
                value = Decimal(m.group("num").replace(",", ""))
            except InvalidOperation:
                continue
            unit = m.group("unit")
            unit = "%" if unit == "％" else ("台(套)" if unit in ("台（套）",) else unit)
            before = n[:m.start()]
            quantity, direction, whole = _quantity(before)
            limit = before.rfind("占") if quantity == "share" else m.start()
            prior = [s for s in subjects if s[1] <= limit]
            subject, label = (prior[-1][2], prior[-1][3]) if prior else (None, None)
            if subject is None or (quantity in ("budget", "actual", "completion", "change",
                                                "growth") and not prior):
                subject = subject or context_subject
            if quantity == "amount" and unit in COUNT_UNITS:
                quantity = "count"
            if quantity in ("amount", "actual", "budget") and unit == "%":
                quantity = "share" if "占" in before[-14:] else "percent"
            if quantity == "share" and unit != "%":
                quantity = "amount"
            if quantity == "share":
                if whole:
                    ws = _subjects(whole, names) + _chains(whole)
                    whole = ws[0][2] if ws else whole
                else:
                    whole = DEFAULT_WHOLE.get(kind)
            if subject is not None and quantity in ("amount", "actual"):
                context_subject = subject
            claims.append(Claim(
                section=section.title, context=kind, sentence=sentence.strip(), subject=subject,
                quantity=quantity, value=value, unit=unit, raw=m.group(0), source=source,
                direction=direction, comparison=comparison, whole=whole, label=label,
                position=pos,
            ))
    return claims


def _document_names(d: Disclosure) -> dict[str, str]:
    """Subjects for the names the document itself uses: its 类/款/项 and its projects."""
    names: dict[str, str] = {}
    t5 = d.table("T5")
    if t5 is not None:
        for r in t5.rows:
            if r.code and r.label and len(r.code) in (3, 5):
                label = norm(r.label)
                names.setdefault(label, f"row:{r.code}")
                if len(r.code) == 5 and not label.endswith("支出"):
                    names.setdefault(label + "支出", f"row:{r.code}")
    for e in d.performance:
        if e.kind == "project" and e.name:
            names.setdefault(norm(e.name), f"eval:{e.name}")
    return names


def in_explanations(section: Section) -> bool:
    return section.part is None or section.part == "第三部分" or "说明" in (section.title or "")


def extract(d: Disclosure) -> list[Claim]:
    """Claims of the explanations (第三部分, or every numbered section when no parts)."""
    names = _document_names(d)
    claims: list[Claim] = []
    parent_kind = "other"
    for s in d.narrative:
        if "名词解释" in s.title or s.title == "（封面）":
            continue
        kind = section_kind(s.title)
        if s.level <= 2:
            parent_kind = kind
        elif kind == "other":
            kind = parent_kind
        if not in_explanations(s) and kind == "other":
            continue
        claims.extend(parse_section(s, kind, names))
    return claims
