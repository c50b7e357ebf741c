def test_list_papers_with_filters_and_paging(client) -> None:
    body = client.get("/api/v1/papers", params={"per_page": 2}).json()
    assert body["total"] == 3 and body["pages"] == 2 and len(body["items"]) == 2
    first = body["items"][0]
    assert first["slug"] == "attention-toy" and first["url"] == "/papers/attention-toy"
    assert client.get("/api/v1/papers", params={"tag": "audio"}).json()["items"][0]["slug"] == "wave-toy"
    assert client.get("/api/v1/papers", params={"year": 2017}).json()["total"] == 1
    assert client.get("/api/v1/papers", params={"q": "receptive"}).json()["total"] == 1


def test_one_paper_has_metadata_html_and_markdown(client) -> None:
    body = client.get("/api/v1/papers/attention-toy").json()
    assert body["authors"][0] == "Ada Lovelace" and body["arxiv"] == "1706.00000"
    assert '<div class="math math-display">' in body["html"]
    assert body["markdown"].startswith("Attention weighs")
    assert [entry["anchor"] for entry in body["toc"]] == ["scaled-dot-product", "costs"]
    assert len(body["content_hash"]) == 64


def test_unknown_slug_is_a_json_404(client) -> None:
    response = client.get("/api/v1/papers/no-such-paper")
    assert response.status_code == 404
    assert response.json() == {"detail": "no paper with slug 'no-such-paper'"}


def test_bad_parameters_are_json_422(client) -> None:
    for params in ({"year": "abc"}, {"year": 1500}, {"page": 0}, {"per_page": 1000}, {"sort": "random"}):
        response = client.get("/api/v1/papers", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"][0] == "query"


def test_tags_with_counts(client) -> None:
    tags = client.get("/api/v1/tags").json()
    assert {"name": "audio", "papers": 1, "url": "/tags/audio"} in tags


def test_related_papers_answer_with_the_closest_summaries(client, settings) -> None:
    from app.main import refresh_content
    from tests.conftest import write_paper

    write_paper(settings.papers_dir, "more-waves", '---\ntitle: "More Waves"\ntags: ["audio"]\n---\n'
                "Dilated causal convolutions and a larger receptive field for waveform samples.\n")
    refresh_content(client.app)  # what a reindex does
    response = client.get("/api/v1/papers/wave-toy/related")
    assert response.status_code == 200
    related = response.json()
    assert related and all(set(item) == {"slug", "title", "score", "shared_tags", "url", "api_url"} for item in related)
    assert [item["score"] for item in related] == sorted((item["score"] for item in related), reverse=True)
    assert related[0]["slug"] == "more-waves" and related[0]["shared_tags"] == ["audio"]
    assert "wave-toy" not in [item["slug"] for item in related]
    assert client.get("/api/v1/papers/no-such-paper/related").status_code == 404
