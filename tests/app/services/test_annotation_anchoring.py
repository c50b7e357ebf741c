from sqlalchemy import select

from app.db.models import Annotation, Paper
from app.schemas.annotations import AnnotationDraft, Passage
from app.services.accounts import create_user
from app.services.annotation_write import create_annotation
from app.services.paper_index import reindex
from app.services.text_anchoring import summary_text
from tests.conftest import write_paper

BEFORE = "---\ntitle: Waves\n---\nFirst paragraph about receptive fields.\n\nSecond paragraph on gated units.\n"
AFTER = "---\ntitle: Waves\n---\nA new opening line.\n\nFirst paragraph about receptive fields.\n"


def note(session, user, exact: str) -> Annotation:
    paper = session.scalar(select(Paper).where(Paper.slug == "wave-toy"))
    start = summary_text(paper.html).index(exact)
    draft = AnnotationDraft("", (), "private", paper_ref="wave-toy",
                            passage=Passage(exact, start=start, end=start + len(exact)), motivation="highlighting")
    return session.get(Annotation, create_annotation(session, user, draft).id)


def test_reindex_moves_notes_with_their_text_and_orphans_deleted_passages(session, settings) -> None:
    write_paper(settings.papers_dir, "wave-toy", BEFORE)
    reindex(session, settings.papers_dir)
    ada = create_user(session, name="ada", password="correct horse battery")
    kept, gone = note(session, ada, "receptive fields"), note(session, ada, "gated units")
    old_start = kept.position_start

    write_paper(settings.papers_dir, "wave-toy", AFTER)
    report = reindex(session, settings.papers_dir)
    assert report.orphaned == [gone.id]
    session.refresh(kept)
    session.refresh(gone)
    new_text = summary_text(session.scalar(select(Paper.html).where(Paper.slug == "wave-toy")))
    assert kept.position_start > old_start and not kept.orphaned
    assert new_text[kept.position_start:kept.position_end] == "receptive fields"
    assert gone.orphaned and gone.position_start is not None  # its old selectors are kept
