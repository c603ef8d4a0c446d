"""``juesuan serve``: the whole system in a browser, and a library of every document checked.

FastAPI with server-rendered Jinja2 pages (a little JavaScript for drag-and-drop, filters and the
batch progress bar); the JSON API behind them is documented at ``/docs``.  Zero configuration: a
SQLite library in a data folder it creates and names on start; PostgreSQL when
``JUESUAN_DATABASE_URL`` is set.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from juesuan import __version__
from juesuan.store import Store
from juesuan.store.uploads import Limits
from juesuan.web import security
from juesuan.web.work import Batches

HERE = Path(__file__).parent


@dataclass
class Settings:
    data_dir: Path | None = None
    database_url: str | None = None
    token: str | None = None
    limits: Limits = field(default_factory=Limits.from_env)
    workers: int = 2  # threads running batch files
    processes: int = 0  # processes reading and checking (0: in the request's thread)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        s = cls(token=os.environ.get("JUESUAN_TOKEN") or None,
                database_url=os.environ.get("JUESUAN_DATABASE_URL") or None)
        for k, v in overrides.items():
            if v is not None:
                setattr(s, k, v)
        return s


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    store = Store(settings.database_url, settings.data_dir, settings.limits)
    store.migrate()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.batches.shutdown()
        if app.state.pool is not None:
            app.state.pool.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="juesuan 决算审核 API", version=__version__, lifespan=lifespan,
                  description="上传部门决算公开文件（PDF、Word、Excel、网页、文本）进行审核，读取审核结果，"
                              "由数据底稿生成公开文件，检索文件库。写操作在设置了 JUESUAN_TOKEN 时需要"
                              "请求头 Authorization: Bearer 令牌。")
    app.state.settings = settings
    app.state.store = store
    app.state.pool = _process_pool(settings.processes)
    app.state.batches = Batches(store, settings.workers, app.state.pool)
    app.state.batches.resume()  # files a stopped server left unchecked

    @app.middleware("http")
    async def protect(request: Request, call_next):
        request.state.new_csrf = security.new_csrf()
        if request.method in security.UNSAFE and not security.same_origin(request):
            return _error(request, 403, "请求来自其他网站，已拒绝（CSRF 保护）。")
        response = await call_next(request)
        if security.CSRF_COOKIE not in request.cookies:
            response.set_cookie(security.CSRF_COOKIE, request.state.new_csrf, httponly=True,
                                samesite="strict")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, str(exc.detail))

    from juesuan.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def _process_pool(n: int):
    """Reading a PDF is CPU work under the GIL: on a multi-core server, do it in processes."""
    if n <= 0:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from juesuan.store import warm_up

    pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(n):
        pool.submit(warm_up)
    return pool


def _error(request: Request, status: int, message: str):
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"error": message}, status_code=status)
    from juesuan.web.pages import render

    return render(request, "error.html", {"status": status, "message": message}, status=status)


__all__ = ["HTMLResponse", "Settings", "create_app"]
