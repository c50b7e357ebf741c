from app.db.engine import make_engine, make_session_factory
from app.services.paper_catalog import PaperCatalog
from app.services.paper_index import reindex
from tests.conftest import write_paper


def test_catalog_serves_snapshots_and_sees_other_processes_reindex(session, settings) -> None:
    reindex(session, settings.papers_dir)
    engine = make_engine(settings.resolved_database_url)  # a second "process" reading the same file
    catalog = PaperCatalog(make_session_factory(engine), recheck_seconds=0)
    catalog.reload()
    assert catalog.get("wave-toy").title == "Dilated Waves"
    assert catalog.get("wave-toy").tag_names == ("audio", "dilated-convolutions")
    assert catalog.get("missing") is None

    write_paper(settings.papers_dir, "wave-toy", "---\ntitle: Waves, Second Edition\n---\nNew.\n")
    (settings.papers_dir / "untitled-notes.md").unlink()
    reindex(session, settings.papers_dir)
    assert catalog.get("wave-toy").title == "Waves, Second Edition"
    assert catalog.get("untitled-notes") is None
    engine.dispose()


def test_catalog_waits_between_checks(session, settings) -> None:
    reindex(session, settings.papers_dir)
    catalog = PaperCatalog(make_session_factory(session.get_bind()), recheck_seconds=3600)
    catalog.reload()
    write_paper(settings.papers_dir, "wave-toy", "---\ntitle: Changed\n---\nNew.\n")
    reindex(session, settings.papers_dir)
    assert catalog.get("wave-toy").title == "Dilated Waves"  # not rechecked yet
    catalog.reload()
    assert catalog.get("wave-toy").title == "Changed"
