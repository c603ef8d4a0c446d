"""The pages people use: check, build, batch, library, unit, compare, drill-down."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from juesuan import __version__
from juesuan.model import Disclosure
from juesuan.rules import CheckReport
from juesuan.web import security
from juesuan.web.work import build_upload, check_upload, document_or_404, job_view, receive, store_of

router = APIRouter(include_in_schema=False)
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
SEVERITIES = ("错误", "警告", "提示")
MEDIA = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument."
         "wordprocessingml.document", "xlsx": "application/vnd.openxmlformats-officedocument."
         "spreadsheetml.sheet", "xls": "application/vnd.ms-excel", "html": "text/html",
         "txt": "text/plain", "json": "application/json", "yaml": "text/yaml"}


def money(v) -> str:
    if v in (None, ""):
        return ""
    return f"{Decimal(str(v)):,.2f}"


TEMPLATES.env.filters["money"] = money
TEMPLATES.env.globals["version"] = __version__


def render(request: Request, name: str, context: dict | None = None, status: int = 200) -> HTMLResponse:
    settings = request.app.state.settings
    ctx = {"csrf": security.csrf_token(request), "token_required": bool(settings.token),
           "signed_in": security.authorized(request, settings.token),
           "limits": request.app.state.store.limits, **(context or {})}
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)


_store = store_of
_doc = document_or_404


def _guard(request: Request, csrf: str | None) -> None:
    security.check_form(request, csrf)
    security.require_token(request)


# ------------------------------------------------------------------------------ home
@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    recent, _ = _store(request).search(limit=8)
    return render(request, "index.html", {"recent": recent})


@router.post("/check")
async def check_page(request: Request, file: UploadFile = File(...), csrf: str = Form("")):
    _guard(request, csrf)
    store = _store(request)
    tmp = await receive(store, file)
    doc = await run_in_threadpool(check_upload, store, tmp, file.filename or "未命名",
                                  request.app.state.pool)
    return RedirectResponse(f"/documents/{doc.id}", status_code=303)


# ---------------------------------------------------------------------------- report
def _report(doc) -> CheckReport | None:
    return CheckReport.model_validate_json(doc.report) if doc.report else None


@lru_cache(maxsize=16)  # a report and its table/page views parse the same JSON once
def _disclosure_cached(doc_id: str, checked_at: str, text: str) -> Disclosure:
    return Disclosure.from_json(text)


def _disclosure(doc) -> Disclosure | None:
    if not doc.disclosure:
        return None
    return _disclosure_cached(doc.id, str(doc.checked_at), doc.disclosure)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def report_page(request: Request, doc_id: str):
    doc = _doc(request, doc_id)
    report = _report(doc)
    d = _disclosure(doc)
    groups: dict[str, list] = {s: [] for s in SEVERITIES}
    families: list[str] = []
    for f in report.findings if report else []:
        groups[f.severity.value].append(f)
        if f.family not in families:
            families.append(f.family)
    tables = [(t.key, t.title or t.key) for t in d.tables] if d else []
    stale = doc.rules_version is not None and doc.rules_version != _current_rules()
    outputs = json.loads(doc.outputs) if doc.outputs else []
    return render(request, "report.html", {"doc": doc, "report": report, "groups": groups,
                                           "families": families, "tables": tables, "d": d,
                                           "stale": stale, "outputs": outputs})


@cache
def _current_rules() -> str:
    from juesuan.store import rules_version

    return rules_version()


@router.get("/documents/{doc_id}/report.{fmt}")
def report_download(request: Request, doc_id: str, fmt: str):
    from juesuan.writers.report import to_csv, to_json, write_xlsx

    doc = _doc(request, doc_id)
    report = _report(doc)
    if report is None:
        raise HTTPException(404, "这份文件没有审核结果。")
    stem = Path(doc.filename).stem + "-审核结果"
    headers = {"Content-Disposition": _disposition(f"{stem}.{fmt}")}
    if fmt == "json":
        return Response(to_json(report), media_type="application/json", headers=headers)
    if fmt == "csv":
        return Response(("\ufeff" + to_csv([report])).encode("utf-8"), media_type="text/csv",
                        headers=headers)
    if fmt == "xlsx":
        tmp = _store(request).data_dir / "tmp" / f"{doc.id}-report.xlsx"
        write_xlsx([report], tmp)
        data = tmp.read_bytes()
        tmp.unlink(missing_ok=True)
        return Response(data, media_type=MEDIA["xlsx"], headers=headers)
    raise HTTPException(404, "只能下载 json、csv 或 xlsx。")


def _disposition(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"download\"; filename*=UTF-8''{quote(name)}"


@router.get("/documents/{doc_id}/original")
def original(request: Request, doc_id: str):
    doc = _doc(request, doc_id)
    path = _store(request).path(doc)
    if not doc.stored_name or not path.exists():
        raise HTTPException(404, "原始文件不存在。")
    return FileResponse(path, media_type=MEDIA.get(doc.format, "application/octet-stream"),
                        headers={"Content-Disposition": _disposition(doc.filename)})


@router.get("/documents/{doc_id}/build/{name}")
def built_file(request: Request, doc_id: str, name: str):
    doc = _doc(request, doc_id)
    path = _store(request).output_path(doc, name)
    if path is None or not path.exists():
        raise HTTPException(404, "没有这个文件。")
    return FileResponse(path, media_type=MEDIA.get(path.suffix[1:], "application/octet-stream"),
                        headers={"Content-Disposition": _disposition(name)})


@router.post("/documents/{doc_id}/recheck")
async def recheck(request: Request, doc_id: str, csrf: str = Form("")):
    _guard(request, csrf)
    _doc(request, doc_id)
    await run_in_threadpool(_store(request).analyze, doc_id, request.app.state.pool)
    return RedirectResponse(f"/documents/{doc_id}", status_code=303)


@router.post("/documents/{doc_id}/delete")
def delete(request: Request, doc_id: str, csrf: str = Form("")):
    _guard(request, csrf)
    if not _store(request).delete(doc_id):
        raise HTTPException(404, "没有这份文件。")
    return RedirectResponse("/library", status_code=303)


# ------------------------------------------------------------------ tables and pages
def _highlights(request: Request) -> set[tuple[str, str]]:
    """``?hl=T5:2010601:C1&hl=…`` → {(row, col)} for the table shown."""
    out = set()
    for h in request.query_params.getlist("hl"):
        parts = h.split(":")
        if len(parts) == 3:
            out.add((parts[1], parts[2]))
    return out


@router.get("/documents/{doc_id}/tables/{key}", response_class=HTMLResponse)
def table_page(request: Request, doc_id: str, key: str):
    doc = _doc(request, doc_id)
    d = _disclosure(doc)
    table = d.table(key) if d else None
    if table is None:
        raise HTTPException(404, "文件中没有这张表。")
    columns: list[str] = []
    for r in table.rows:
        for c in r.cells:
            if c not in columns:
                columns.append(c)
    columns.sort(key=lambda c: (len(c), c))
    labels = _column_labels(d, key)
    report = _report(doc)
    hl = _highlights(request)
    expected = {}
    for f in report.findings if report else []:
        for ref in f.cells[:1]:
            t, row, col = ([*ref.split(":"), "", ""])[:3]
            if t == key and (row, col) in hl and f.expected and f.family != "文字":
                expected[(row, col)] = f.expected
    return render(request, "table.html", {"doc": doc, "table": table, "columns": columns,
                                          "labels": labels, "hl": hl, "expected": expected,
                                          "money": money})


def _column_labels(d: Disclosure, key: str) -> dict[str, str]:
    from juesuan.tables import load_profile

    try:
        spec = load_profile(d.profile).table(key)
    except Exception:
        spec = None
    if spec is None:
        return {}
    return {c.key: "·".join((*c.path, c.header)) + (f"（{c.line}栏）" if c.line else "")
            for c in spec.columns}


@router.get("/documents/{doc_id}/pages/{page}", response_class=HTMLResponse)
def page_view(request: Request, doc_id: str, page: int):
    doc = _doc(request, doc_id)
    if doc.format != "pdf" or not doc.pages or not 1 <= page <= doc.pages:
        raise HTTPException(404, "没有这一页。")
    d = _disclosure(doc)
    boxes = []
    for h in request.query_params.getlist("hl"):
        t, row, col = ([*h.split(":"), "", ""])[:3]
        table = d.table(t) if d else None
        cell = table.cell(row, col) if table else None
        if cell and cell.source and cell.source.page == page and cell.source.bbox:
            boxes.append(cell.source.bbox)
    box = request.query_params.get("box", "")
    try:
        parts = tuple(float(x) for x in box.split(","))
        if len(parts) == 4:
            boxes.append(parts)
    except ValueError:
        pass
    width, height = _page_size(_store(request).path(doc), page)
    return render(request, "page.html", {"doc": doc, "page": page, "boxes": boxes, "width": width,
                                         "height": height})


def _page_size(path: Path, page: int) -> tuple[float, float]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    return pdf[page - 1].get_size()


@router.get("/documents/{doc_id}/pages/{page}/image.png")
def page_png(request: Request, doc_id: str, page: int):
    doc = _doc(request, doc_id)
    if doc.format != "pdf" or not doc.pages or not 1 <= page <= doc.pages:
        raise HTTPException(404, "没有这一页。")
    cache_dir = _store(request).data_dir / "pages"
    cache_dir.mkdir(exist_ok=True)
    target = cache_dir / f"{doc.id}-{page}.png"
    if not target.exists():
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(_store(request).path(doc)))
        pdf[page - 1].render(scale=2).to_pil().save(target)
    return FileResponse(target, media_type="image/png")


# ----------------------------------------------------------------------------- build
@router.get("/build", response_class=HTMLResponse)
def build_page(request: Request):
    from juesuan.tables import list_profiles

    return render(request, "build.html", {"profiles": list_profiles()})


@router.get("/templates/{profile}.xlsx")
def template_download(request: Request, profile: str):
    from juesuan.tables import list_profiles, load_profile
    from juesuan.writers.workbook import write_workbook

    if profile not in {p.id for p in list_profiles()}:
        raise HTTPException(404, "没有这个模板。")
    target = _store(request).data_dir / "tmp" / f"template-{profile}.xlsx"
    write_workbook(load_profile(profile), target)
    return FileResponse(target, media_type=MEDIA["xlsx"],
                        headers={"Content-Disposition": _disposition(f"决算数据底稿-{profile}.xlsx")})


@router.post("/build")
async def build_post(request: Request, file: UploadFile = File(...), csrf: str = Form(""),
                     force: bool = Form(False)):
    _guard(request, csrf)
    store = _store(request)
    tmp = await receive(store, file)
    doc, _files = await run_in_threadpool(build_upload, store, tmp, file.filename or "底稿.xlsx", force,
                                          request.app.state.pool)
    return RedirectResponse(f"/documents/{doc.id}", status_code=303)


# ----------------------------------------------------------------------------- batch
@router.get("/batch", response_class=HTMLResponse)
def batch_page(request: Request):
    return render(request, "batch.html")


@router.post("/batch")
async def batch_post(request: Request, files: list[UploadFile] = File(...), csrf: str = Form("")):
    _guard(request, csrf)
    store = _store(request)
    received = [(await receive(store, f), f.filename or "未命名") for f in files if f.filename]
    if not received:
        raise HTTPException(400, "没有选择文件。")
    job_id = request.app.state.batches.start(received)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str):
    return render(request, "job.html", {"job": job_view(_store(request), job_id)})


# ---------------------------------------------------------------------------- library
@router.get("/library", response_class=HTMLResponse)
def library(request: Request, unit: str = "", year: str = "", region: str = "", kind: str = "",
            page: int = 1):
    y = int(year) if year.isdigit() else None
    per = 50
    rows, total = _store(request).search(unit or None, y, region or None, kind or None,
                                          limit=per, offset=(max(page, 1) - 1) * per)
    return render(request, "library.html", {"rows": rows, "total": total, "q": {
        "unit": unit, "year": year, "region": region, "kind": kind}, "page": page, "per": per,
        "years": _store(request).years()})


@router.get("/units/{unit}", response_class=HTMLResponse)
def unit_page(request: Request, unit: str):
    docs = _store(request).unit_documents(unit)
    if not docs:
        raise HTTPException(404, "文件库中没有这个单位的已审核文件。")
    rows = [(d, json.loads(d.summary or "{}")) for d in docs]
    return render(request, "unit.html", {"unit": unit, "rows": rows, "figures": _figure_labels(),
                                         "scale": _scale(rows)})


def _figure_labels():
    from juesuan.store.summary import FIGURES

    return FIGURES


def _scale(rows) -> Decimal:
    values = [Decimal(s.get("grand_total") or 0) for _, s in rows] + [Decimal(1)]
    return max(values)


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, year: str = ""):
    store = _store(request)
    years = store.years()
    y = int(year) if year.isdigit() else (years[0] if years else None)
    ids = request.query_params.getlist("id")
    docs = store.latest_of_year(y) if y else []
    chosen = [d for d in docs if not ids or d.id in ids]
    rows = [(d, json.loads(d.summary or "{}")) for d in chosen]
    classes: dict[str, str] = {}
    for _, s in rows:
        for c in s.get("classes", []):
            classes.setdefault(c["code"], c["name"])
    return render(request, "compare.html", {"year": y, "years": years, "docs": docs, "rows": rows,
                                            "ids": ids, "figures": _figure_labels(),
                                            "classes": dict(sorted(classes.items())),
                                            "scale": _scale(rows)})


@router.get("/documents/{doc_id}/drill", response_class=HTMLResponse)
def drill(request: Request, doc_id: str, code: str = ""):
    from juesuan.store.summary import tree

    doc = _doc(request, doc_id)
    d = _disclosure(doc)
    if d is None:
        raise HTTPException(404, "这份文件没有读出数据。")
    crumbs, kids = tree(d, code or None)
    total = sum((k.amount or Decimal(0) for k in kids), Decimal(0)) or Decimal(1)
    return render(request, "drill.html", {"doc": doc, "crumbs": crumbs, "kids": kids, "total": total,
                                          "code": code})


# ------------------------------------------------------------------------------ token
@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request):
    return render(request, "login.html")


@router.post("/login")
def login(request: Request, token: str = Form(""), csrf: str = Form("")):
    security.check_form(request, csrf)
    expected = request.app.state.settings.token
    if not expected:
        return RedirectResponse("/", status_code=303)
    import hmac

    if not hmac.compare_digest(token.strip(), expected):
        return render(request, "login.html", {"error": "令牌不正确。"}, status=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(security.TOKEN_COOKIE, expected, httponly=True, samesite="strict")
    return response
