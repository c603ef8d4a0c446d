"""What the web application does with an upload: receive it safely, then check, build or batch.

Shared by the pages and the JSON API, so both behave the same.  Uploads are streamed to a
temporary file with the size limit enforced while reading; the store validates and keeps them.
Batches run on a small thread pool; their progress is in the database, so a page reload (or
another browser) sees the same job.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from fastapi import HTTPException, UploadFile

from juesuan.errors import JuesuanError
from juesuan.store import Document, Store, UploadRefused
from juesuan.store.uploads import EXTENSIONS, check_archive

CHUNK = 1 << 20


async def receive(store: Store, upload: UploadFile) -> Path:
    """Copy an upload to a temporary file, refusing it as soon as it is over the limit.  The file
    keeps a known extension of the uploaded name (YAML and JSON are told apart by it)."""
    suffix = Path(upload.filename or "").suffix.lower()
    tmp = Path(tempfile.mkstemp(dir=store.data_dir / "tmp", suffix=suffix if suffix in EXTENSIONS else "")[1])
    size = 0
    try:
        with tmp.open("wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > store.limits.max_bytes:
                    raise HTTPException(413, f"文件「{upload.filename}」超过大小上限 {store.limits.max_mb}。")
                out.write(chunk)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def store_upload(store: Store, tmp: Path, filename: str, purpose: str = "check",
                 job_id: str | None = None) -> Document:
    try:
        return store.add_file(tmp, filename or "未命名", purpose, job_id, move=True)
    except UploadRefused as exc:
        raise HTTPException(400, f"「{filename}」{exc.message}。") from exc
    finally:
        tmp.unlink(missing_ok=True)


def check_upload(store: Store, tmp: Path, filename: str, pool=None) -> Document:
    doc = store_upload(store, tmp, filename)
    return store.analyze(doc.id, pool)


def build_upload(store: Store, tmp: Path, filename: str,
                 force: bool = False, pool=None) -> tuple[Document, list[Path]]:
    """Check a filled workbook and, when it has no 错误 (or ``force``), build the four formats."""
    from juesuan.build import build
    from juesuan.readers import read

    doc = store_upload(store, tmp, filename, purpose="build")
    doc = store.analyze(doc.id, pool)
    if doc.status != "done":
        return doc, []
    try:
        d = read(store.path(doc))
        result = build(d, store.builds / doc.id, force=force, parallel=False)
    except JuesuanError as exc:
        raise HTTPException(400, f"无法生成：{exc}") from exc
    if result.stopped:
        return doc, []
    store.set_outputs(doc.id, result.files)
    return store.get(doc.id), result.files


# --------------------------------------------------------------------------- batches
class Batches:
    """Background checking of many files; one thread pool per application."""

    def __init__(self, store: Store, workers: int = 2, processes=None):
        self.store = store
        self.processes = processes
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="juesuan-batch")

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def start(self, files: list[tuple[Path, str]]) -> str:
        """``files``: (temporary path, uploaded name); ZIPs are opened into their members."""
        items: list[tuple[Path, str]] = []
        refused: list[tuple[str, str]] = []
        for tmp, name in files:
            if zipfile.is_zipfile(tmp) and Path(name).suffix.lower() == ".zip":
                try:
                    items += self._unpack(tmp, name)
                except UploadRefused as exc:
                    refused.append((name, exc.message))
                finally:
                    tmp.unlink(missing_ok=True)
            else:
                items.append((tmp, name))
        if len(items) > self.store.limits.max_files:
            for tmp, _ in items:
                tmp.unlink(missing_ok=True)
            limit = self.store.limits.max_files
            raise HTTPException(400, f"一次最多 {limit} 个文件，本次有 {len(items)} 个。")
        job = self.store.create_job(len(items) + len(refused))
        for name, reason in refused:  # recorded as failed rows, so the table shows them
            self._failed_row(job.id, name, reason)
        for tmp, name in items:
            self.pool.submit(self._one, job.id, tmp, name)
        return job.id

    def resume(self) -> int:
        """Queue again what a previous run of the server left unchecked."""
        docs = self.store.pending()
        for doc in docs:
            self.pool.submit(self._resume_one, doc.id, doc.job_id)
        return len(docs)

    def _resume_one(self, doc_id: str, job_id: str | None) -> None:
        failed = True
        try:
            failed = self.store.analyze(doc_id, self.processes).status != "done"
        finally:
            if job_id:
                self.store.job_progress(job_id, failed=failed)

    def _unpack(self, archive: Path, name: str) -> list[tuple[Path, str]]:
        members = check_archive(archive, self.store.limits, f"压缩包「{name}」")
        out = []
        with zipfile.ZipFile(archive) as z:
            for m in members:
                inner = PurePosixPath(m.filename.replace("\\", "/"))
                if m.is_dir() or inner.name.startswith((".", "__MACOSX")) or "__MACOSX" in inner.parts:
                    continue
                if inner.suffix.lower() not in EXTENSIONS or inner.suffix.lower() == ".zip":
                    continue
                tmp = Path(tempfile.mkstemp(dir=self.store.data_dir / "tmp",
                                            suffix=inner.suffix.lower())[1])
                with z.open(m) as src, tmp.open("wb") as dst:  # never extracted by its own path
                    shutil.copyfileobj(src, dst, CHUNK)
                out.append((tmp, _display_name(m.filename)))
        return out

    def _failed_row(self, job_id: str, name: str, reason: str) -> None:
        from juesuan.store import _now, new_id

        doc = Document(id=new_id(), purpose="check", filename=name[:255], stored_name="", format="",
                       size=0, sha256="", created_at=_now(), status="failed", error=reason,
                       errors=0, warnings=0, infos=0, job_id=job_id)
        with self.store.session() as s:
            s.add(doc)
            s.commit()
        self.store.job_progress(job_id, failed=True)

    def _one(self, job_id: str, tmp: Path, name: str) -> None:
        try:
            doc = self.store.add_file(tmp, name, "check", job_id, move=True)
        except UploadRefused as exc:
            self._failed_row(job_id, name, exc.message)
            return
        except Exception as exc:  # never stop the batch
            self._failed_row(job_id, name, f"无法保存（{type(exc).__name__}）")
            return
        finally:
            tmp.unlink(missing_ok=True)
        failed = True
        try:
            failed = self.store.analyze(doc.id, self.processes).status != "done"
        finally:  # whatever happens, the job moves on
            self.store.job_progress(job_id, failed=failed)


def _display_name(member: str) -> str:
    """A ZIP member's name for people: the last path part, decoded as Chinese Windows zips are."""
    name = member.rsplit("/", 1)[-1]
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        name = name.encode("cp437").decode("gbk")
    return name


