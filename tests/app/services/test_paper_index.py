from sqlalchemy import select, text

from app.db.models import Paper, Tag
from app.services.paper_index import reindex
from app.settings import Settings
from tests.conftest import write_paper


def test_first_reindex_adds_every_file(session, settings: Settings) -> None:
    report = reindex(session, settings.papers_dir)
    assert sorted(report.added) == ["attention-toy", "untitled-notes", "wave-toy"]
    paper = session.scalar(select(Paper).where(Paper.slug == "attention-toy"))
    assert paper.tag_names == ["nlp", "sequence-models"]
    assert '<span class="math math-inline">v_j</span>' in paper.html
    assert [entry["anchor"] for entry in paper.toc] == ["scaled-dot-product", "costs"]


def test_unchanged_files_are_not_rendered_again(session, settings: Settings) -> None:
    reindex(session, settings.papers_dir)
    before = session.scalar(select(Paper.indexed_at).where(Paper.slug == "wave-toy"))
    report = reindex(session, settings.papers_dir)
    assert report.unchanged == 3 and not (report.added or report.updated or report.removed)
    assert session.scalar(select(Paper.indexed_at).where(Paper.slug == "wave-toy")) == before


def test_edits_and_deletions_are_picked_up(session, settings: Settings) -> None:
    reindex(session, settings.papers_dir)
    write_paper(settings.papers_dir, "wave-toy", "---\ntitle: Waves Revised\ntags: [speech]\n---\nNew text.\n")
    (settings.papers_dir / "untitled-notes.md").unlink()
    report = reindex(session, settings.papers_dir)
    assert report.updated == ["wave-toy"] and report.removed == ["untitled-notes"]
    assert session.scalar(select(Paper.title).where(Paper.slug == "wave-toy")) == "Waves Revised"
    assert set(session.scalars(select(Tag.name))) == {"nlp", "sequence-models", "speech"}
    rows = session.execute(text("SELECT count(*) FROM paper_search")).scalar()
    assert rows == 2


def test_a_broken_edit_keeps_the_last_good_version(session, settings: Settings) -> None:
    reindex(session, settings.papers_dir)
    write_paper(settings.papers_dir, "wave-toy", "---\ntitle: [broken\n---\nText\n")
    report = reindex(session, settings.papers_dir)
    assert list(report.errors) == [str(settings.papers_dir / "wave-toy.md")]
    assert session.scalar(select(Paper.title).where(Paper.slug == "wave-toy")) == "Dilated Waves"
