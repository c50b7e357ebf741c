"""Stream, profiles, tag pages and search show annotations, and never someone's private ones."""

import pytest

from tests.conftest import passage_annotation

API = "/api/v1/annotations/"


@pytest.fixture
def notes(client, make_account):
    ada, bob = make_account("ada"), make_account("bob")
    public = passage_annotation(comment="Dilation is **neat** $d_l$", tags=("shared-tag",), visibility="public")
    client.post(API, json=public, headers=ada)
    secret = passage_annotation(exact="field", comment="zanzibar secret", tags=("private-only",))
    client.post(API, json=secret, headers=ada)
    return {"ada": ada, "bob": bob}


def test_stream_groups_by_month_and_hides_private_notes(client, notes) -> None:
    html = client.get("/stream").text
    assert "Dilation is <strong>neat</strong>" in html and 'class="month-title"' in html
    assert "zanzibar" not in html and "private-only" not in html
    assert "receptive field" in html  # the quoted passage
    assert client.get("/stream", params={"tag": "shared-tag"}).text.count('<article class="entry') == 1
    assert client.get("/stream", params={"user": "bob"}).text.count('<article class="entry') == 0


def test_profile_lists_public_notes_and_tags(client, notes) -> None:
    html = client.get("/users/ada").text
    assert "shared-tag" in html and "zanzibar" not in html and "private-only" not in html
    assert client.get("/users/nobody").status_code == 404


def test_tag_pages_cover_annotations_without_leaking_private_tags(client, notes) -> None:
    assert "Dilation is" in client.get("/tags/shared-tag").text
    assert client.get("/tags/private-only").status_code == 404


def test_search_covers_annotations_by_visibility(client, notes) -> None:
    public = client.get("/api/v1/search", params={"q": "dilation"}).json()
    assert public["annotations"]["total"] == 1
    assert client.get("/api/v1/search", params={"q": "zanzibar"}).json()["annotations"]["total"] == 0
    assert client.get("/api/v1/search", params={"q": "zanzibar"},
                      headers=notes["bob"]).json()["annotations"]["total"] == 0
    own = client.get("/api/v1/search", params={"q": "zanzibar"}, headers=notes["ada"]).json()
    assert own["annotations"]["total"] == 1 and "<mark>zanzibar</mark>" in own["annotations"]["results"][0]["snippet"]
    results = client.get("/search", params={"q": "zanzibar"}).text.split('class="result-count"', 1)[1]
    assert "zanzibar" not in results.split("</p>", 1)[1]  # only the "0 results for ..." line names it


def test_tag_suggestions_respect_visibility(client, notes) -> None:
    assert "private-only" not in client.get("/api/v1/tags/suggest", params={"prefix": "p"}).json()
    assert "private-only" in client.get("/api/v1/tags/suggest", params={"prefix": "p"}, headers=notes["ada"]).json()
    assert client.get("/api/v1/tags/suggest", params={"prefix": "sh"}).json() == ["shared-tag"]


def test_public_notes_move_a_paper_up_recently_annotated_private_ones_do_not(client, notes) -> None:
    order = [p["slug"] for p in client.get("/api/v1/papers", params={"sort": "annotated"}).json()["items"]]
    assert order[0] == "wave-toy"
    client.post(API, json=passage_annotation(slug="untitled-notes", exact="Batch"), headers=notes["bob"])
    order = [p["slug"] for p in client.get("/api/v1/papers", params={"sort": "annotated"}).json()["items"]]
    assert order[0] == "wave-toy"  # bob's private note changed nothing anyone can see
