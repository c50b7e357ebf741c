"""Sign up, log in, log out, and the settings page with API tokens."""

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.auth import CSRF_COOKIE, SESSION_COOKIE
from app.deps import CSRF, LIMIT_IMPORT_SIZE, ImportDocumentDep, PageUserDep, SessionDep, TemplatesDep, base_url
from app.services import credentials
from app.services.accounts import AccountError, LoginThrottled, authenticate, create_user
from app.services.annotation_import import InvalidImport, import_annotations
from app.services.credentials import SESSION_LIFETIME

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]


def _safe_next(target: str | None) -> str:
    # Only same-site paths: "//evil.example" or "https://..." would make an open redirect.
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _signed_in_response(request: Request, session, user, target: str) -> Response:
    response = RedirectResponse(_safe_next(target), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, credentials.start_session(session, user), httponly=True,
                        samesite="lax", secure=secure, max_age=int(SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(CSRF_COOKIE)  # a fresh CSRF token after sign-in: no fixation
    return response


def _form(request: Request, templates, template: str, status: int = 200, **context) -> Response:
    return templates.TemplateResponse(request, template, context, status_code=status)


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, templates: TemplatesDep, next: str = "/"):
    return _form(request, templates, "signup.html", next=_safe_next(next))


@router.post("/signup", dependencies=[CSRF])  # no write queue: Argon2 takes ~50 ms
def signup(request: Request, session: SessionDep, templates: TemplatesDep, name: Text,
           password: Text, password_again: Text, next: Text = "/"):
    if password != password_again:
        return _form(request, templates, "signup.html", 400, error="The passwords differ.", name=name, next=next)
    try:
        user = create_user(session, name=name, password=password)
    except AccountError as exc:
        return _form(request, templates, "signup.html", 400, error=f"{str(exc).capitalize()}.", name=name, next=next)
    return _signed_in_response(request, session, user, next)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, templates: TemplatesDep, next: str = "/"):
    return _form(request, templates, "login.html", next=_safe_next(next))


@router.post("/login", dependencies=[CSRF])  # no write queue: Argon2 takes ~50 ms
def login(request: Request, session: SessionDep, templates: TemplatesDep, name: Text, password: Text,
          next: Text = "/"):
    client = request.client.host if request.client else "unknown"
    try:
        user = authenticate(session, name=name, password=password, client=client)
    except LoginThrottled as exc:
        response = _form(
            request, templates, "login.html", 429,
            error=f"Too many failed attempts. Try again in {exc.retry_after // 60 + 1} minutes.",
            name=name, next=next,
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if user is None:
        return _form(request, templates, "login.html", 400, error="Wrong name or password.", name=name, next=next)
    return _signed_in_response(request, session, user, next)


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request, session: SessionDep):
    if token := request.cookies.get(SESSION_COOKIE):
        credentials.end_session(session, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, session: SessionDep, templates: TemplatesDep, viewer: PageUserDep):
    tokens = credentials.list_tokens(session, viewer)
    return _form(request, templates, "settings.html", tokens=tokens)


@router.post("/settings/tokens", dependencies=[CSRF])
def create_token(request: Request, session: SessionDep, templates: TemplatesDep, viewer: PageUserDep,
                 name: Annotated[str, Form(max_length=80)] = "token"):
    token, secret = credentials.create_token(session, viewer, name)
    tokens = credentials.list_tokens(session, viewer)
    return _form(request, templates, "settings.html", 201, tokens=tokens, new_secret=secret, new_token=token)


@router.post("/settings/tokens/{token_id}/revoke", dependencies=[CSRF])
def revoke_token(token_id: int, session: SessionDep, viewer: PageUserDep):
    credentials.revoke_token(session, viewer, token_id)  # someone else's id: nothing happens
    return RedirectResponse("/settings", status_code=303)


@router.post("/settings/import", dependencies=[LIMIT_IMPORT_SIZE, CSRF])
def import_notes(request: Request, session: SessionDep, templates: TemplatesDep, viewer: PageUserDep,
                 document: ImportDocumentDep):
    try:
        report = import_annotations(session, viewer, document, base_url=base_url(request))
    except InvalidImport as exc:
        raise HTTPException(400, str(exc)) from None
    tokens = credentials.list_tokens(session, viewer)
    return _form(request, templates, "settings.html", tokens=tokens, report=report)
