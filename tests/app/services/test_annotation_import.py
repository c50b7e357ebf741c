"""Importing W3C and Hypothesis annotations: paper matching, replies, idempotence, reasons."""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.db.models import Annotation
from app.schemas.annotations import AnnotationDraft, Passage
from app.services.accounts import create_user
from app.services.annotation_import import InvalidImport, _Importer, arxiv_key, import_annotations
from app.services.annotation_write import create_annotation

BASE = "http://testserver"
GRACE = "acct:grace@hypothes.is"
WORLD = {"read": ["group:__world__"], "admin": [GRACE], "update": [GRACE], "delete": [GRACE]}
ONLY_ME = {"read": [GRACE], "admin": [GRACE], "update": [GRACE], "delete": [GRACE]}


@pytest.fixture
def bob(db):
    return create_user(db, name="bob", password="correct horse battery")


def mine(db, user) -> list[Annotation]:
    return list(db.scalars(select(Annotation).where(Annotation.creator_id == user.id).order_by(Annotation.created_at)))


def w3c(exact="receptive field", *, source=f"{BASE}/papers/wave-toy", comment="", tags=(), id=None, **extra) -> dict:
    body = [{"type": "TextualBody", "value": comment, "format": "text/markdown"}] if comment else []
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]
    note = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "body": body,
            "target": {"source": source, "selector": [{"type": "TextQuoteSelector", "exact": exact}]}}
    return note | ({"id": id} if id else {}) | extra


# A small Hypothesis thread on the arXiv page of the "attention-toy" fixture paper, written by
# hand in the shape of the h API's search rows (GET /api/search).
ROOT_ROW = {
    "id": "kT3cVb9xEe-7Qx2mPpL1aw",
    "created": "2023-03-14T09:26:53.589793+00:00",
    "updated": "2023-03-14T09:31:02.100000+00:00",
    "user": GRACE,
    "uri": "https://arxiv.org/abs/1706.00000v2",
    "text": "Why a **softmax** and not a plain normalisation?",
    "tags": ["Attention", "open question"],
    "group": "__world__",
    "permissions": WORLD,
    "target": [{
        "source": "https://arxiv.org/abs/1706.00000v2",
        "selector": [
            {"type": "RangeSelector", "startContainer": "/div[1]/blockquote[1]", "startOffset": 41,
             "endContainer": "/div[1]/blockquote[1]", "endOffset": 62},
            {"type": "TextPositionSelector", "start": 1187, "end": 1208},
            {"type": "TextQuoteSelector", "exact": "a softmax over scores",
             "prefix": "Abstract: Attention weighs the values v_j by ", "suffix": " q . k_j, which are dot products"},
        ],
    }],
    "document": {"title": ["[1706.00000] Attention Is a Toy Example"]},
    "links": {"html": "https://hypothes.is/a/kT3cVb9xEe-7Qx2mPpL1aw",
              "incontext": "https://hyp.is/kT3cVb9xEe-7Qx2mPpL1aw/arxiv.org/abs/1706.00000v2"},
    "flagged": False,
    "hidden": False,
    "user_info": {"display_name": "Grace H."},
}
REPLY_ROW = {
    "id": "pQ8wZb9yEe-Jf0aR2kq3Nw",
    "created": "2023-03-15T18:02:11.000000+00:00",
    "updated": "2023-03-15T18:02:11.000000+00:00",
    "user": GRACE,
    "uri": "https://arxiv.org/abs/1706.00000v2",
    "text": "Answering myself: it keeps the weights positive and differentiable.",
    "tags": [],
    "group": "__world__",
    "permissions": WORLD,
    "target": [{"source": "https://arxiv.org/abs/1706.00000v2"}],
    "references": ["kT3cVb9xEe-7Qx2mPpL1aw"],
    "document": {"title": ["[1706.00000] Attention Is a Toy Example"]},
}
PAGE_NOTE_ROW = {
    "id": "zz1aZb9yEe-AAAAAAAAAAA", "created": "2023-03-16T08:00:00+00:00", "updated": "2023-03-16T08:00:00+00:00",
    "user": GRACE, "uri": "https://arxiv.org/abs/1706.00000", "text": "Read this again before the exam.",
    "tags": [], "group": "__world__", "permissions": WORLD,
    "target": [{"source": "https://arxiv.org/abs/1706.00000"}], "document": {},
}
# Made with Hypothesis on a Marginalia page (on another host): private to its author.
MARGINALIA_ROW = {
    "id": "Hm4sYb9zEe-Bv8cW0n1tXg", "created": "2024-01-09T21:14:00.000000+00:00",
    "updated": "2024-01-09T21:14:00+00:00",
    "user": GRACE, "uri": "https://marginalia.example.org/papers/wave-toy#receptive-field",
    "text": "", "tags": ["dilation"], "group": "__world__", "permissions": ONLY_ME,
    "target": [{"source": "https://marginalia.example.org/papers/wave-toy#receptive-field", "selector": [
        {"type": "TextPositionSelector", "start": 4021, "end": 4036},
        {"type": "TextQuoteSelector", "exact": "receptive field", "prefix": "convolutions grow the ",
         "suffix": " exponentially"}]}],
}
UNKNOWN_PAPER_ROW = {
    "id": "Qx0dEb90Ee-unknownpaper", "created": "2024-02-01T10:00:00+00:00", "user": GRACE,
    "uri": "https://arxiv.org/pdf/9999.99999v1.pdf", "text": "Not in the library.", "tags": [],
    "permissions": WORLD, "target": [{"source": "https://arxiv.org/pdf/9999.99999v1.pdf", "selector": [
        {"type": "TextQuoteSelector", "exact": "something", "prefix": "", "suffix": ""}]}],
}
BAD_TAG_ROW = {
    **ROOT_ROW, "id": "Bt5gFb91Ee-badtagsrow00", "tags": ["C++ & CUDA!"],
}
# The Hypothesis client's "Export annotations" file (JSON format); this note is on the PDF,
# whose `uri` is a fingerprint: the arXiv address is in the target and the document links.
CLIENT_EXPORT = {
    "export_date": "2024-05-02T17:40:11.120Z",
    "export_userid": GRACE,
    "client_version": "1.1454.0",
    "annotations": [{
        "id": "Ex7pDb92Ee-pdfnote00001",
        "created": "2024-04-30T07:45:00.000Z",
        "updated": "2024-04-30T07:45:00.000Z",
        "user": GRACE,
        "uri": "urn:x-pdf:7c1e5b0f2a9d4e3b8f6a1c0d9e8f7a6b",
        "text": "Scaled by $\\sqrt{d_k}$ to keep the logits small.",
        "tags": ["scaling"],
        "group": "__world__",
        "permissions": WORLD,
        "target": [{"source": "https://arxiv.org/pdf/1706.00000v1", "selector": [
            {"type": "TextPositionSelector", "start": 8812, "end": 8832},
            {"type": "TextQuoteSelector", "exact": "Scaled dot-product", "prefix": "", "suffix": " attention"},
        ]}],
        "document": {"title": ["Attention Is a Toy Example"],
                     "link": [{"href": "urn:x-pdf:7c1e5b0f2a9d4e3b8f6a1c0d9e8f7a6b"},
                              {"href": "https://arxiv.org/pdf/1706.00000v1"}]},
    }],
}


