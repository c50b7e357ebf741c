from datetime import datetime

import pytest

from app.db.models import Paper
from app.services.paper_index import reindex
from app.services.paper_read import PaperSort, list_papers, list_tags, list_years, papers_by_demo


@pytest.fixture
def indexed(session, settings):
    reindex(session, settings.papers_dir)
    return session


def slugs(page) -> list[str]:
    return [paper.slug for paper in page.items]


def test_default_order_is_newest_first_undated_last(indexed) -> None:
    assert slugs(list_papers(indexed)) == ["attention-toy", "wave-toy", "untitled-notes"]


def test_title_sort_and_filters(indexed) -> None:
    titles = [p.title for p in list_papers(indexed, sort=PaperSort.title).items]
    assert titles == ["Attention Is a Toy Example", "Dilated Waves", "Notes Without Front Matter"]
    assert slugs(list_papers(indexed, tag="audio")) == ["wave-toy"]
    assert slugs(list_papers(indexed, year=2017)) == ["attention-toy"]
    assert slugs(list_papers(indexed, query="attention", tag="audio")) == []


def test_recently_annotated_sort(indexed) -> None:
    wave = indexed.query(Paper).filter_by(slug="wave-toy").one()
    wave.last_annotated_at = datetime(2026, 1, 1)
    indexed.commit()
    assert slugs(list_papers(indexed, sort=PaperSort.annotated))[0] == "wave-toy"


def test_paging_counts(indexed) -> None:
    page = list_papers(indexed, page=2, per_page=2)
    assert page.total == 3 and page.pages == 2 and not page.has_next
    assert slugs(page) == ["untitled-notes"]


def test_tags_years_and_demos(indexed) -> None:
    assert {(t.name, t.papers) for t in list_tags(indexed)} == {
        ("nlp", 1), ("sequence-models", 1), ("audio", 1), ("dilated-convolutions", 1)
    }
    assert list_years(indexed) == [2017, 2016]
    assert [p.slug for p in papers_by_demo(indexed)["wavenet"]] == ["wave-toy"]
