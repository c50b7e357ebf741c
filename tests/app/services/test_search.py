import pytest

from app.services.fulltext import query_words
from app.services.paper_index import reindex
from app.services.search import highlight, search_papers


@pytest.fixture
def indexed(session, settings):
    reindex(session, settings.papers_dir)
    return session


def test_title_matches_rank_above_body_matches(indexed) -> None:
    found = search_papers(indexed, "dilated")
    assert [hit.paper.slug for hit in found.items][0] == "wave-toy"


def test_search_covers_authors_tags_and_stems(indexed) -> None:
    assert {h.paper.slug for h in search_papers(indexed, "hopper").items} == {"attention-toy"}
    assert {h.paper.slug for h in search_papers(indexed, "audio").items} == {"wave-toy"}
    # Porter stemming: "normalizes" finds "normalize".
    assert {h.paper.slug for h in search_papers(indexed, "normalizes").items} == {"untitled-notes"}


def test_last_word_matches_as_a_prefix(indexed) -> None:
    assert {h.paper.slug for h in search_papers(indexed, "recept").items} == {"wave-toy"}


def test_snippets_mark_matches_and_escape_everything_else(indexed) -> None:
    hit = search_papers(indexed, "receptive").items[0]
    assert "<mark>receptive</mark>" in hit.snippet_html.lower()
    assert highlight("a < b \x02c\x03") == "a &lt; b <mark>c</mark>"


@pytest.mark.parametrize("query", ['"', "*", "AND OR NOT", "title:x", "(", "a^b", "NEAR(a b)"])
def test_query_syntax_never_errors(indexed, query: str) -> None:
    search_papers(indexed, query)  # no exception: words are quoted before FTS5 sees them


def test_a_query_without_words_matches_nothing(indexed) -> None:
    assert query_words("?!") == []
    assert search_papers(indexed, "?!").total == 0


def test_paging(indexed) -> None:
    first = search_papers(indexed, "a", page=1, per_page=1)
    second = search_papers(indexed, "a", page=2, per_page=1)
    assert first.total == second.total >= 2
    assert first.items[0].paper.slug != second.items[0].paper.slug
