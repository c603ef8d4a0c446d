"""Readers: one per format, each producing the canonical ``Disclosure``.

``read(path)`` sniffs the file's real type from its first bytes (never trusting the name alone)
and dispatches.  Every reader records what it could not read in ``disclosure.origin.issues``.
"""

from __future__ import annotations

from pathlib import Path

from juesuan.errors import UnreadableDocument
from juesuan.model import Disclosure


def sniff(path: Path) -> str:
    """The format of a file from its content: xlsx, xls, pdf, docx, json, yaml, html, txt."""
    try:
        head = path.open("rb").read(4096)
    except OSError as exc:
        raise UnreadableDocument(f"无法打开文件：{exc.strerror}", where=str(path)) from exc
    if not head:
        raise UnreadableDocument("文件是空的", where=path.name)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            names = zipfile.ZipFile(path).namelist()
        except zipfile.BadZipFile as exc:
            raise UnreadableDocument("文件已损坏（压缩结构无效）", where=path.name) from exc
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls" if path.suffix.lower() != ".doc" else "doc"
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff").lstrip()
    if text.startswith("{") and path.suffix.lower() == ".json":
        return "json"
    if path.suffix.lower() in (".yaml", ".yml") and "juesuan/disclosure" in text:
        return "yaml"
    if text.startswith("{") and "juesuan/disclosure" in text:
        return "json"
    lowered = text[:1024].lower()
    if lowered.startswith("<!doctype html") or "<html" in lowered or "<table" in lowered:
        return "html"
    return "txt"


def read(path: Path, profile: str | None = None) -> Disclosure:
    """Read any supported document into a ``Disclosure``."""
    fmt = sniff(path)
    if fmt == "xlsx":
        from juesuan.readers.workbook import read_workbook

        return read_workbook(path, profile)
    if fmt == "pdf":
        from juesuan.readers.assemble import assemble
        from juesuan.readers.pdf import read_pdf_document

        return assemble(read_pdf_document(path), profile)
    if fmt == "txt":
        from juesuan.readers.assemble import assemble
        from juesuan.readers.text import read_text_document

        return assemble(read_text_document(path), profile)
    if fmt in ("json", "yaml"):
        from juesuan.readers.structured import read_structured

        d = read_structured(path)
        if profile:
            d.profile = profile
        return d
    names = {"pdf": "PDF", "docx": "Word", "xls": "旧版 Excel（.xls）", "html": "网页",
             "txt": "文本", "doc": "旧版 Word（.doc）", "zip": "压缩包"}
    raise UnreadableDocument(f"暂不支持读取{names.get(fmt, fmt)}文件", where=path.name)


SUPPORTED = (".xlsx", ".json", ".yaml", ".yml", ".pdf", ".txt", ".md")