def test_hypothesis_api_rows_map_by_arxiv_and_marginalia_urls(db, ada) -> None:
    document = {"total": 4, "rows": [REPLY_ROW, ROOT_ROW, MARGINALIA_ROW, PAGE_NOTE_ROW]}  # reply listed first
    report = import_annotations(db, ada, document, base_url=BASE)
    assert len(report.created) == 3 and report.duplicates == []
    assert report.unmatched == [{"id": PAGE_NOTE_ROW["id"], "reason": "a page note (no quoted passage); "
                                 "Marginalia annotates passages"}]
    root, reply, highlight = mine(db, ada)
    assert (root.paper.slug, root.quote_exact, root.body_markdown) == (
        "attention-toy", "a softmax over scores", "Why a **softmax** and not a plain normalisation?")
    assert root.tag_names == ["attention", "open-question"] and root.visibility == "public"
    assert root.quote_prefix == "Abstract: Attention weighs the values v_j by "[-32:]  # context as anchoring keeps it
    assert root.position_start is None  # Hypothesis positions count characters of arxiv.org's page
    assert root.created_at == datetime(2023, 3, 14, 9, 26, 53, 589793) and root.imported_from == ROOT_ROW["id"]
    assert reply.parent_id == root.id and reply.motivation == "replying" and reply.paper_id == root.paper_id
    assert (highlight.paper.slug, highlight.visibility, highlight.tag_names) == ("wave-toy", "private", ["dilation"])
    assert highlight.motivation == "tagging" and highlight.creator_id == ada.id


