"""What an uploaded file must pass before juesuan reads it.

The type is sniffed from the content (``readers.sniff``), never trusted from the name; a name that
promises one type and content that is another is refused.  Archives — ZIP batches, and the XLSX and
DOCX files that are ZIPs inside — are measured before anything is unpacked (zip bombs).  Every
refusal is one Chinese sentence.  Limits are settings (environment variables, see ``Limits``).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from juesuan.errors import JuesuanError
from juesuan.readers import sniff

ACCEPTED = {"pdf", "docx", "xlsx", "xls", "html", "txt", "json", "yaml"}
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xls": "xls", ".html": "html",
              ".htm": "html", ".txt": "txt", ".md": "txt", ".json": "json", ".yaml": "yaml",
              ".yml": "yaml", ".zip": "zip"}
NAMES = {"pdf": "PDF", "docx": "Word（.docx）", "xlsx": "Excel（.xlsx）", "xls": "Excel（.xls）",
         "html": "网页", "txt": "文本", "json": "JSON", "yaml": "YAML", "zip": "ZIP 压缩包",
         "doc": "旧版 Word（.doc）"}


class UploadRefused(JuesuanError):
    """An upload juesuan will not read (type, size, archive, pages)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024  # one file
    max_pages: int = 500  # PDF pages
    max_files: int = 200  # files in one batch
    max_unpacked: int = 300 * 1024 * 1024  # all members of one archive, unpacked
    max_ratio: int = 200  # unpacked ÷ packed, per member

    @classmethod
    def from_env(cls) -> Limits:
        mb = float(os.environ.get("JUESUAN_MAX_UPLOAD_MB", 50))
        return cls(max_bytes=int(mb * 1024 * 1024),
                   max_pages=int(os.environ.get("JUESUAN_MAX_PAGES", 500)),
                   max_files=int(os.environ.get("JUESUAN_MAX_FILES", 200)))

    @property
    def max_mb(self) -> str:
        return f"{self.max_bytes / 1024 / 1024:g} MB"


def check_archive(path: Path, limits: Limits, what: str) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except zipfile.BadZipFile as exc:
        raise UploadRefused(f"{what}已损坏，无法打开") from exc
    total = 0
    for m in members:
        total += m.file_size
        if m.compress_size and m.file_size / m.compress_size > limits.max_ratio and m.file_size > 1 << 20:
            raise UploadRefused(f"{what}中的「{m.filename}」解压后异常膨胀（压缩炸弹），已拒绝")
    if total > limits.max_unpacked:
        raise UploadRefused(f"{what}解压后共 {total / 1024 / 1024:.0f} MB，超过上限 "
                            f"{limits.max_unpacked / 1024 / 1024:.0f} MB，已拒绝")
    return members


def _looks_binary(path: Path) -> bool:
    head = path.open("rb").read(8192)
    if b"\x00" in head:
        return True
    for enc in ("utf-8", "gb18030"):
        try:
            head.decode(enc)
            return False
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut at the end of the sample
                return False
    return True


def validate(path: Path, filename: str, limits: Limits, *, allow_zip: bool = False) -> str:
    """The sniffed format of an uploaded file, or ``UploadRefused`` with the reason."""
    size = path.stat().st_size
    if size == 0:
        raise UploadRefused("文件是空的")
    if size > limits.max_bytes:
        raise UploadRefused(f"文件大小 {size / 1024 / 1024:.1f} MB，超过上限 {limits.max_mb}")
    claimed = EXTENSIONS.get(Path(filename).suffix.lower())
    try:
        fmt = sniff(path)
    except JuesuanError as exc:
        raise UploadRefused(exc.message) from exc
    if fmt == "txt" and _looks_binary(path):
        fmt = "binary"
    if fmt == "zip" and not allow_zip:
        raise UploadRefused("这是一个压缩包：请用“批量审核”上传，或解压后逐个上传")
    if fmt in ("docx", "xlsx", "zip"):
        check_archive(path, limits, NAMES.get(fmt, "文件"))
    if claimed and claimed != fmt and not (claimed == "txt" and fmt in ("html", "json", "yaml")):
        found = NAMES.get(fmt, "无法识别的二进制内容")
        raise UploadRefused(f"文件名是 {Path(filename).suffix}，但内容是{found}；请确认上传的是原始文件")
    if fmt == "binary":
        raise UploadRefused("无法识别文件类型：内容不是 PDF、Word、Excel、网页或文本")
    if fmt == "doc":
        raise UploadRefused("暂不支持旧版 Word（.doc）文件，请另存为 .docx 后再上传")
    if fmt not in ACCEPTED and fmt != "zip":
        raise UploadRefused(f"不支持的文件类型：{NAMES.get(fmt, fmt)}")
    if fmt == "pdf":
        pages = pdf_pages(path)
        if pages > limits.max_pages:
            raise UploadRefused(f"PDF 共 {pages} 页，超过上限 {limits.max_pages} 页")
    return fmt


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        return len(pdfium.PdfDocument(str(path)))
    except Exception as exc:  # damaged or encrypted
        raise UploadRefused("无法打开 PDF（文件损坏或有密码）") from exc
