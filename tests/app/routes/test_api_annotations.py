"""The annotation container over HTTP: protocol, visibility, and authorization."""

import pytest

from tests.app.routes.conftest import create
from tests.conftest import passage_annotation

API = "/api/v1/annotations/"


def test_create_returns_jsonld_location_and_etag(client, ada) -> None:
    response = client.post(API, json=passage_annotation(comment="Why *exponential*? $2^L$", tags=("Receptive Field",),
                                                         start=10), headers=ada)
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/ld+json")
    body = response.json()
    assert response.headers["location"] == body["id"] and body["id"].startswith("http://testserver/api/v1/annotations/")
    assert response.headers["etag"] == f'"{body["id"].rsplit("/", 1)[1]}-1"'
    assert body["@context"] == "http://www.w3.org/ns/anno.jsonld" and body["type"] == "Annotation"
    assert body["motivation"] == "commenting" and body["creator"]["name"] == "ada"
    assert {"type": "TextualBody", "value": "receptive-field", "purpose": "tagging"} in body["body"]
    assert body["target"]["source"] == "http://testserver/papers/wave-toy"
    assert body["target"]["selector"][1] == {"type": "TextPositionSelector", "start": 10, "end": 25}
    assert ('<span class="math math-inline">2^L</span>' in body["bodyHtml"]
            and "<em>exponential</em>" in body["bodyHtml"])
    assert body["visibility"] == "private" and len(body["summaryVersion"]) == 64


def test_highlight_tagging_and_reply_motivations(client, ada, bob) -> None:
    assert create(client, ada)["motivation"] == "highlighting"
    assert create(client, ada, tags=("x",))["motivation"] == "tagging"
    parent = create(client, ada, comment="public note", visibility="public")
    reply = client.post(API, json={"body": {"type": "TextualBody", "value": "I agree"}, "target": parent["id"],
                                   "visibility": "public"}, headers=bob)
    assert reply.status_code == 201 and reply.json()["motivation"] == "replying"
    assert reply.json()["target"] == parent["id"]
    nested = client.post(API, json={"body": {"type": "TextualBody", "value": "me too"}, "target": reply.json()["id"]},
                         headers=ada)
    assert nested.status_code == 201  # threads nest


def test_collection_pages_and_filters(client, ada) -> None:
    for i in range(5):
        create(client, ada, comment=f"note {i}", tags=("even",) if i % 2 == 0 else ())
    collection = client.get(API, params={"per_page": 2}, headers=ada).json()
    assert collection["type"] == ["BasicContainer", "AnnotationCollection"] and collection["total"] == 5
    first = collection["first"]
    assert first["type"] == "AnnotationPage" and len(first["items"]) == 2 and first["next"].endswith("page=2")
    second = client.get(first["next"], headers=ada).json()
    assert second["type"] == "AnnotationPage" and second["partOf"] == collection["id"] and second["startIndex"] == 2
    assert client.get(API, params={"tag": "even"}, headers=ada).json()["total"] == 3
    assert client.get(API, params={"q": "note"}, headers=ada).json()["total"] == 5
    assert client.get(API, params={"paper": "attention-toy"}, headers=ada).json()["total"] == 0
    assert client.get(API, params={"user": "ada", "visibility": "private"}, headers=ada).json()["total"] == 5


def test_put_patch_etag_and_stale_writes(client, ada) -> None:
    note = create(client, ada, comment="first")
    url = note["id"]
    item = client.get(url, headers=ada)
    tag = item.headers["etag"]
    assert client.get(url, headers={**ada, "If-None-Match": tag}).status_code == 304
    patched = client.patch(url, json={"visibility": "public"}, headers={**ada, "If-Match": tag})
    assert patched.status_code == 200 and patched.json()["visibility"] == "public"
    stale = client.put(url, json={**passage_annotation(comment="second")}, headers={**ada, "If-Match": tag})
    assert stale.status_code == 412
    assert client.get(url, headers=ada).json()["body"][0]["value"] == "first"  # nothing changed
    fresh = client.put(url, json=passage_annotation(comment="second", visibility="public"),
                       headers={**ada, "If-Match": patched.headers["etag"]})
    assert fresh.status_code == 200 and fresh.json()["body"][0]["value"] == "second"


def test_delete(client, ada) -> None:
    note = create(client, ada, comment="bye")
    assert client.delete(note["id"], headers=ada).status_code == 204
    assert client.get(note["id"], headers=ada).status_code == 404


