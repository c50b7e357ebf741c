"""Accounts: sign-up, password checks with throttling, look-ups."""

from __future__ import annotations

import re
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db.models import LoginAttempt, User

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{2,39}$")
MIN_PASSWORD_LENGTH = 10
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5  # slows guessing one account's password
MAX_FAILURES_PER_CLIENT = 20  # slows one client trying many accounts

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class AccountError(ValueError):
    """A sign-up the user must correct; the message says how."""


class LoginThrottled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")
        self.retry_after = retry_after


def create_user(session: Session, *, name: str, password: str, admin: bool = False) -> User:
    name = name.strip().lower()
    if not NAME.match(name):
        raise AccountError("names are 3-40 characters: lowercase letters, digits, - and _")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    if get_user(session, name) is not None:
        raise AccountError(f"the name {name!r} is taken")
    user = User(name=name, password_hash=_hasher.hash(password), role="admin" if admin else "user",
                created_at=utcnow())
    session.add(user)
    session.commit()
    return user


def get_user(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name.strip().lower()))


def authenticate(session: Session, *, name: str, password: str, client: str) -> User | None:
    """The user when the password is right; None when not. Raises LoginThrottled after too
    many recent failures for this name or from this client, before checking anything."""
    name = name.strip().lower()
    _refuse_if_throttled(session, name, client)
    user = get_user(session, name)
    if user is None or not _password_matches(user, password):
        session.add(LoginAttempt(name=name, client=client, at=utcnow()))
        session.commit()
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.execute(delete(LoginAttempt).where(LoginAttempt.name == name))
    session.commit()
    return user


def _password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _refuse_if_throttled(session: Session, name: str, client: str) -> None:
    since = utcnow() - THROTTLE_WINDOW
    by_name, by_client, oldest = session.execute(
        select(
            func.count().filter(LoginAttempt.name == name),
            func.count().filter(LoginAttempt.client == client),
            func.min(LoginAttempt.at),
        ).where(LoginAttempt.at >= since, or_(LoginAttempt.name == name, LoginAttempt.client == client))
    ).one()
    if by_name >= MAX_FAILURES_PER_NAME or by_client >= MAX_FAILURES_PER_CLIENT:
        retry_after = int((oldest + THROTTLE_WINDOW - utcnow()).total_seconds()) + 1
        raise LoginThrottled(max(retry_after, 1))
