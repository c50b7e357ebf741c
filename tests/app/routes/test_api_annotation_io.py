"""GET /api/v1/annotations/export and POST /api/v1/annotations/import over HTTP."""

import csv
import io
import json

import pytest

from app import deps
from tests.app.routes.conftest import create
from tests.conftest import passage_annotation
from tests.w3c_conformance import check_annotation, check_collection

API = "/api/v1/annotations/"
EXPORT = "/api/v1/annotations/export"
IMPORT = "/api/v1/annotations/import"


@pytest.fixture
def ada_notes(client, ada, bob) -> dict:
    """Ada's notes on two papers with a reply thread, and Bob's private and public notes."""
    first = create(client, ada, comment="Why *exponential*?", tags=("dilation",), start=10, visibility="public")
    reply = client.post(API, json={"body": {"type": "TextualBody", "value": "Doubling dilations."},
                                   "target": first["id"], "visibility": "public"}, headers=ada).json()
    second = create(client, ada, slug="attention-toy", exact="softmax", tags=("attention", "math"))
    create(client, bob, comment="bob's secret plan", tags=("bobs-secret",))
    theirs = create(client, bob, comment="bob in public", visibility="public")
    return {"first": first, "reply": reply, "second": second, "theirs": theirs}


def test_jsonld_export_is_a_conformant_collection_of_my_notes(client, ada, ada_notes) -> None:
    response = client.get(EXPORT, headers=ada)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/ld+json")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="marginalia-ada-') and disposition.endswith('.jsonld"')
    collection = response.json()
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 3
    items = collection["first"]["items"]
    assert {item["id"] for item in items} == {ada_notes[k]["id"] for k in ("first", "reply", "second")}
    assert "bob" not in response.text
    report = check_collection(collection)
    assert report.checked > 0 and report.ok, report.summary()
    for item in items:
        item_report = check_annotation({"@context": "http://www.w3.org/ns/anno.jsonld", **item})
        assert item_report.checked > 0 and item_report.ok, item_report.summary()


def test_csv_and_markdown_exports(client, ada, bob, ada_notes) -> None:
    response = client.get(EXPORT, params={"format": "csv"}, headers=ada)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3 and {row["paper"] for row in rows} == {"wave-toy", "attention-toy"}
    assert "secret" not in response.text and "bob" not in response.text
    markdown = client.get(EXPORT, params={"format": "markdown"}, headers=ada)
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.headers["content-disposition"].endswith('.md"')
    assert "## [Dilated Waves](http://testserver/papers/wave-toy)" in markdown.text
    assert "- Doubling dilations." in markdown.text and "secret" not in markdown.text
    bobs = client.get(EXPORT, params={"format": "markdown"}, headers=bob).text
    assert "bob's secret plan" in bobs and "exponential" not in bobs  # his own private note, none of ada's


def test_export_one_paper_and_refusals(client, ada, ada_notes) -> None:
    only = client.get(EXPORT, params={"paper": "attention-toy"}, headers=ada)
    assert only.json()["total"] == 1 and "attention-toy" in only.headers["content-disposition"]
    assert client.get(EXPORT, params={"format": "xml"}, headers=ada).status_code == 422
    assert client.get(EXPORT).status_code == 401


def test_w3c_export_round_trips_into_another_account(client, ada, make_account, ada_notes) -> None:
    exported = client.get(EXPORT, headers=ada)
    carol = make_account("carol")
    upload = {"file": ("mine.jsonld", exported.content, "application/ld+json")}
    report = client.post(IMPORT, files=upload, headers=carol)
    assert report.status_code == 200, report.text
    assert len(report.json()["created"]) == 3 and report.json()["unmatched"] == []
    again = client.post(IMPORT, files=upload, headers=carol).json()
    assert again["created"] == [] and len(again["duplicates"]) == 3  # idempotent
    theirs = client.get(EXPORT, headers=carol).json()["first"]["items"]

    def essence(items):
        return sorted((i["target"]["selector"][0]["exact"] if isinstance(i["target"], dict) else "reply",
                       tuple(sorted((b["purpose"], b["value"]) for b in i.get("body", []))),
                       i["created"], i["visibility"])
                      for i in items)

    assert essence(theirs) == essence(exported.json()["first"]["items"])
    reply = next(i for i in theirs if isinstance(i["target"], str))
    assert reply["target"] in {i["id"] for i in theirs}  # the reply hangs on carol's copy of its parent
    assert all(item["creator"]["name"] == "carol" for item in theirs)


