import re


def test_search_returns_ranked_results_with_snippets(client) -> None:
    body = client.get("/api/v1/search", params={"q": "dilated"}).json()
    assert body["query"] == "dilated" and body["total"] == 1
    result = body["results"][0]
    assert result["paper"]["slug"] == "wave-toy"
    assert re.search(r"<mark>dilat\w*</mark>", result["snippet"], re.IGNORECASE)


def test_search_needs_a_query(client) -> None:
    assert client.get("/api/v1/search").status_code == 422
    assert client.get("/api/v1/search", params={"q": ""}).status_code == 422


def test_search_and_page_use_the_same_service(client) -> None:
    api = client.get("/api/v1/search", params={"q": "attention"}).json()
    page = client.get("/search", params={"q": "attention"}).text
    for result in api["results"]:
        assert f'href="{result["url"]}"' in page
        assert result["url"].startswith(f'/papers/{result["paper"]["slug"]}?highlight=attention')
