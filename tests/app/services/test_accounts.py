import pytest

from app.services.accounts import (
    MAX_FAILURES_PER_NAME,
    AccountError,
    LoginThrottled,
    authenticate,
    create_user,
)
from app.services.credentials import (
    create_token,
    end_session,
    list_tokens,
    revoke_token,
    start_session,
    user_for_session,
    user_for_token,
)


def test_sign_up_rules(session) -> None:
    user = create_user(session, name="Ada", password="correct horse")
    assert user.name == "ada" and user.role == "user" and user.password_hash.startswith("$argon2id$")
    with pytest.raises(AccountError, match="taken"):
        create_user(session, name="ada", password="another password")
    with pytest.raises(AccountError, match="3-40"):
        create_user(session, name="a!", password="correct horse")
    with pytest.raises(AccountError, match="10 characters"):
        create_user(session, name="bob", password="short")


def test_authenticate_and_throttle(session) -> None:
    create_user(session, name="ada", password="correct horse")
    assert authenticate(session, name="ADA", password="correct horse", client="1.2.3.4").name == "ada"
    for _ in range(MAX_FAILURES_PER_NAME):
        assert authenticate(session, name="ada", password="wrong guess!", client="1.2.3.4") is None
    with pytest.raises(LoginThrottled) as throttled:
        authenticate(session, name="ada", password="correct horse", client="5.6.7.8")  # right password, still refused
    assert 0 < throttled.value.retry_after <= 15 * 60


def test_sessions_and_tokens(session) -> None:
    ada = create_user(session, name="ada", password="correct horse")
    bob = create_user(session, name="bob", password="correct horse")
    cookie = start_session(session, ada)
    assert user_for_session(session, cookie).name == "ada"
    end_session(session, cookie)
    assert user_for_session(session, cookie) is None

    token, secret = create_token(session, ada, "script")
    assert secret.startswith("mgl_") and token.prefix == secret[:12]
    assert user_for_token(session, secret).name == "ada"
    assert not revoke_token(session, bob, token.id)  # not bob's to revoke
    assert revoke_token(session, ada, token.id)
    assert user_for_token(session, secret) is None and list_tokens(session, ada) == []
