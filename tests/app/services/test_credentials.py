"""API tokens: checked on every call, revocation at once, use recorded at most once a minute."""

from datetime import timedelta

from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db.models import ApiToken
from app.services.accounts import create_user
from app.services.credentials import create_token, revoke_token, user_for_token


def last_used(session, token: ApiToken):
    session.expire(token)  # user_for_token writes with Core: read the row, not the cached object
    return token.last_used_at


def test_a_token_finds_its_owner_until_it_is_revoked(session) -> None:
    ada = create_user(session, name="ada", password="correct horse")
    token, secret = create_token(session, ada, "script")
    assert user_for_token(session, secret) is ada  # the session's own User object
    assert user_for_token(session, secret + "x") is None
    assert revoke_token(session, ada, token.id)
    assert user_for_token(session, secret) is None


def test_revoking_in_another_session_takes_effect_at_once(session) -> None:
    ada = create_user(session, name="ada", password="correct horse")
    token, secret = create_token(session, ada, "script")
    assert user_for_token(session, secret) is ada
    with Session(session.get_bind()) as other:  # e.g. the account page, in another request
        assert revoke_token(other, ada, token.id)
    assert token.revoked_at is None  # this session's copy is stale; the check reads the row
    assert user_for_token(session, secret) is None


def test_use_is_recorded_at_most_once_a_minute(session) -> None:
    ada = create_user(session, name="ada", password="correct horse")
    token, secret = create_token(session, ada, "script")
    assert token.last_used_at is None
    user_for_token(session, secret)
    first = last_used(session, token)
    assert first is not None and utcnow() - first < timedelta(seconds=5)
    user_for_token(session, secret)
    assert last_used(session, token) == first
    token.last_used_at = first - timedelta(minutes=2)
    session.commit()
    user_for_token(session, secret)
    assert last_used(session, token) >= first
