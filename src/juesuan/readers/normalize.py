"""Text normalisation shared by every reader.

Published disclosures arrive with full-width digits, radical glyphs in place of characters,
traditional characters (with pinyin in brackets, on some mirror sites), stray spaces inside
numbers and advertising strings injected into headings.  ``clean_line`` returns the text as a
person would read it; ``norm`` (NFKC, no spaces) is for matching.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# CJK Radicals Supplement glyphs that NFKC leaves alone, mapped to the ordinary character
_RADICALS = str.maketrans({
    "⺠": "民", "⻓": "长", "⻔": "门", "⻋": "车", "⻅": "见", "⻚": "页", "⻢": "马", "⻛": "风",
    "⻥": "鱼", "⻦": "鸟", "⻄": "西", "⻘": "青", "⻝": "食", "⻨": "麦", "⻩": "黄", "⻬": "齐",
    "⻰": "龙", "⻳": "龟", "⻮": "竹", "⺟": "母", "⺫": "目", "⻤": "鬼", "⻙": "韦", "⻜": "飞",
    "⻆": "角", "⻉": "贝", "⻊": "足", "⻎": "镸", "⺁": "厂", "⺇": "几",
})
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\)")
#: words that only advertising puts into a government page
_SPAM_WORDS = ("下注", "投注", "博彩", "娱乐城", "彩票", "棋牌", "赌场", "真人视讯", "百家乐", "开户送",
               "app下载", "APP下载", "体育官网")
_SPAM = re.compile(r"[^\s，。、；：:]{0,30}(" + "|".join(map(re.escape, _SPAM_WORDS))
                   + r")[^\s，。；：:]{0,30}[:：]?")
_SPACED_NUMBER = re.compile(r"(?<=\d)[ \u3000](?=\d{3}\b)|(?<=\d,)\s+(?=\d)|(?<=\d)\s+(?=\.\d)")


@cache
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency; keep reading without it
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    conv = _t2s()
    return conv.convert(text) if conv is not None else text


def looks_traditional(text: str) -> bool:
    """True when converting to simplified characters changes more than 1% of the CJK text."""
    cjk = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if len(cjk) < 20:
        return False
    sample = "".join(cjk)
    changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=False) if a != b)
    return changed / len(cjk) > 0.01


def strip_spam(text: str) -> str:
    """Remove injected advertising (``欧洲杯下注平台_…|官网:``) from a line."""
    if not any(w in text for w in _SPAM_WORDS):
        return text
    return _SPAM.sub("", text).strip()


STRAY_QUOTE = re.compile(r"(?:(?<=\s)|^)[“”‘’]+(?=\s|$)")


def clean_line(text: str, traditional: bool = False) -> str:
    """The line as a person reads it: radicals fixed, pinyin and ads removed, simplified."""
    t = text.translate(_RADICALS)
    t = unicodedata.normalize("NFKC", t) if any("\u2f00" <= ch <= "\u2fdf" for ch in t) else t
    t = t.replace("\u00a0", " ").replace("\ufeff", "")
    t = re.sub(r"(?<![A-Za-z0-9])\?+(?![A-Za-z0-9])", " ", t).strip()  # lost NBSP/indent bytes
    # quote marks a PDF producer drew in a fallback font come out displaced, alone between
    # spaces ("年初预算 ” 为"): they carry no meaning there and break the sentence
    t = STRAY_QUOTE.sub(" ", t).strip()
    if traditional:
        t = to_simplified(_PINYIN.sub("", t))
    t = strip_spam(t)
    return t


def norm(text: str) -> str:
    """For matching: NFKC (full-width digits and brackets become ASCII), no whitespace."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    return t.replace("“", '"').replace("”", '"')


def join_number_spaces(text: str) -> str:
    """``1, 537.4`` → ``1,537.4``; ``2 940.05`` → ``2940.05`` (spaces a converter put inside)."""
    return _SPACED_NUMBER.sub("", text)
