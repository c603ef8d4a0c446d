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


def read_document(path: Path, fmt: str):
    """The format-neutral ``Document`` of a published file (PDF, Word, web page, text, sheet)."""
    if fmt == "pdf":
        from juesuan.readers.pdf import read_pdf_document

        return read_pdf_document(path)
    if fmt == "docx":
        from juesuan.readers.docx import read_docx_document

        return read_docx_document(path)
    if fmt == "html":
        from juesuan.readers.html import read_html_document

        return read_html_document(path)
    if fmt in ("xlsx", "xls"):
        from juesuan.readers.workbook import read_spreadsheet_document

        return read_spreadsheet_document(path, fmt)
    from juesuan.readers.text import read_text_document

    return read_text_document(path)


def read(path: Path, profile: str | None = None) -> Disclosure:
    """Read any supported document into a ``Disclosure``."""
    fmt = sniff(path)
    if fmt in ("json", "yaml"):
        from juesuan.readers.structured import read_structured

        d = read_structured(path)
        if profile:
            d.profile = profile
        return d
    if fmt == "xlsx":
        from juesuan.readers.workbook import is_input_workbook, read_workbook

        if is_input_workbook(path):
            return read_workbook(path, profile)
    if fmt in ("doc", "zip"):
        names = {"doc": "旧版 Word（.doc）文件，请另存为 .docx 后再读取", "zip": "压缩包，请解压后再读取"}
        raise UnreadableDocument(f"暂不支持{names[fmt]}", where=path.name)
    from juesuan.readers.assemble import assemble

    return assemble(read_document(path, fmt), profile)


SUPPORTED = (".xlsx", ".xls", ".json", ".yaml", ".yml", ".pdf", ".docx", ".html", ".htm",
             ".txt", ".md")
