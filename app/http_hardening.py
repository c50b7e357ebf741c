"""What every response carries and what every request may send, whichever route answers:
security headers, a cap on non-multipart bodies, and CORS for API clients when configured.

Pure ASGI middleware (the headers are added to the response start, nothing is buffered), so
static files, 404s and error pages get the same headers as pages and the API.
"""

from __future__ import annotations

import json

from starlette.middleware.cors import CORSMiddleware

# No inline scripts or styles anywhere (pages load their scripts and styles from /static and
# each demo's assets); images and audio the pages make themselves are data: and blob: URLs.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers that predate it
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
MAX_BODY_BYTES = 6 * 2**20  # a JSON or form body: an annotation import is at most 5 MB
_MULTIPART = b"multipart/form-data"  # uploads: each route caps its files (spooled to disk, not memory)


class SecurityHeadersMiddleware:
    def __init__(self, app) -> None:  # any ASGI app
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = SECURITY_HEADERS + ((HSTS,) if scope.get("scheme") == "https" else ())

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {name.lower() for name, _ in headers}
                headers.extend(header for header in extra if header[0] not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """413 for a body over MAX_BODY_BYTES that is not a multipart upload: refused on its
    announced length before anything reads it, or, sent in chunks, once the count passes it."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        if scope["type"] != "http" or headers.get(b"content-type", b"").startswith(_MULTIPART):
            await self.app(scope, receive, send)
            return
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(send)
            return
        received, too_large, started = 0, False, False

        async def counting_receive():
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # cut the body off here; the app's answer to the cut is replaced by the 413
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message) -> None:
            nonlocal started
            if too_large and not started:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await self._refuse(send)

    async def _refuse(self, send) -> None:
        body = json.dumps({"detail": f"the body is larger than {self.limit // 2**20} MB"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def add_hardening(app, cors_origins: list[str]) -> None:
    """Outermost first: headers on everything (the 413 included), then the body cap, then CORS
    for the listed origins' API calls (closed when the list is empty)."""
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["*"],
                           allow_headers=["authorization", "content-type", "if-match"],
                           expose_headers=["etag", "location"])
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