def test_hypothesis_client_export_file_maps_a_pdf_note(db, ada) -> None:
    report = import_annotations(db, ada, CLIENT_EXPORT, base_url=BASE)
    assert len(report.created) == 1 and report.unmatched == []
    note = mine(db, ada)[0]
    assert note.paper.slug == "attention-toy" and note.tag_names == ["scaling"]
    assert note.created_at == datetime(2024, 4, 30, 7, 45) and note.quote_suffix == " attention"


def test_importing_the_same_file_twice_creates_nothing_new(db, ada) -> None:
    document = {"rows": [ROOT_ROW, REPLY_ROW, MARGINALIA_ROW]}
    first = import_annotations(db, ada, document, base_url=BASE)
    second = import_annotations(db, ada, document, base_url=BASE)
    assert len(first.created) == 3 and second.created == [] and second.unmatched == []
    assert sorted(second.duplicates) == sorted(row["id"] for row in document["rows"])
    assert len(mine(db, ada)) == 3


def test_a_concurrent_duplicate_is_caught_by_the_unique_index(db, ada, monkeypatch) -> None:
    import_annotations(db, ada, [ROOT_ROW], base_url=BASE)
    # As if another request imported the row between our look-up and our write.
    monkeypatch.setattr(_Importer, "_existing", lambda self, original: None)
    report = import_annotations(db, ada, [ROOT_ROW, REPLY_ROW], base_url=BASE)
    assert report.duplicates == [ROOT_ROW["id"]] and len(report.created) == 1
    root, reply = mine(db, ada)
    assert reply.parent_id == root.id


def test_a_reply_to_an_earlier_import_finds_its_parent(db, ada) -> None:
    import_annotations(db, ada, [ROOT_ROW], base_url=BASE)
    report = import_annotations(db, ada, [REPLY_ROW], base_url=BASE)
    root, reply = mine(db, ada)
    assert report.created == [reply.id] and reply.parent_id == root.id


def test_bad_items_are_reported_and_do_not_stop_the_good_ones(db, ada) -> None:
    orphan_reply = {**REPLY_ROW, "id": "Or9hAb93Ee-orphanreply0", "references": ["NoSuchParent000000000"]}
    long_quote = w3c("x" * 5000, id="urn:uuid:long")
    rows = [UNKNOWN_PAPER_ROW, BAD_TAG_ROW, orphan_reply, ROOT_ROW, long_quote, "not an object",
            w3c(id="urn:uuid:image", target={"source": f"{BASE}/papers/wave-toy",
                                             "selector": {"type": "FragmentSelector", "value": "xywh=1,2,3,4"}}),
            w3c(id="urn:uuid:deleted", deleted=True)]
    report = import_annotations(db, ada, rows, base_url=BASE)
    reasons = {entry["id"]: entry["reason"] for entry in report.unmatched}
    assert len(report.created) == 1 and len(reasons) == 7
    assert reasons[UNKNOWN_PAPER_ROW["id"]] == "no paper here matches https://arxiv.org/pdf/9999.99999v1.pdf"
    assert "tag 'C++ & CUDA!'" in reasons[BAD_TAG_ROW["id"]]
    assert "parent NoSuchParent000000000 is neither in the file nor here" in reasons[orphan_reply["id"]]
    assert "target.selector.0.exact" in reasons["urn:uuid:long"] and "4000" in reasons["urn:uuid:long"]
    assert reasons["item 6"] == "not a JSON object"
    assert "TextQuoteSelector" in reasons["urn:uuid:image"]
    assert "deleted" in reasons["urn:uuid:deleted"]
    assert [a.imported_from for a in mine(db, ada)] == [ROOT_ROW["id"]]


def test_a_reply_whose_parent_failed_is_reported_too(db, ada) -> None:
    parent = {**ROOT_ROW, "uri": "https://example.com/elsewhere",
              "target": [{**ROOT_ROW["target"][0], "source": "https://example.com/elsewhere"}]}
    report = import_annotations(db, ada, [REPLY_ROW, parent], base_url=BASE)
    assert report.created == []
    assert {entry["id"] for entry in report.unmatched} == {ROOT_ROW["id"], REPLY_ROW["id"]}
    assert "could not be imported" in next(e["reason"] for e in report.unmatched if e["id"] == REPLY_ROW["id"])


