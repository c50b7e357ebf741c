"""Who is asking: a Bearer token (API) or the session cookie (browser), and CSRF checks.

CSRF uses a double-submit cookie: every browser gets a random `marginalia_csrf` cookie, and
each state-changing request made with cookies must echo it in a form field or the
`X-CSRF-Token` header, which a page on another site cannot read. Requests that carry a
Bearer token are exempt: a browser never attaches that header on its own.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from app.db.models import User
from app.services.credentials import user_for_session, user_for_token

SESSION_COOKIE = "marginalia_session"
CSRF_COOKIE = "marginalia_csrf"
CSRF_HEADER = "x-csrf-token"
_UNSET = object()


def bearer_token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def resolve_viewer(request: Request, session: Session) -> User | None:
    """The signed-in user or None; cached on the request. A Bearer token that is wrong or
    revoked is an error (401), not an anonymous request: the client meant to sign in."""
    cached = getattr(request.state, "viewer", _UNSET)
    if cached is not _UNSET:
        return cached
    viewer = None
    token = bearer_token(request)
    if token is not None:
        viewer = user_for_token(session, token)
        if viewer is None:
            raise HTTPException(401, "invalid or revoked API token", {"WWW-Authenticate": "Bearer"})
    elif cookie := request.cookies.get(SESSION_COOKIE):
        viewer = user_for_session(session, cookie)
    request.state.viewer = viewer
    return viewer


def csrf_token(request: Request) -> str:
    return request.state.csrf_token


async def verify_csrf(request: Request) -> None:
    """Dependency for every state-changing route a browser can reach."""
    if bearer_token(request) is not None:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get("csrf_token")
    expected = request.cookies.get(CSRF_COOKIE)
    if not (expected and isinstance(sent, str) and hmac.compare_digest(sent, expected)):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")


async def verify_csrf_when_signed_in(request: Request) -> None:
    """`verify_csrf` for a request that carries the session cookie (it acts for that user)."""
    if request.cookies.get(SESSION_COOKIE) is not None:
        await verify_csrf(request)


class CsrfCookieMiddleware:
    """Gives every browser a CSRF cookie (pure ASGI: costs nothing when it already has one)."""

    def __init__(self, app) -> None:  # any ASGI app
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        token = _cookie(scope, CSRF_COOKIE)
        state = scope.setdefault("state", {})
        if token:
            state["csrf_token"] = token
            await self.app(scope, receive, send)
            return
        state["csrf_token"] = token = secrets.token_urlsafe(24)
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        # HttpOnly: pages hand scripts the token in a meta tag; the cookie is only compared.
        cookie = f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()

        async def send_with_cookie(message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"set-cookie", cookie))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie(scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name and v:
                    return v
    return None
