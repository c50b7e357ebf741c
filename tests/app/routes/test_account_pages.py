"""Sign-up, log-in, CSRF and tokens through the real pages."""

import re

from app.auth import CSRF_COOKIE, SESSION_COOKIE


def csrf(client) -> str:
    client.get("/login")
    return client.cookies[CSRF_COOKIE]


def sign_up(client, name: str = "ada", password: str = "correct horse battery") -> None:
    response = client.post("/signup", data={"name": name, "password": password,
                                            "password_again": password, "csrf_token": csrf(client)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def test_sign_up_logs_in_with_a_safe_cookie(client) -> None:
    token = csrf(client)
    response = client.post("/signup", data={"name": "ada", "password": "correct horse battery",
                                            "password_again": "correct horse battery", "csrf_token": token,
                                            "next": "/papers/wave-toy"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/papers/wave-toy"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert '<a href="/users/ada" class="account-name">ada</a>' in client.get("/").text


def test_forms_without_the_csrf_token_are_refused(client) -> None:
    csrf(client)
    response = client.post("/signup", data={"name": "eve", "password": "correct horse battery",
                                            "password_again": "correct horse battery"})
    assert response.status_code == 403
    response = client.post("/signup", data={"name": "eve", "password": "x" * 12, "password_again": "x" * 12,
                                            "csrf_token": "forged"})
    assert response.status_code == 403
    assert "eve" not in client.get("/api/v1/papers").text  # nothing was created either way


def test_login_errors_throttle_and_open_redirects(client) -> None:
    sign_up(client)
    client.post("/logout", data={"csrf_token": csrf(client)})
    token = csrf(client)
    wrong = client.post("/login", data={"name": "ada", "password": "nope nope nope", "csrf_token": token})
    assert wrong.status_code == 400 and "Wrong name or password" in wrong.text
    good = client.post("/login", data={"name": "ada", "password": "correct horse battery", "csrf_token": token,
                                       "next": "//evil.example/x"}, follow_redirects=False)
    assert good.headers["location"] == "/"
    for _ in range(5):
        client.post("/login", data={"name": "ada", "password": "bad guess!!", "csrf_token": csrf(client)})
    throttled = client.post("/login", data={"name": "ada", "password": "correct horse battery",
                                            "csrf_token": csrf(client)})
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0


def test_settings_create_use_and_revoke_a_token(client) -> None:
    sign_up(client)
    page = client.post("/settings/tokens", data={"name": "laptop", "csrf_token": csrf(client)})
    secret = re.search(r"<code>(mgl_[^<]+)</code>", page.text).group(1)
    token_id = re.search(r'/settings/tokens/(\d+)/revoke', page.text).group(1)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json() == {"name": "ada", "role": "user", "url": "/users/ada"}
    client.post(f"/settings/tokens/{token_id}/revoke", data={"csrf_token": csrf(client)})
    client.cookies.clear()  # the token alone, no session cookie
    refused = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401 and refused.json() == {"detail": "invalid or revoked API token"}
    assert client.get("/api/v1/me").status_code == 401


def test_settings_needs_a_sign_in(client) -> None:
    response = client.get("/settings", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/settings"


def test_cli_creates_users_and_tokens(tmp_path, monkeypatch, capsys) -> None:
    from app.cli import main
    from app.settings import get_settings

    monkeypatch.setenv("MARGINALIA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MARGINALIA_CONTENT_DIR", str(tmp_path / "content"))
    (tmp_path / "pw").write_text("correct horse battery\n")
    get_settings.cache_clear()
    try:
        assert main(["create-user", "root", "--password-file", str(tmp_path / "pw"), "--admin"]) == 0
        assert main(["create-token", "root"]) == 0
        assert capsys.readouterr().out.strip().splitlines()[-1].startswith("mgl_")
        assert main(["create-token", "nobody"]) == 1
    finally:
        get_settings.cache_clear()


def test_settings_page_exports_and_imports_notes(client) -> None:
    import json

    from tests.conftest import passage_annotation

    sign_up(client)
    assert "format=csv" in client.get("/settings").text
    document = {"type": "AnnotationPage", "items": [
        {**passage_annotation(comment="from elsewhere"), "id": "urn:x-test:1"},
        {**passage_annotation(slug="no-such-paper"), "id": "urn:x-test:2"},
    ]}
    files = {"file": ("notes.json", json.dumps(document), "application/json")}
    page = client.post("/settings/import", data={"csrf_token": csrf(client)}, files=files)
    assert page.status_code == 200 and "Imported 1 note" in page.text and "urn:x-test:2" in page.text
    again = client.post("/settings/import", data={"csrf_token": csrf(client)}, files=files)
    assert "Imported 0 notes; 1 already here, skipped" in again.text
    refused = client.post("/settings/import", files=files)
    assert refused.status_code == 403
