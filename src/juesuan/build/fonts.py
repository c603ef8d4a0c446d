"""Chinese fonts for charts and PDF output.

PDF and chart text must be set in a font that has the CJK glyphs and can be embedded.  TrueType
fonts subset fast in WeasyPrint (Noto CJK's CFF outlines take seconds), so they come first; the
Debian packages are installed by ``scripts/system-deps.sh``.  DOCX names Windows fonts instead
(宋体, 黑体, 仿宋): the document is opened on the officer's machine, not rendered here.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# family name, file (Debian path), role
CANDIDATES = (
    ("AR PL UMing CN", "/usr/share/fonts/truetype/arphic/uming.ttc", "serif"),
    ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "sans"),
    ("Noto Serif CJK SC", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "serif"),
    ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "sans"),
)


@dataclass(frozen=True)
class Font:
    family: str
    path: Path


def _fc_list(family: str) -> Path | None:
    """Where fontconfig has ``family`` installed (``fc-match`` would answer with a fallback)."""
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(["fc-list", family, "file"], capture_output=True, text=True,
                             timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    first = out.splitlines()[0].strip().rstrip(":") if out else ""
    return Path(first) if first else None


@cache
def cjk_font(role: str) -> Font | None:
    """The first installed CJK font of ``role`` (serif: body text, sans: headings and charts)."""
    for family, path, r in CANDIDATES:
        if r == role and Path(path).exists():
            return Font(family, Path(path))
    for family, _, r in CANDIDATES:  # installed elsewhere (another distribution)
        p = _fc_list(family) if r == role else None
        if p is not None and p.exists():
            return Font(family, p)
    return None


def missing_fonts_message() -> str:
    return ("没有找到中文字体，PDF 和图表中的汉字可能无法显示。"
            "请安装 fonts-arphic-uming 和 fonts-wqy-microhei（运行 make setup 会自动安装）。")
