"""The library of checked and built disclosures (SQLAlchemy 2; SQLite by default, PostgreSQL
when ``JUESUAN_DATABASE_URL`` says so; schema migrations with Alembic).

Files live in a data folder under generated names (``files/<id>.<ext>``, ``builds/<id>/…``); the
database holds what was read and found.  Every step of a document — stored, read, checked — is
committed on its own, so concurrent uploads never share a half-written row, and a failed document
keeps its Chinese error message instead of disappearing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from juesuan import __version__
from juesuan.errors import JuesuanError
from juesuan.store.models import Base, Document, Job
from juesuan.store.uploads import Limits, UploadRefused, pdf_pages, validate

MIGRATIONS = Path(__file__).with_name("migrations")
STORED_EXT = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "xls": ".xls", "html": ".html",
              "txt": ".txt", "json": ".json", "yaml": ".yaml", "zip": ".zip"}


def default_data_dir() -> Path:
    if os.environ.get("JUESUAN_DATA"):
        return Path(os.environ["JUESUAN_DATA"]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("juesuan")) / "library"


def rules_version() -> str:
    """Changes when the rules may give different findings: juesuan's version and rule set."""
    from juesuan.rules.registry import registered

    ids = ",".join(sorted(r.id for r in registered()))
    return f"{__version__}+{hashlib.sha1(ids.encode()).hexdigest()[:8]}"


def new_id() -> str:
    return uuid.uuid4().hex


def valid_id(value: str | None) -> bool:
    """An id ``new_id`` could have made (anything else from a URL is simply not found)."""
    return bool(value) and len(value) == 32 and value.isalnum()  # type: ignore[arg-type]


def analyze_file(path: str, filename: str, fmt: str) -> dict:
    """Read and check one file: the columns of its ``Document`` row.  A plain function of the
    file, so it can run in another process; never raises for a bad document."""
    from juesuan.check import check
    from juesuan.readers import read
    from juesuan.store.summary import summarize

    values: dict = {"checked_at": _now(), "rules_version": rules_version()}
    try:
        d = read(Path(path))
        report = check(d, file=filename)
        values.update(
            status="done", error=None, unit=d.unit, year=d.year or None, region=d.region,
            kind=d.kind, profile=d.profile, errors=report.counts.错误,
            warnings=report.counts.警告, infos=report.counts.提示,
            pages=pdf_pages(Path(path)) if fmt == "pdf" else None,
            disclosure=d.to_json(indent=None), report=report.model_dump_json(),
            summary=json.dumps(summarize(d), ensure_ascii=False))
    except JuesuanError as exc:  # the stored name means nothing to people: say what, not where
        values.update(status="failed", error=exc.message)
    except Exception as exc:  # a reader bug must not lose the upload or stop a batch
        values.update(status="failed", error=f"读取时发生内部错误（{type(exc).__name__}），"
                                             "文件已保存，可在修复后重新审核。")
    return values


def warm_up() -> bool:
    """Import what checking needs (run once in each worker process)."""
    import juesuan.check
    import juesuan.readers.assemble
    import juesuan.readers.pdf  # noqa: F401

    return True