def test_private_notes_never_reach_anyone_else(client, ada, bob) -> None:
    secret = create(client, ada, comment="my secret plan", tags=("secret-tag",))
    create(client, ada, comment="a public thought", visibility="public")
    url = secret["id"]
    for headers in (bob, {}):
        assert client.get(url, headers=headers).status_code == 404
        listing = client.get(API, headers=headers).json()
        assert listing["total"] == 1 and "secret" not in str(listing)
        assert client.get(API, params={"q": "secret"}, headers=headers).json()["total"] == 0
        assert client.get(API, params={"tag": "secret-tag"}, headers=headers).json()["total"] == 0
    # Every write route answers 404 (not 403): the note's existence is not revealed.
    assert client.put(url, json=passage_annotation(comment="x"), headers=bob).status_code == 404
    assert client.patch(url, json={"visibility": "public"}, headers=bob).status_code == 404
    assert client.delete(url, headers=bob).status_code == 404
    reply = client.post(API, json={"body": {"type": "TextualBody", "value": "hi"}, "target": url}, headers=bob)
    assert reply.status_code == 400 and "does not exist" in reply.json()["detail"]
    assert client.get(url, headers=ada).json()["body"][0]["value"] == "my secret plan"


def test_others_public_notes_are_readable_not_writable(client, ada, bob) -> None:
    note = create(client, ada, comment="public", visibility="public")
    assert client.get(note["id"], headers=bob).status_code == 200
    assert client.patch(note["id"], json={"visibility": "private"}, headers=bob).status_code == 403
    assert client.delete(note["id"], headers=bob).status_code == 403
    assert client.post(note["id"] + "/hide", headers=bob).status_code == 403


def test_admins_hide_and_authors_still_see_hidden_notes(client, ada, bob, make_account) -> None:
    admin = make_account("root", admin=True)
    note = create(client, ada, comment="spam", visibility="public")
    assert client.post(note["id"] + "/hide", headers=admin).json()["hidden"] is True
    assert client.get(note["id"], headers=bob).status_code == 404
    assert client.get(API, headers={}).json()["total"] == 0
    mine = client.get(note["id"], headers=ada).json()
    assert mine["hidden"] is True
    assert client.post(note["id"] + "/unhide", headers=admin).json()["hidden"] is False
    assert client.get(note["id"], headers=bob).status_code == 200


def test_reply_to_a_private_note_stays_private(client, ada) -> None:
    note = create(client, ada, comment="mine")
    reply = client.post(API, json={"body": {"type": "TextualBody", "value": "to self"}, "target": note["id"],
                                   "visibility": "public"}, headers=ada)
    assert reply.json()["visibility"] == "private"


def test_deleting_a_note_with_replies_keeps_the_replies(client, ada, bob) -> None:
    note = create(client, ada, comment="parent", visibility="public")
    reply = client.post(API, json={"body": {"type": "TextualBody", "value": "child"}, "target": note["id"],
                                   "visibility": "public"}, headers=bob).json()
    assert client.delete(note["id"], headers=ada).status_code == 204
    stub = client.get(note["id"], headers=bob).json()
    assert stub["deleted"] is True and "body" not in stub
    assert client.get(reply["id"], headers=bob).json()["body"][0]["value"] == "child"


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"target": {"source": "/papers/wave-toy"}}, 400),  # no quote selector
        ({"target": {"source": "/papers/nope", "selector": {"type": "TextQuoteSelector", "exact": "x"}}}, 400),
        ({"target": "not-an-iri"}, 400),
        ({"body": {"type": "Image", "value": "x"}, "target": {"source": "/papers/wave-toy",
          "selector": {"type": "TextQuoteSelector", "exact": "x"}}}, 400),
        ({"body": {"type": "TextualBody", "value": "bad tag!", "purpose": "tagging"},
          "target": {"source": "wave-toy", "selector": {"type": "TextQuoteSelector", "exact": "x"}}}, 400),
        ({"visibility": "everyone", "target": "wave-toy"}, 422),
        ({}, 422),
    ],
)
def test_bad_input_is_a_clear_4xx_and_creates_nothing(client, ada, payload, status) -> None:
    response = client.post(API, json=payload, headers=ada)
    assert response.status_code == status and response.json()["detail"]
    assert client.get(API, headers=ada).json()["total"] == 0


def test_writes_need_an_account_and_cookie_writes_need_csrf(client) -> None:
    assert client.post(API, json=passage_annotation()).status_code in (401, 403)
    from tests.app.routes.test_account_pages import csrf, sign_up

    sign_up(client)
    refused = client.post(API, json=passage_annotation())
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    allowed = client.post(API, json=passage_annotation(), headers={"X-CSRF-Token": csrf(client)})
    assert allowed.status_code == 201


def test_a_revoked_or_wrong_token_is_refused(client) -> None:
    assert client.get(API, headers={"Authorization": "Bearer mgl_nope"}).status_code == 401


def test_stored_xss_in_comments_and_tags_is_neutralized(client, ada) -> None:
    note = create(client, ada, comment='<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>1</script>',
                  visibility="public")
    html = note["bodyHtml"]
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html
    bad_tag = client.post(API, json=passage_annotation(tags=('"><script>',)), headers=ada)
    assert bad_tag.status_code == 400
