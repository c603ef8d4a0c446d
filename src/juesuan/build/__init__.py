"""``juesuan build``: one workbook in, the complete disclosure out (DOCX, PDF, HTML, XLSX).

The steps, in order:

1. read the workbook (blank totals are derived there, ``derive.fill_blanks``);
2. check it — a figure that disagrees with its parts stops the build (``force`` builds anyway,
   with a warning page listing the 错误 at the front);
3. compute every figure the explanations state (``figures``), write the text with the profile's
   Jinja2 template (``story``), draw the charts and collect the glossary;
4. hand the same ``Publication`` to each writer;
5. read the generated text back and check it, so a template slip can never publish a wrong number.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.build.figures import Figures, figures
from juesuan.build.glossary import Entry, glossary
from juesuan.build.story import Block, plain_text, story
from juesuan.catalog import Catalog
from juesuan.check import check
from juesuan.errors import JuesuanError
from juesuan.layout import Grid, grid, text_fields
from juesuan.model import Disclosure
from juesuan.rules import CheckReport, Finding, Severity
from juesuan.tables import Profile, TableSpec, load_profile

FORMATS = ("docx", "pdf", "html", "xlsx")
PLACEHOLDER = "【请填写：{label}】"


@dataclass
class Publication:
    """Everything a writer needs; writers compute nothing."""

    disclosure: Disclosure
    profile: Profile
    figures: Figures
    blocks: list[Block]
    glossary: list[Entry]
    todo: list[str] = field(default_factory=list)  # texts the officer has not written yet
    errors: list[Finding] = field(default_factory=list)  # present only in a forced build
    _charts: dict | None = None

    @property
    def title(self) -> str:
        d = self.disclosure
        return f"{d.unit}{d.year}年度部门决算"

    @property
    def charts(self) -> dict:
        if self._charts is None:
            from juesuan.build.charts import charts

            self._charts = charts(self.figures)
        return self._charts

    def spec(self, key: str) -> TableSpec:
        spec = self.profile.table(key)
        if spec is None:
            raise KeyError(key)
        return spec

    def grid(self, key: str) -> Grid:
        return grid(self.spec(key), self.disclosure.table(key))

    def table_notes(self, key: str) -> list[str]:
        """What is printed under a table: its 注, its printed formulas, the "本单位无…" note."""
        from juesuan.layout import own_notes, printed_notes

        spec, table = self.spec(key), self.disclosure.table(key)
        notes = printed_notes(spec)
        own = own_notes(spec, table)
        if spec.empty_text is not None and (table is None or not table.has_amounts()):
            notes.append("说明：" + (own[-1] if own else spec.empty_text.format(unit=self.disclosure.unit)))
        return notes

    def evaluation(self, index: int):
        return self.figures.evaluations[index]

    def plain_text(self) -> str:
        return plain_text(self.blocks)


@dataclass
class BuildResult:
    report: CheckReport  # the check of the workbook
    files: list[Path] = field(default_factory=list)
    stopped: bool = False  # 错误 found and not forced: nothing was written
    forced: bool = False
    todo: list[str] = field(default_factory=list)
    verification: CheckReport | None = None  # the generated document read back and checked


SENTENCE_END = ("。", "！", "？", "；", "：", "）", "”", "】")


def _askers(texts: dict[str, str], todo: list[str]):
    """``ask``: an officer's text (a placeholder, remembered in ``todo``, when missing);
    ``number``: a count the officer supplies (团组数, 批次…), or a placeholder."""
    labels = dict(text_fields())

    def missing(label: str) -> str:
        if label not in todo:
            todo.append(label)
        return PLACEHOLDER.format(label=label)

    def ask(key: str, label: str | None = None) -> str:
        value = (texts.get(key) or "").strip()
        if not value:
            return missing(label or labels.get(key, key)) + "。"
        return value if value.endswith(SENTENCE_END) else value + "。"

    def number(value, label: str) -> str:
        return missing(label) if value is None else f"{int(value)}"

    return ask, number


def publication(d: Disclosure, profile: Profile | None = None, catalog: Catalog | None = None,
                errors: list[Finding] | None = None) -> Publication:
    profile = profile or load_profile(d.profile)
    catalog = catalog or Catalog(d.year)
    f = figures(d, profile, catalog)
    entries = glossary(d, f.lists["all_items"], catalog, profile.glossary or profile.narrative)
    todo: list[str] = []
    ask, number = _askers(d.texts, todo)
    context = {
        "tables": list(profile.tables),
        "glossary": entries,
        "ask": ask,
        "number": number,
        "errors": errors or [],
    }
    blocks = story(f, profile.narrative, context)
    for e in entries:
        for sub in e.entries:
            if not sub.explained:
                short = sub.term.rsplit("（款）", 1)[-1]
                todo.append(f"名词解释中 {sub.code} {short}的科目说明"
                            f"（「说明文字」中键为 glossary:{sub.code}）")
    return Publication(d, profile, f, blocks, entries, todo, list(errors or []))


def output_name(d: Disclosure) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "", f"{d.unit}{d.year}年度部门决算")
    return name or "部门决算"


def prepare(d: Disclosure, profile: Profile, catalog: Catalog) -> CheckReport:
    """Check the figures the document will be built from (the published text, if any, is not
    used: the build writes its own)."""
    figures_only = copy.copy(d)
    figures_only.narrative = []
    return check(figures_only, profile=profile, catalog=catalog)


def verify(pub: Publication, catalog: Catalog) -> CheckReport:
    """Read the generated text back, as a reader would, and check it with every rule.

    The tables, 绩效 and other figures are the workbook's; what is new is the text.
    """
    from juesuan.model import Source
    from juesuan.readers.assemble import assemble
    from juesuan.readers.document import Document, Line

    d = pub.disclosure
    lines = [Line(d.unit, Source(line=1)), Line(f"{d.year}年度部门决算", Source(line=2))]
    for b in pub.blocks:
        if b.kind in ("heading", "paragraph"):
            lines.append(Line(b.text, Source(line=len(lines) + 1),
                              heading=b.level if b.kind == "heading" else None))
    back = assemble(Document(list(lines), file="build", format="txt"), pub.profile.id)
    back = back.model_copy(update={"tables": d.tables, "others": d.others,
                                   "performance": d.performance, "unit": d.unit, "year": d.year})
    report = check(back, profile=pub.profile, catalog=catalog)
    # only what the text says is new (the figures were checked before the build); the
    # placeholders are the build's to-do list, reported as such
    report.findings = [f for f in report.findings if f.rule.startswith("N.")
                       and not (f.rule == "N.leftover" and (f.found or "").startswith("【请填写"))]
    return report.recount()


def _pdf_in_child(pub: Publication, path: Path, queue) -> None:
    try:
        _write_pdf(pub, path)
        queue.put(None)
    except Exception as exc:  # reported by the parent as one sentence
        queue.put(str(exc) or type(exc).__name__)


def _start_pdf(pub: Publication, path: Path):
    """Lay out the PDF in a forked process while this one writes the other formats (the PDF is
    the slow one; two cores halve the wait).  ``None`` where fork is unavailable."""
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        return None
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_pdf_in_child, args=(pub, path, queue), daemon=True)
    proc.start()
    return proc, queue


def _finish_pdf(job) -> None:
    proc, queue = job
    proc.join()
    try:
        message = queue.get(timeout=1)
    except Exception:  # the child died without a word (killed, out of memory)
        message = f"生成 PDF 的进程异常退出（退出码 {proc.exitcode}）"
    if message:
        raise JuesuanError(f"生成 PDF 失败：{message}")


def build(d: Disclosure, outdir: Path, formats: tuple[str, ...] = FORMATS, *, force: bool = False,
          name: str | None = None, parallel: bool = True) -> BuildResult:
    profile = load_profile(d.profile)
    catalog = Catalog(d.year)
    report = prepare(d, profile, catalog)
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    result = BuildResult(report=report, forced=bool(errors) and force)
    if errors and not force:
        result.stopped = True
        return result
    pub = publication(d, profile, catalog, errors=errors if force else None)
    result.todo = pub.todo
    outdir.mkdir(parents=True, exist_ok=True)
    stem = name or output_name(d)
    if any(b.kind == "chart" for b in pub.blocks):
        _ = pub.charts  # drawn once, before a PDF child is forked, for every format
    job = None
    if parallel and "pdf" in formats and len(formats) > 1:
        job = _start_pdf(pub, outdir / f"{stem}.pdf")
    for fmt in formats:
        path = outdir / f"{stem}.{fmt}"
        if not (fmt == "pdf" and job is not None):
            WRITERS[fmt](pub, path)
        result.files.append(path)
    result.verification = verify(pub, catalog)
    if job is not None:
        _finish_pdf(job)
    return result


def _write_docx(pub: Publication, path: Path) -> None:
    from juesuan.writers.docx import write_docx

    write_docx(pub, path)


def _write_html(pub: Publication, path: Path) -> None:
    from juesuan.writers.html import write_html

    write_html(pub, path)


def _write_pdf(pub: Publication, path: Path) -> None:
    from juesuan.writers.pdf import write_pdf

    write_pdf(pub, path)


def _write_xlsx(pub: Publication, path: Path) -> None:
    from juesuan.writers.tables_xlsx import write_tables_xlsx

    write_tables_xlsx(pub, path)


WRITERS = {"docx": _write_docx, "html": _write_html, "pdf": _write_pdf, "xlsx": _write_xlsx}