class Store:
    def __init__(self, url: str | None = None, data_dir: Path | None = None,
                 limits: Limits | None = None):
        self.data_dir = (data_dir or default_data_dir()).resolve()
        self.files = self.data_dir / "files"
        self.builds = self.data_dir / "builds"
        for d in (self.data_dir, self.files, self.builds, self.data_dir / "tmp"):
            d.mkdir(parents=True, exist_ok=True)
        self.url = url or os.environ.get("JUESUAN_DATABASE_URL") or \
            f"sqlite:///{self.data_dir / 'juesuan.sqlite3'}"
        self.limits = limits or Limits.from_env()
        sqlite = self.url.startswith("sqlite")
        self.engine = create_engine(self.url, future=True, pool_pre_ping=True,
                                    connect_args={"check_same_thread": False, "timeout": 30}
                                    if sqlite else {})
        if sqlite:
            @event.listens_for(self.engine, "connect")
            def _pragmas(conn, _record):
                conn.isolation_level = None  # transactions are begun below, not by the driver
                cur = conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA busy_timeout=30000")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            @event.listens_for(self.engine, "begin")
            def _begin(conn):
                # Take the write lock up front: a read transaction that later writes would fail
                # at once (SQLITE_BUSY) when another thread wrote in between; this one waits.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def database(self) -> str:
        """The database for people: the SQLite file, or the server (without password)."""
        return str(self.engine.url.render_as_string(hide_password=True))

    # ------------------------------------------------------------------ schema
    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def reset(self) -> None:
        """Drop everything (tests only)."""
        Base.metadata.drop_all(self.engine)
        with self.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s:
            yield s

    # ------------------------------------------------------------------ documents
    def add_file(self, source: Path, filename: str, purpose: str = "check",
                 job_id: str | None = None, move: bool = False) -> Document:
        """Validate and store one upload; ``UploadRefused`` when it is not acceptable."""
        fmt = validate(source, filename, self.limits)
        doc_id = new_id()
        stored = f"{doc_id}{STORED_EXT[fmt]}"
        target = self.files / stored
        (shutil.move if move else shutil.copyfile)(str(source), str(target))
        data = target.read_bytes()
        doc = Document(id=doc_id, purpose=purpose, filename=Path(filename).name[:255] or "未命名",
                       stored_name=stored, format=fmt, size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), created_at=_now(),
                       status="pending", errors=0, warnings=0, infos=0, job_id=job_id)
        with self.session() as s:
            s.add(doc)
            s.commit()
        return doc

    def path(self, doc: Document) -> Path:
        return self.files / doc.stored_name

    def analyze(self, doc_id: str, pool=None) -> Document:
        """Read and check a stored document; the outcome (or the reason of failure) is saved.
        ``pool``: a process pool to do the reading in (the web server uses one per core)."""
        doc = self.get(doc_id)
        if doc is None:
            raise JuesuanError("没有这份文件", where=doc_id)
        args = (str(self.path(doc)), doc.filename, doc.format)
        values = pool.submit(analyze_file, *args).result() if pool is not None else analyze_file(*args)
        with self.session() as s:
            row = s.get(Document, doc_id)
            for k, v in values.items():
                setattr(row, k, v)
            s.commit()
            return row

    def get(self, doc_id: str) -> Document | None:
        if not valid_id(doc_id):
            return None
        with self.session() as s:
            return s.get(Document, doc_id)

    def delete(self, doc_id: str) -> bool:
        with self.session() as s:
            doc = s.get(Document, doc_id)
            if doc is None:
                return False
            s.delete(doc)
            s.commit()
        (self.files / doc.stored_name).unlink(missing_ok=True)
        shutil.rmtree(self.builds / doc.id, ignore_errors=True)
        return True

    def search(self, unit: str | None = None, year: int | None = None, region: str | None = None,
               kind: str | None = None, status: str | None = None, limit: int = 50,
               offset: int = 0) -> tuple[list[Document], int]:
        q = select(Document)
        if unit:
            like = f"%{unit.strip()}%"
            q = q.where(or_(Document.unit.like(like), Document.filename.like(like)))
        if year:
            q = q.where(Document.year == year)
        if region:
            q = q.where(Document.region.like(f"%{region.strip()}%"))
        if kind:
            q = q.where(Document.kind == kind)
        if status:
            q = q.where(Document.status == status)
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
            rows = s.scalars(q.order_by(Document.created_at.desc()).limit(limit).offset(offset)).all()
        return list(rows), total

    def unit_documents(self, unit: str) -> list[Document]:
        """The latest checked document of ``unit`` for each year, oldest year first."""
        with self.session() as s:
            rows = s.scalars(select(Document).where(Document.unit == unit, Document.status == "done")
                             .order_by(Document.year, Document.created_at.desc())).all()
        latest: dict[int | None, Document] = {}
        for r in rows:
            latest.setdefault(r.year, r)
        return [latest[y] for y in sorted(latest, key=lambda y: y or 0)]

    def years(self) -> list[int]:
        with self.session() as s:
            return [y for y in s.scalars(select(Document.year).where(Document.year.is_not(None))
                                         .distinct().order_by(Document.year.desc()))]

    def latest_of_year(self, year: int) -> list[Document]:
        with self.session() as s:
            rows = s.scalars(select(Document).where(Document.year == year, Document.status == "done")
                             .order_by(Document.unit, Document.created_at.desc())).all()
        out: dict[str | None, Document] = {}
        for r in rows:
            out.setdefault(r.unit, r)
        return list(out.values())

    def pending(self) -> list[Document]:
        """Documents stored but never checked (the server stopped while they waited)."""
        with self.session() as s:
            return list(s.scalars(select(Document).where(Document.status == "pending")))

    def stale(self) -> list[str]:
        """Documents checked with other rules than the current ones."""
        current = rules_version()
        with self.session() as s:
            return list(s.scalars(select(Document.id).where(
                or_(Document.rules_version.is_(None), Document.rules_version != current))))

    def recheck_all(self) -> int:
        ids = self.stale()
        for i in ids:
            self.analyze(i)
        return len(ids)

    # ------------------------------------------------------------------ builds
    def set_outputs(self, doc_id: str, files: list[Path]) -> None:
        with self.session() as s:
            row = s.get(Document, doc_id)
            row.outputs = json.dumps([f.name for f in files], ensure_ascii=False)
            s.commit()

    def output_path(self, doc: Document, name: str) -> Path | None:
        names = json.loads(doc.outputs or "[]")
        if name not in names:  # only what the build wrote: no path from the request
            return None
        return self.builds / doc.id / name

    # ------------------------------------------------------------------ jobs
    def create_job(self, total: int) -> Job:
        job = Job(id=new_id(), created_at=_now(), total=total, done=0, failed=0, status="running")
        with self.session() as s:
            s.add(job)
            s.commit()
        return job

    def job(self, job_id: str) -> Job | None:
        if not valid_id(job_id):
            return None
        with self.session() as s:
            return s.get(Job, job_id)

    def job_documents(self, job_id: str) -> list[Document]:
        with self.session() as s:
            return list(s.scalars(select(Document).where(Document.job_id == job_id)
                                  .order_by(Document.filename)))

    def job_progress(self, job_id: str, failed: bool) -> None:
        with self.session() as s:
            job = s.get(Job, job_id, with_for_update=not self.url.startswith("sqlite"))
            job.done += 1
            job.failed += int(failed)
            if job.done >= job.total:
                job.status = "done"
            s.commit()

    def job_add_total(self, job_id: str, n: int) -> None:
        with self.session() as s:
            job = s.get(Job, job_id)
            job.total += n
            if job.done >= job.total:
                job.status = "done"
            s.commit()


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


__all__ = ["Document", "Job", "Limits", "Store", "UploadRefused"]
