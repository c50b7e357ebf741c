"""Every shape of annotation the API returns passes the W3C WPT annotation-model musts."""

from tests.conftest import passage_annotation
from tests.w3c_conformance import check_annotation, check_collection, check_page

API = "/api/v1/annotations/"


def assert_conforms(report) -> None:
    assert report.checked > 0 and report.ok, report.summary()


def test_api_annotations_conform(client, make_account) -> None:
    ada = make_account("ada")
    shapes = [
        passage_annotation(start=3),  # highlight
        passage_annotation(comment="A *comment* with $x^2$", tags=("gan",), visibility="public"),
        passage_annotation(tags=("only-a-tag",)),
    ]
    created = [client.post(API, json=shape, headers=ada).json() for shape in shapes]
    reply = client.post(API, json={"body": {"type": "TextualBody", "value": "reply"}, "target": created[1]["id"],
                                   "visibility": "public"}, headers=ada).json()
    for annotation in [*created, reply]:
        assert_conforms(check_annotation(annotation))
        assert_conforms(check_annotation(client.get(annotation["id"], headers=ada).json()))


def test_collection_and_pages_conform(client, make_account) -> None:
    ada = make_account("ada")
    for i in range(3):
        client.post(API, json=passage_annotation(comment=f"n{i}"), headers=ada)
    collection = client.get(API, params={"per_page": 2}, headers=ada).json()
    assert_conforms(check_collection(collection))
    page = client.get(collection["first"]["next"], headers=ada).json()
    assert_conforms(check_page(page))
    for item in page["items"]:
        assert_conforms(check_annotation({"@context": "http://www.w3.org/ns/anno.jsonld", **item}))