def test_import_hypothesis_json_body_reports_each_item(client, ada) -> None:
    rows = {"total": 2, "rows": [
        {"id": "h1aaaaaaaaaaaaaaaaaaaa", "created": "2023-05-01T10:00:00.000000+00:00", "uri": "https://arxiv.org/abs/1706.00000",
         "text": "nice", "tags": ["Attention"], "permissions": {"read": ["group:__world__"]},
         "target": [{"source": "https://arxiv.org/abs/1706.00000", "selector": [
             {"type": "TextQuoteSelector", "exact": "softmax", "prefix": "by a ", "suffix": " over"}]}]},
        {"id": "h2bbbbbbbbbbbbbbbbbbbb", "uri": "https://example.com/", "text": "elsewhere", "tags": [],
         "permissions": {"read": ["group:__world__"]},
         "target": [{"source": "https://example.com/", "selector": [{"type": "TextQuoteSelector", "exact": "x"}]}]},
    ]}
    response = client.post(IMPORT, json=rows, headers=ada)
    assert response.status_code == 200
    body = response.json()
    assert len(body["created"]) == 1 and body["duplicates"] == []
    assert body["unmatched"] == [{"id": "h2bbbbbbbbbbbbbbbbbbbb", "reason": "no paper here matches https://example.com/"}]
    note = client.get(API + body["created"][0], headers=ada).json()
    assert note["paper"] == "attention-toy" and note["created"] == "2023-05-01T10:00:00Z"
    assert note["visibility"] == "public" and note["creator"]["name"] == "ada"


def test_bad_uploads_are_clear_4xx(client, ada) -> None:
    not_json = client.post(IMPORT, content=b'{"rows": [', headers={**ada, "Content-Type": "application/json"})
    assert not_json.status_code == 400 and "not valid JSON" in not_json.json()["detail"]
    binary = client.post(IMPORT, files={"file": ("x.json", b"\xff\xfe\x00garbage", "application/json")}, headers=ada)
    assert binary.status_code == 400
    wrong_field = client.post(IMPORT, files={"upload": ("x.json", b"[]", "application/json")}, headers=ada)
    assert wrong_field.status_code == 400 and "`file`" in wrong_field.json()["detail"]
    empty = client.post(IMPORT, content=b"  ", headers={**ada, "Content-Type": "application/json"})
    assert empty.status_code == 400
    shapeless = client.post(IMPORT, json={"hello": "world"}, headers=ada)
    assert shapeless.status_code == 400 and "Hypothesis" in shapeless.json()["detail"]
    assert client.post(IMPORT, json=[]).status_code in (401, 403)


def test_uploads_over_the_limit_are_413(client, ada, monkeypatch) -> None:
    big = b'{"rows": [], "pad": "' + b"x" * (deps.MAX_IMPORT_BYTES + 10) + b'"}'
    as_file = client.post(IMPORT, files={"file": ("big.json", big, "application/json")}, headers=ada)
    assert as_file.status_code == 413
    as_body = client.post(IMPORT, content=big, headers={**ada, "Content-Type": "application/json"})
    assert as_body.status_code == 413
    # Under the announced-length check, the file itself is still measured.
    monkeypatch.setattr(deps, "MAX_IMPORT_BYTES", 100)
    small_envelope = client.post(IMPORT, files={"file": ("b.json", b"[" + b" " * 200 + b"]", "application/json")},
                                 headers=ada)
    assert small_envelope.status_code == 413
    chunked = client.post(IMPORT, content=iter([b"[", b" " * 200, b"]"]),  # no Content-Length to check
                          headers={**ada, "Content-Type": "application/json"})
    assert chunked.status_code == 413 and "content-length" not in chunked.request.headers


def test_cookie_import_needs_the_csrf_token(client) -> None:
    from tests.app.routes.test_account_pages import csrf, sign_up

    sign_up(client)
    document = [passage_annotation(comment="from a cookie session")]
    refused = client.post(IMPORT, json=document)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    refused_form = client.post(IMPORT, files={"file": ("a.json", json.dumps(document).encode(), "application/json")})
    assert refused_form.status_code == 403
    allowed = client.post(IMPORT, json=document, headers={"X-CSRF-Token": csrf(client)})
    assert allowed.status_code == 200 and len(allowed.json()["created"]) == 1
    in_form = client.post(IMPORT, data={"csrf_token": csrf(client)},
                          files={"file": ("a.json", json.dumps([passage_annotation(comment="another")]).encode())})
    assert in_form.status_code == 200 and len(in_form.json()["created"]) == 1


def test_existing_annotation_routes_still_work(client, ada) -> None:
    note = create(client, ada, comment="still here")
    assert client.get(note["id"], headers=ada).status_code == 200
