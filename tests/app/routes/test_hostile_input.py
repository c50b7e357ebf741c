"""Hostile and malformed requests: each answers a clear 4xx (never a 500, never an echo of the
whole input) and stores nothing. The first cases are those a probe of the API found answering 500."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app.auth import CSRF_COOKIE, CSRF_HEADER
from app.main import create_app
from tests.conftest import passage_annotation
from tests.queue_fixtures import TINY_DEMOS

API = "/api/v1/annotations/"
IMPORT = "/api/v1/annotations/import"
JSON = {"content-type": "application/json"}


@pytest.fixture
def ada(make_account) -> dict[str, str]:
    return {**make_account("ada"), **JSON}


def _stored(client, ada) -> int:
    return client.get(API, headers=ada).json()["total"]


def _raw(document: dict, old: str, new: str) -> bytes:
    text = json.dumps(document)
    assert old in text
    return text.replace(old, new).encode()


NESTED = b"[" * 100_000 + b"]" * 100_000
WITH_COMMENT = passage_annotation(comment="PLACEHOLDER")


@pytest.mark.parametrize(("name", "path", "body", "status"), [
    ("nested JSON, annotation", API, NESTED, 400),
    ("nested JSON, import", IMPORT, NESTED, 400),
    ("lone surrogate in a comment", API, _raw(WITH_COMMENT, "PLACEHOLDER", "a\\ud800b"), 422),
    ("lone surrogate in a tag", API, _raw(passage_annotation(tags=("tagx",)), "tagx", "t\\udfffg"), 422),
    ("lone surrogate in a quote", API, _raw(passage_annotation(), "receptive field", "recep\\ud800"), 422),
    ("NaN visibility", API, _raw(WITH_COMMENT, '"private"', "NaN"), 422),
    ("Infinity as an offset", API, _raw(passage_annotation(start=5), '"start": 5', '"start": Infinity'), 422),
    ("offset 10**20", API, json.dumps(passage_annotation(start=10**20)).encode(), 422),
    ("offset 2**63", API, json.dumps(passage_annotation(start=2**63)).encode(), 422),
    ("invalid UTF-8", API, b'{"target": "\xff\xfe"}', 400),
    ("not an object", API, b"[1, 2]", 422),
])
def test_bad_annotation_requests_are_4xx_and_store_nothing(client, ada, name, path, body, status) -> None:
    response = client.post(path, content=body, headers=ada)
    assert response.status_code == status, (name, response.text[:300])
    assert isinstance(response.json()["detail"], str | list)
    assert _stored(client, ada) == 0


@pytest.mark.parametrize("document", [
    [passage_annotation(start=10**20)],
    json.loads(_raw({"x": [WITH_COMMENT]}, "PLACEHOLDER", "a\\ud800b"))["x"],
])
def test_an_import_of_bad_items_stores_nothing(client, ada, document) -> None:
    response = client.post(IMPORT, content=json.dumps(document).encode(), headers=ada)
    assert response.status_code < 500, response.text[:300]
    assert _stored(client, ada) == 0


def test_patch_with_a_lone_surrogate_is_refused_and_keeps_the_note(client, ada) -> None:
    created = client.post(API, json=passage_annotation(comment="kept"), headers=ada).json()
    patch = b'{"body": [{"type": "TextualBody", "value": "x\\ud800"}]}'
    response = client.patch(created["id"], content=patch, headers=ada)
    assert response.status_code == 422
    assert client.get(created["id"], headers=ada).json()["body"][0]["value"] == "kept"


def test_a_huge_comment_is_refused_with_a_short_answer(client, ada) -> None:
    body = json.dumps(passage_annotation(comment="y" * 3_000_000)).encode()
    response = client.post(API, content=body, headers=ada)
    assert response.status_code == 422 and len(response.content) < 2_000  # an excerpt, not the input
    assert response.json()["detail"][0]["loc"][-1] == "value"
    assert _stored(client, ada) == 0


def test_deeply_nested_json_to_a_demo_is_400_and_queues_nothing(client) -> None:
    response = client.post("/api/v1/demos/colorization", content=NESTED, headers=JSON)
    assert response.status_code == 400 and "nested" in response.json()["detail"]
    nan = client.post("/api/v1/demos/colorization", content=b'{"temperature": NaN}', headers=JSON)
    assert nan.status_code == 422 and "finite" in nan.json()["detail"]
    with client.app.state.sessions() as session:
        from app.db.models import Job

        assert session.query(Job).count() == 0


def test_a_signed_in_demo_run_needs_the_csrf_token(settings) -> None:
    with TestClient(create_app(settings.model_copy(update={"demo_specs": TINY_DEMOS}))) as client:
        client.get("/signup")
        token = client.cookies[CSRF_COOKIE]
        signed_up = client.post("/signup", data={"name": "ada", "password": "correct horse battery",
                                                 "password_again": "correct horse battery", "csrf_token": token},
                                follow_redirects=False)
        assert signed_up.status_code == 303
        client.get("/")
        token = client.cookies[CSRF_COOKIE]  # signing in gives a fresh token
        forged = client.post("/api/v1/demos/tiny", json={"x": "1,2,3"})  # what another site's form could send
        assert forged.status_code == 403
        run = client.post("/api/v1/demos/tiny", json={"x": "1,2,3"}, headers={CSRF_HEADER: token})
        assert run.status_code == 202, run.text
        client.cookies.clear()  # anonymous callers (curl, scripts) need no token: they act for no one
        assert client.post("/api/v1/demos/tiny", json={"x": "1,2,3"}).status_code == 202


@pytest.mark.parametrize("path", [
    "/papers/..%2f..%2fetc%2fpasswd", "/api/v1/papers/..%2F..%2Fsecret", "/api/v1/jobs/x/files/..%2f..%2fmarginalia.db",
    "/demo-assets/colorization/..%2f..%2fspec.py", "/static/..%2f..%2fapp%2fsettings.py",
])
def test_path_traversal_finds_nothing(client, path) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)


@pytest.mark.parametrize("query", ["page=-1", "page=0", "page=99999999999999999999", "per_page=100000", "year=abc"])
def test_bad_paging_is_a_4xx(client, query) -> None:
    assert client.get(f"/api/v1/papers?{query}").status_code == 422


def test_the_container_answers_options_with_what_it_allows(client) -> None:
    response = client.options(API)
    assert response.status_code == 204 and "POST" in response.headers["allow"]
    assert "OPTIONS" in response.headers["allow"]


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width` x `height` and stops after its header: what a bomb looks like
    to a server that checks the size before decoding."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    first_rows = zlib.compress(b"\x00" * (3 * width + 1) * 4)  # a few rows of the billions declared
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", first_rows))


def _valid_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(("name", "upload", "status"), [
    ("truncated PNG", ("t.png", _valid_png()[:60], "image/png"), 422),
    ("corrupt JPEG", ("c.jpg", b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50, "image/jpeg"), 415),
    ("20000 x 20000 PNG", ("huge.png", _png_header(20_000, 20_000), "image/png"), 413),
    ("SVG with a script", ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                          "image/svg+xml"), 415),
    ("text sent as an image", ("notes.png", b"just some words", "image/png"), 415),
    ("oversized upload", ("big.png", b"\x89PNG" + b"\x00" * (11 * 2**20), "image/png"), 413),
])
def test_bad_uploads_are_4xx_and_queue_nothing(client, name, upload, status) -> None:
    response = client.post("/api/v1/demos/colorization", files={"image": upload})
    assert response.status_code == status, (name, response.text[:200])
    assert "Error)" not in response.json()["detail"]  # words, not an exception's name
    with client.app.state.sessions() as session:
        from app.db.models import Job

        assert session.query(Job).count() == 0


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/v1/papers?tags=vision"),  # a misspelt filter would otherwise answer with every paper
    ("GET", "/api/v1/annotations/?paper=wave-toy&visibilty=public"),
    ("GET", "/api/v1/search?q=wave&limit=5"),
    ("POST", f"{API}?visibility=public"),  # a write: refused before anything is stored
])
def test_unknown_query_parameters_are_a_400_naming_them(client, ada, method, path) -> None:
    response = client.request(method, path, headers=ada, json=passage_annotation(comment="never stored"))
    assert response.status_code == 400, response.text
    assert "unknown query parameter" in response.json()["detail"] and "takes" in response.json()["detail"]
    assert _stored(client, ada) == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "image/png"])
def test_wrong_content_types_are_refused_and_store_nothing(client, ada, content_type) -> None:
    body = json.dumps(passage_annotation(comment="typed wrong")).encode()
    token = {"Authorization": ada["Authorization"]}
    note = client.post(API, content=body, headers={**token, "Content-Type": content_type})
    assert note.status_code in (415, 422) and _stored(client, ada) == 0
    demo = client.post("/api/v1/demos/colorization", content=b'{"temperature": 0.5}',
                       headers={"Content-Type": content_type})
    assert demo.status_code == 415 and content_type in demo.json()["detail"]
    with client.app.state.sessions() as session:
        from app.db.models import Job

        assert session.query(Job).count() == 0