def job_view(store: Store, job_id: str) -> dict:
    job = store.job(job_id)
    if job is None:
        raise HTTPException(404, "没有这个批量任务。")
    docs = store.job_documents(job_id)
    return {
        "id": job.id, "status": job.status, "total": job.total, "done": job.done, "failed": job.failed,
        "created_at": job.created_at.isoformat(),
        "documents": [document_view(d) for d in docs],
    }


def store_of(request) -> Store:
    return request.app.state.store


def document_or_404(request, doc_id: str) -> Document:
    doc = store_of(request).get(doc_id)
    if doc is None:
        raise HTTPException(404, "没有这份文件（可能已被删除）。")
    return doc


def document_view(d: Document) -> dict:
    return {
        "id": d.id, "filename": d.filename, "status": d.status, "error": d.error, "format": d.format,
        "unit": d.unit, "year": d.year, "region": d.region, "kind": d.kind, "profile": d.profile,
        "counts": {"错误": d.errors, "警告": d.warnings, "提示": d.infos},
        "pages": d.pages, "created_at": d.created_at.isoformat() if d.created_at else None,
        "checked_at": d.checked_at.isoformat() if d.checked_at else None,
        "rules_version": d.rules_version, "report_url": f"/documents/{d.id}",
        "outputs": json.loads(d.outputs) if d.outputs else [],
    }
