"""Browser sessions and API tokens: random secrets whose sha256 alone is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db.models import ApiToken, LoginSession, User

SESSION_LIFETIME = timedelta(days=30)
TOKEN_PREFIX = "mgl_"
_TOUCH_EVERY = timedelta(minutes=1)  # last_used_at precision: spares a write per API call

# Every API call checks its token (never cached, so a revoked token is refused at once).
# Built once: building the statement costs more than running it. Only the owner becomes an
# ORM object (callers may change and commit it); the token's own fields are plain values.
_TOKEN_OWNER = (
    select(User, ApiToken.id, ApiToken.last_used_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
)
_TOUCH_TOKEN = (
    update(ApiToken.__table__)
    .where(ApiToken.__table__.c.id == bindparam("token_id"))
    .values(last_used_at=bindparam("moment"))
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(LoginSession(token_hash=_digest(token), user_id=user.id, created_at=now,
                             expires_at=now + SESSION_LIFETIME))
    session.commit()
    return token


def user_for_session(session: Session, token: str) -> User | None:
    found = session.scalar(select(LoginSession).where(LoginSession.token_hash == _digest(token)))
    if found is None or found.expires_at <= utcnow():
        return None
    return found.user


def end_session(session: Session, token: str) -> None:
    found = session.scalar(select(LoginSession).where(LoginSession.token_hash == _digest(token)))
    if found is not None:
        session.delete(found)
        session.commit()


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """The stored token and its secret, which is shown once and never again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip()[:80] or "token", token_hash=_digest(secret),
                     prefix=secret[:12], created_at=utcnow())
    session.add(token)
    session.commit()
    return token, secret


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())
    ))


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    session.commit()
    return True


def user_for_token(session: Session, secret: str) -> User | None:
    """The token's owner, or None when the token is unknown or revoked."""
    found = session.execute(_TOKEN_OWNER, {"token_hash": _digest(secret)}).first()
    if found is None:
        return None
    user, token_id, last_used_at = found
    now = utcnow()
    if last_used_at is None or now - last_used_at > _TOUCH_EVERY:
        session.execute(_TOUCH_TOKEN, {"token_id": token_id, "moment": now})
        session.commit()
    return user
