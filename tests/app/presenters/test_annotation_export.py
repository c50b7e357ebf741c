"""The export presenter: W3C collection, CSV (with the formula guard) and Markdown."""

import csv
import io
import json
from datetime import date, datetime

import pytest

from app.db.models import Annotation
from app.presenters.annotation_export import CSV_COLUMNS, render_csv, render_export, render_markdown
from app.schemas.annotations import AnnotationDraft, Passage
from app.services.accounts import create_user
from app.services.annotation_write import create_annotation
from tests.w3c_conformance import check_annotation, check_collection

BASE = "http://testserver"
TODAY = date(2025, 6, 1)


def note(db, user, exact="receptive field", *, comment="", tags=(), slug="wave-toy", parent=None,
         start=None, visibility="private", when=None):
    passage = None if parent else Passage(exact, "grow the ", " exponentially", start,
                                          None if start is None else start + len(exact))
    motivation = "replying" if parent else "commenting" if comment else "tagging" if tags else "highlighting"
    draft = AnnotationDraft(comment, tuple(tags), visibility, paper_ref=None if parent else slug,
                            passage=passage, parent_id=parent.id if parent else None, motivation=motivation)
    # Exports read stored annotations (with their paper), not the value create_annotation returns.
    return db.get(Annotation, create_annotation(db, user, draft, created_at=when).id)


@pytest.fixture
def notes(db, ada):
    first = note(db, ada, comment="Why *exponential*?", tags=("dilation", "receptive-field"), start=40,
                 when=datetime(2025, 1, 2, 3, 4, 5))
    reply = note(db, ada, comment="Because dilations double.\n\nSee the table.", parent=first,
                 when=datetime(2025, 1, 3))
    nested = note(db, ada, comment="nested", parent=reply, when=datetime(2025, 1, 4))
    attention = note(db, ada, "softmax over scores", slug="attention-toy", when=datetime(2025, 1, 5))
    return [first, reply, nested, attention]


def test_jsonld_collection_conforms_and_holds_every_item(notes) -> None:
    document = render_export("jsonld", notes, BASE, owner="ada", today=TODAY)
    assert document.media_type.startswith("application/ld+json")
    assert document.filename == "marginalia-ada-2025-06-01.jsonld"
    collection = json.loads(document.content)
    assert collection["@context"] == ["http://www.w3.org/ns/anno.jsonld"]
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 4
    assert collection["id"] == f"{BASE}/api/v1/annotations/export?format=jsonld"
    assert collection["label"] == "Annotations by ada"
    items = collection["first"]["items"]
    assert [item["id"].rsplit("/", 1)[1] for item in items] == [n.id for n in notes]
    report = check_collection(collection)
    assert report.checked > 0 and report.ok, report.summary()
    for item in items:
        item_report = check_annotation({"@context": "http://www.w3.org/ns/anno.jsonld", **item})
        assert item_report.checked > 0 and item_report.ok, item_report.summary()


def test_csv_has_one_row_per_annotation(notes) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(notes, BASE))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 4
    first, reply = rows[0], rows[1]
    assert first["id"] == f"{BASE}/api/v1/annotations/{notes[0].id}"
    assert (first["created"], first["paper"], first["paper_title"]) == (
        "2025-01-02T03:04:05Z", "wave-toy", "Dilated Waves"
    )
    assert (first["quote"], first["prefix"], first["suffix"]) == ("receptive field", "grow the ", " exponentially")
    assert (first["start"], first["end"], first["tags"]) == ("40", "55", "dilation receptive-field")
    assert first["comment"] == "Why *exponential*?" and first["parent"] == "" and first["visibility"] == "private"
    assert reply["comment"] == "Because dilations double.\n\nSee the table."  # quoted, newlines kept
    assert reply["parent"] == first["id"] and reply["quote"] == "" and reply["motivation"] == "replying"


def test_csv_cells_cannot_become_formulas(db, ada) -> None:
    evil = note(db, ada, "=HYPERLINK(\"http://evil\",\"x\")", comment="+SUM(A1:A9)", tags=())
    also = note(db, ada, "@cmd", comment="-2+3")
    rows = list(csv.DictReader(io.StringIO(render_csv([evil, also], BASE))))
    assert rows[0]["quote"] == "'=HYPERLINK(\"http://evil\",\"x\")" and rows[0]["comment"] == "'+SUM(A1:A9)"
    assert rows[1]["quote"] == "'@cmd" and rows[1]["comment"] == "'-2+3"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_markdown_groups_by_paper_and_nests_replies(notes) -> None:
    text = render_markdown(notes, BASE, owner="ada", today=TODAY)
    assert text.startswith("# Annotations by ada\n\nExported from Marginalia on 2025-06-01: 4 annotations on 2 papers.")
    attention = text.index(f"## [Attention Is a Toy Example]({BASE}/papers/attention-toy)")
    waves = text.index(f"## [Dilated Waves]({BASE}/papers/wave-toy)")
    assert attention < waves  # papers by title
    section = text[waves:]
    assert "> receptive field\n\nWhy *exponential*?\n\n*#dilation #receptive-field · 2025-01-02 · private*" in section
    assert f"[link]({BASE}/api/v1/annotations/{notes[0].id})" in section
    assert "\n- Because dilations double.\n\n  See the table.\n  *2025-01-03 · private* · [link]" in section
    assert "\n  - nested\n    *2025-01-04 · private*" in section
    assert "> softmax over scores" in text[attention:waves]


def test_markdown_shows_a_reply_to_someone_elses_note_on_its_own(db, ada, notes) -> None:
    bob = create_user(db, name="bob", password="correct horse battery")
    theirs = note(db, bob, comment="public", visibility="public")
    mine = note(db, ada, comment="I reply", parent=theirs)
    text = render_markdown([mine], BASE, owner="ada", today=TODAY)
    assert f"Reply to [a note]({BASE}/api/v1/annotations/{theirs.id}):\n\nI reply" in text
    assert "1 annotation on 1 paper." in text


def test_file_names_and_types(notes) -> None:
    csv_file = render_export("csv", notes, BASE, owner="ada", paper="wave-toy", today=TODAY)
    assert csv_file.filename == "marginalia-ada-wave-toy-2025-06-01.csv"
    assert csv_file.media_type == "text/csv; charset=utf-8"
    markdown = render_export("markdown", notes, BASE, owner="ada", today=TODAY)
    assert markdown.filename.endswith(".md") and markdown.media_type == "text/markdown; charset=utf-8"
    with pytest.raises(ValueError):
        render_export("xml", notes, BASE, owner="ada")