def test_w3c_shapes_single_list_page_and_collection(db, ada) -> None:
    single = w3c(id="urn:uuid:1", comment="one")
    assert len(import_annotations(db, ada, single, base_url=BASE).created) == 1
    assert len(import_annotations(db, ada, [w3c(id="urn:uuid:2")], base_url=BASE).created) == 1
    page = {"type": "AnnotationPage", "items": [w3c(id="urn:uuid:3")]}
    assert len(import_annotations(db, ada, page, base_url=BASE).created) == 1
    collection = {"type": ["BasicContainer", "AnnotationCollection"], "total": 9,
                  "first": {"type": "AnnotationPage", "items": [w3c(id="urn:uuid:4")], "next": f"{BASE}/c?page=2"}}
    report = import_annotations(db, ada, collection, base_url=BASE)
    assert len(report.created) == 1
    assert report.unmatched == [{"id": f"{BASE}/c?page=2", "reason": "this page is not in the file; import it too"}]
    for not_annotations in ({"hello": "world"}, 42, {"type": "AnnotationCollection", "first": f"{BASE}/c?page=1"}):
        with pytest.raises(InvalidImport):
            import_annotations(db, ada, not_annotations, base_url=BASE)


def test_w3c_from_another_tool_maps_arxiv_references(db, ada) -> None:
    other = w3c("dot products", source="arXiv:1706.00000", id="https://notes.example/anno/77",
                motivation=["commenting", "questioning"], body=None, bodyValue="Cosine would do too?",
                created="2022-12-01T12:00:00+01:00")
    other["target"]["selector"].append({"type": "TextPositionSelector", "start": 5, "end": 17})
    report = import_annotations(db, ada, other, base_url=BASE)
    assert report.unmatched == [] and len(report.created) == 1
    note = mine(db, ada)[0]
    assert note.paper.slug == "attention-toy" and note.body_markdown == "Cosine would do too?"
    assert note.visibility == "private" and note.position_start is None  # positions in another document
    assert note.created_at == datetime(2022, 12, 1, 11, 0)


def test_w3c_items_without_ids_are_still_imported_once(db, ada) -> None:
    item = w3c(comment="no id here")
    assert len(import_annotations(db, ada, [item], base_url=BASE).created) == 1
    second = import_annotations(db, ada, [item], base_url=BASE)
    assert second.created == [] and second.duplicates[0].startswith("sha256:")


def test_w3c_replies_map_to_parents_in_the_file_and_on_the_server(db, ada, bob) -> None:
    bobs = create_annotation(db, bob, AnnotationDraft("public thought", (), "public", paper_ref="wave-toy",
                                                      passage=Passage("receptive field"), motivation="commenting"))
    parent = w3c(id="https://old.example/api/v1/annotations/" + "a" * 32, comment="mine", visibility="public")
    reply_in_file = {"type": "Annotation", "id": "urn:uuid:r1", "target": parent["id"],
                     "body": {"type": "TextualBody", "value": "follow-up"}, "visibility": "public"}
    reply_to_bob = {"type": "Annotation", "id": "urn:uuid:r2", "target": f"http://old-host/api/v1/annotations/{bobs.id}",
                    "body": {"type": "TextualBody", "value": "nice"}, "visibility": "public"}
    report = import_annotations(db, ada, [reply_to_bob, reply_in_file, parent], base_url=BASE)
    assert len(report.created) == 3 and report.unmatched == []
    by_origin = {a.imported_from: a for a in mine(db, ada)}
    assert by_origin["urn:uuid:r1"].parent_id == by_origin[parent["id"]].id
    assert by_origin["urn:uuid:r2"].parent_id == bobs.id


def test_reimporting_your_own_export_is_all_duplicates(db, ada) -> None:
    own = create_annotation(db, ada, AnnotationDraft("kept", (), "private", paper_ref="wave-toy",
                                                     passage=Passage("receptive field"), motivation="commenting"))
    iri = f"http://elsewhere/api/v1/annotations/{own.id}"
    report = import_annotations(db, ada, [w3c(id=iri, comment="kept")], base_url=BASE)
    assert report.created == [] and report.duplicates == [iri] and len(mine(db, ada)) == 1


@pytest.mark.parametrize(("ref", "key"), [
    ("https://arxiv.org/abs/1706.03762", "1706.03762"),
    ("https://arxiv.org/abs/1706.03762v5", "1706.03762"),
    ("http://export.arxiv.org/pdf/1706.03762v2.pdf", "1706.03762"),
    ("https://www.arxiv.org/pdf/1706.03762#page=3", "1706.03762"),
    ("arXiv:1706.03762v1", "1706.03762"),
    ("1511.06434", "1511.06434"),
    ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001"),
    ("https://example.org/papers/1706.03762", None),
    ("https://arxiv.org/list/cs.LG/recent", None),
])
def test_arxiv_references(ref, key) -> None:
    assert arxiv_key(ref) == key
