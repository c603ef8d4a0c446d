"""Protection for the pages and the API.

* CSRF: every form carries the value of a random cookie (double submit), and every unsafe request
  from a browser must come from this site (``Origin``/``Referer`` check) — a page elsewhere cannot
  make a reviewer's browser upload or delete.
* Access token: when ``JUESUAN_TOKEN`` is set, uploads, builds, re-checks and deletions need it —
  ``Authorization: Bearer …`` for the API, or a sign-in form that stores it in a cookie.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

CSRF_COOKIE = "juesuan_csrf"
TOKEN_COOKIE = "juesuan_token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def csrf_token(request: Request) -> str:
    """The token of this browser (set as a cookie by the middleware when missing)."""
    return request.cookies.get(CSRF_COOKIE) or request.state.new_csrf


def same_origin(request: Request) -> bool:
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True  # not a browser (curl, scripts): the token, if any, protects
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def check_form(request: Request, form_token: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not form_token or not hmac.compare_digest(cookie, form_token):
        raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。")


def authorized(request: Request, token: str | None) -> bool:
    if not token:
        return True
    given = request.cookies.get(TOKEN_COOKIE) or ""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    return bool(given) and hmac.compare_digest(given, token)


def require_token(request: Request) -> None:
    token = request.app.state.settings.token
    if not authorized(request, token):
        raise HTTPException(401, "需要访问令牌：请先在“登录”页输入管理员提供的令牌"
                                 "（API 请求加请求头 Authorization: Bearer 令牌）。")


def new_csrf() -> str:
    return secrets.token_urlsafe(24)
