"""The W3C annotation-model harness (tests/w3c_conformance.py) passes good data and fails bad data.

Examples are modelled on the Web Annotation Data Model and on Marginalia's own
shapes (comment, tag, reply, highlight on a paper). The last section uses small
suites written to tmp_path to pin the loader's and runner's rules.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# pytest puts tests/ (no __init__.py) on sys.path, so this works from any cwd;
# code run from the repo root can also say `from tests.w3c_conformance import ...`.
from w3c_conformance import (
    ANNOTATION_MUSTS,
    FORMAT_CHECKER,
    Suite,
    check_annotation,
    check_collection,
    check_page,
    find_suite_root,
    load_suite,
    run_tests,
)

BASE = "http://127.0.0.1:8000"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
DROP = object()  # in edit(): remove the key

ANNOTATION_MUST_FILES = [
    "annotations/3.1-annotationContextValidated.json",
    "annotations/3.1-annotationIdValidated.json",
    "annotations/3.1-annotationTypeValidated.json",
    "annotations/3.1-targetKeyFound.json",
    "annotations/3.2-targetObjectsRecognized.json",
    "annotations/3.2.5-notBodyBodyValue.json",
    "annotations/3.2-bodyObjectsRecognized.json",
    "annotations/3.2.5-bodyValueValidated.json",
    "annotations/3.3.1-annotationCreatedValidated.json",
    "annotations/3.3.1-annotationModifiedValidated.json",
    "annotations/3.3.1-annotationGeneratedValidated.json",
    "annotations/3.3.6-annotationRightsValidated.json",
    "annotations/3.3.7-annotationCanonicalValidated.json",
    "annotations/3.3.7-annotationViaValidated.json",
]
# Of bodyMusts/targetMusts only the files shared with annotationMusts exist.
AVAILABLE_MUSTS = {
    "annotations/annotationMusts.test": ANNOTATION_MUST_FILES,
    "bodiesTargets/bodyMusts.test": ["annotations/3.2-bodyObjectsRecognized.json"],
    "bodiesTargets/targetMusts.test": ["annotations/3.2-targetObjectsRecognized.json"],
    "specificResource/specificResourceMusts.test": [],
}
# tests/conformance/README.md: assertion files missing per .test file.
MISSING_PER_TEST = {
    "bodiesTargets/bodyOptionals.test": 2,
    "collections/pages/pageMusts.test": 1,
    "bodiesTargets/bodyTargAgentOptionals.test": 8,
    "bodiesTargets/targetOptionals.test": 16,
    "bodiesTargets/bodyMusts.test": 15,
    "bodiesTargets/targetMusts.test": 14,
    "collections/collectionMusts.test": 10,
    "specificResource/specificResourceMusts.test": 11,
    "specificResource/specificResourceOptionals.test": 18,
}


@pytest.fixture(scope="module")
def suite() -> Suite:
    root = find_suite_root()
    assert root is not None, "the suite is vendored in tests/conformance/annotation-model"
    return load_suite(root)


# --- examples ----------------------------------------------------------------


def paper_quote() -> dict[str, Any]:
    return {
        "type": "SpecificResource",
        "source": f"{BASE}/papers/dcgan",
        "selector": [
            {"type": "TextQuoteSelector", "exact": "strided convolutions",
             "prefix": "replace pooling layers with ", "suffix": " (discriminator)"},
            {"type": "TextPositionSelector", "start": 1412, "end": 1432},
        ],
    }


def annotation(number: int, motivation: str, **fields: Any) -> dict[str, Any]:
    return {
        "@context": ANNO_CONTEXT,
        "id": f"{BASE}/annotations/{number}",
        "type": "Annotation",
        "motivation": motivation,
        "creator": {"id": f"{BASE}/users/alice", "type": "Person", "name": "Alice"},
        "created": "2024-05-01T09:30:00Z",
        "modified": "2024-05-02T08:15:00+00:00",
        **fields,
    }


def comment() -> dict[str, Any]:
    body = {"type": "TextualBody", "value": "Why **strided** convolutions here?",
            "format": "text/markdown", "language": "en", "purpose": "commenting"}
    return annotation(1, "commenting", body=body, target=paper_quote())


def tag() -> dict[str, Any]:
    body = {"type": "TextualBody", "purpose": "tagging", "value": "architecture"}
    return annotation(2, "tagging", body=body, target=paper_quote())


def reply() -> dict[str, Any]:
    body = {"type": "TextualBody", "value": "Pooling throws away position.", "format": "text/plain"}
    return annotation(3, "replying", body=body, target=f"{BASE}/annotations/1")


def highlight() -> dict[str, Any]:
    return annotation(4, "highlighting", target=paper_quote())


EXAMPLES = {"comment": comment, "tag": tag, "reply": reply, "highlight": highlight}


def edit(changes: dict[str, Any]) -> Callable[[dict], dict]:
    def apply(doc: dict) -> dict:
        for key, value in changes.items():
            if value is DROP:
                doc.pop(key, None)
            else:
                doc[key] = value
        return doc
    return apply


def failed_files(report) -> set[str]:
    return {r.assertion for r in report.must_failures}


# --- annotations ---------------------------------------------------------------


def test_available_must_assertions(suite: Suite) -> None:
    for test, files in AVAILABLE_MUSTS.items():
        musts = [a.source for a in suite.case(test).assertions if a.assertion_type == "must"]
        assert musts == files, test


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_pass_every_available_must(suite: Suite, name: str) -> None:
    report = check_annotation(EXAMPLES[name](), suite=suite)

    assert report.ok, report.summary()
    musts = [r for r in report.results if r.assertion_type == "must"]
    assert len(musts) == 16 and all(r.passed for r in musts)
    assert not report.skipped and not report.aborted


def test_musts_only(suite: Suite) -> None:
    report = check_annotation(comment(), tests=ANNOTATION_MUSTS, suite=suite)

    assert report.ok and report.checked == 16
    assert {r.assertion_type for r in report.results} == {"must"}
    assert Counter(m.test for m in report.missing) == {
        "bodiesTargets/bodyMusts.test": 15,
        "bodiesTargets/targetMusts.test": 14,
        "specificResource/specificResourceMusts.test": 11,
    }


BROKEN = [
    ({"@context": DROP}, "annotations/3.1-annotationContextValidated.json", "missing @context"),
    ({"@context": "http://www.w3.org/ns/anno.json"},
     "annotations/3.1-annotationContextValidated.json", "is not a value of @context"),
    ({"type": "Note"}, "annotations/3.1-annotationTypeValidated.json", "'Annotation' is not a value of type"),
    ({"type": DROP}, "annotations/3.1-annotationTypeValidated.json", "missing type"),
    ({"id": "/annotations/1"}, "annotations/3.1-annotationIdValidated.json", "string of format uri"),
    ({"id": "anno 1"}, "annotations/3.1-annotationIdValidated.json", "string of format uri"),
    ({"id": [f"{BASE}/annotations/1", f"{BASE}/a/1"]},
     "annotations/3.1-annotationIdValidated.json", "not a single string"),
    ({"created": "2024-05-01 09:30:00Z"},
     "annotations/3.3.1-annotationCreatedValidated.json", "not of format date-time"),
    # What datetime.isoformat() gives for a naive (e.g. SQLite) datetime: no offset.
    ({"created": "2024-05-01T09:30:00"},
     "annotations/3.3.1-annotationCreatedValidated.json", "not of format date-time"),
    ({"created": ["2024-05-01T09:30:00Z", "2024-05-02T09:30:00Z"]},
     "annotations/3.3.1-annotationCreatedValidated.json", "multiple created"),
    ({"modified": "yesterday"},
     "annotations/3.3.1-annotationModifiedValidated.json", "not of format date-time"),
    ({"target": DROP}, "annotations/3.1-targetKeyFound.json", "missing target"),
    ({"target": "dcgan"}, "annotations/3.2-targetObjectsRecognized.json", "One or more Targets"),
    ({"target": {"type": "SpecificResource", "selector": {"type": "TextPositionSelector",
                                                          "start": 1, "end": 2}}},
     "annotations/3.2-targetObjectsRecognized.json", "One or more Targets"),
    ({"body": {"type": "TextualBody", "value": "x", "source": f"{BASE}/papers/dcgan"}},
     "annotations/3.2-bodyObjectsRecognized.json", "One or more Bodies"),
    ({"body": {"type": "TextualBody", "value": 42}},
     "annotations/3.2-bodyObjectsRecognized.json", "One or more Bodies"),
    ({"body": [{"type": "TextualBody", "value": "ok"}, "not an iri"]},
     "annotations/3.2-bodyObjectsRecognized.json", "One or more Bodies"),
    ({"bodyValue": "Nice"}, "annotations/3.2.5-notBodyBodyValue.json", "cannot have both"),
    ({"body": DROP, "bodyValue": ["a", "b"]},
     "annotations/3.2.5-bodyValueValidated.json", "multiple bodyValue"),
    ({"rights": "CC-BY-4.0"}, "annotations/3.3.6-annotationRightsValidated.json", "format uri"),
    ({"canonical": "anno-1"}, "annotations/3.3.7-annotationCanonicalValidated.json", "format uri"),
    ({"via": [f"{BASE}/a/1", "a 2"]}, "annotations/3.3.7-annotationViaValidated.json", "format uri"),
]


@pytest.mark.parametrize(("changes", "assertion", "fragment"), BROKEN,
                         ids=[f"{i}-{next(iter(c))}" for i, (c, _, _) in enumerate(BROKEN)])
def test_broken_variants_fail_with_the_assertion_message(
    suite: Suite, changes: dict, assertion: str, fragment: str
) -> None:
    report = check_annotation(edit(changes)(comment()), suite=suite)

    assert not report.ok
    assert failed_files(report) == {assertion}, report.summary()
    assert all(fragment in r.message for r in report.must_failures), report.summary()


def test_target_failure_is_reported_by_each_test_that_names_it(suite: Suite) -> None:
    report = check_annotation(edit({"target": "dcgan"})(comment()), suite=suite)

    assert {r.test for r in report.must_failures} == {
        "annotations/annotationMusts.test", "bodiesTargets/targetMusts.test"}


def test_should_and_may_failures_are_informational(suite: Suite) -> None:
    report = check_annotation(highlight(), suite=suite)

    assert report.ok
    messages = [r.message for r in report.should_failures]
    assert "WARNING: Annotation Should have a body." in messages
    assert all(r.message.startswith("INFORMATIONAL: ") for r in report.may_failures)


def test_gap_motivation_outside_the_model_is_only_a_warning(suite: Suite) -> None:
    # No available `must` assertion checks motivation values.
    report = check_annotation(edit({"motivation": "liking"})(comment()), suite=suite)

    assert report.ok
    assert "annotations/3.3.5-annotationSingleMotivationImplemented.json" in {
        r.assertion for r in report.should_failures}


def test_gap_selector_contents_are_not_checked(suite: Suite) -> None:
    # specificResourceMusts has no files, and draft-04 ignores the `anyOf` beside
    # the `$ref` in specificeResourceDetected: a Specific Resource is "a source".
    target = {"type": "SpecificResource", "source": f"{BASE}/papers/dcgan",
              "selector": [{"type": "TextQuoteSelector"}, {"type": "TextPositionSelector", "start": "x"}]}
    report = check_annotation(edit({"target": target})(comment()), suite=suite)

    assert report.ok, report.summary()


def test_format_checks_are_real() -> None:
    assert FORMAT_CHECKER.conforms("2024-05-01T09:30:00Z", "date-time")
    assert not FORMAT_CHECKER.conforms("2024-05-01T09:30:00", "date-time")
    assert FORMAT_CHECKER.conforms(f"{BASE}/papers/dcgan", "uri")
    assert not FORMAT_CHECKER.conforms("/papers/dcgan", "uri")


# --- pages and collections -----------------------------------------------------


def page() -> dict[str, Any]:
    return {
        "@context": ANNO_CONTEXT,
        "id": f"{BASE}/annotations/?page=0",
        "type": "AnnotationPage",
        "partOf": f"{BASE}/annotations/",
        "next": f"{BASE}/annotations/?page=1",
        "startIndex": 0,
        "items": [comment(), tag()],
    }


def collection(first: Any) -> dict[str, Any]:
    return {
        "@context": ANNO_CONTEXT,
        "id": f"{BASE}/annotations/",
        "type": "AnnotationCollection",
        "label": "Annotations on DCGAN",
        "total": 4,
        "first": first,
        "last": f"{BASE}/annotations/?page=1",
    }


def embedded_first_page() -> dict[str, Any]:
    return edit({"@context": DROP})(page())


def test_page_passes_every_available_page_must(suite: Suite) -> None:
    report = check_page(page(), suite=suite)

    assert report.ok, report.summary()
    assert report.checked == 14
    assert [m.path for m in report.missing] == ["collections/pages/5.2-pageContextValidated.json"]


def test_collection_with_embedded_first_page_is_checked_by_page_musts(suite: Suite) -> None:
    report = check_collection(collection(embedded_first_page()), suite=suite)

    assert report.ok, report.summary()
    assert report.checked == 14
    assert len(report.missing) == 11  # 10 collection files + pageContextValidated


def test_collection_with_first_as_iri_has_no_assertion_to_run(suite: Suite) -> None:
    report = check_collection(collection(f"{BASE}/annotations/?page=0"), suite=suite)

    assert report.checked == 0 and report.ok
    assert {m.test for m in report.missing} == {"collections/collectionMusts.test"}
    assert len(report.missing) == 10


BROKEN_PAGES = [
    ({"items": DROP}, "5.2-pageItemsValidated.json", "missing items"),
    ({"items": [{"type": "Note"}]}, "5.2-pageItemsValidated.json", "objects of type Annotation"),
    ({"id": "/annotations/?page=0"}, "5.2-pageIdValidated.json", "format uri"),
    ({"next": "page 2"}, "5.2-pageNextValidated.json", "invalid next"),
    ({"startIndex": -1}, "5.2-pageStartIndexValidated.json", "invalid startIndex"),
    ({"created": "today"}, "3.3.1-pageCreatedValidated.json", "not of format date-time"),
    # The suite only takes an IRI for partOf, not an embedded collection object.
    ({"partOf": {"id": f"{BASE}/annotations/", "total": 4}},
     "5.2-pagePartOfValidated.json", "invalid partOf"),
]


@pytest.mark.parametrize(("changes", "assertion", "fragment"), BROKEN_PAGES,
                         ids=[f"{i}-{next(iter(c))}" for i, (c, _, _) in enumerate(BROKEN_PAGES)])
def test_broken_pages_fail(suite: Suite, changes: dict, assertion: str, fragment: str) -> None:
    report = check_page(edit(changes)(page()), suite=suite)

    assert failed_files(report) == {f"collections/pages/{assertion}"}, report.summary()
    assert fragment in report.must_failures[0].message


def test_page_with_wrong_type_fails_nearly_every_page_must(suite: Suite) -> None:
    # Every page assertion but items pairs its check with "type is AnnotationPage".
    report = check_page(edit({"type": "Page"})(page()), suite=suite)

    assert len(report.must_failures) == 13
    assert "collections/pages/5.2-pageItemsValidated.json" not in failed_files(report)
    assert "collections/pages/5.2-pageTypeValidated.json" in failed_files(report)


def test_collection_with_broken_embedded_page_fails(suite: Suite) -> None:
    first = edit({"type": DROP, "items": ["anno-1"]})(embedded_first_page())
    report = check_collection(collection(first), suite=suite)

    assert failed_files(report) == {"collections/pages/5.2-pageTypeValidated.json",
                                    "collections/pages/5.2-pageItemsValidated.json"}


# --- the loader on the real suite ----------------------------------------------


def test_loader_reports_the_missing_assertion_files(suite: Suite) -> None:
    assert len(suite.missing) == 95
    assert Counter(m.test for m in suite.missing) == MISSING_PER_TEST
    assert not any((suite.root / m.path).exists() for m in suite.missing)


def test_usable_tests(suite: Suite) -> None:
    assert suite.usable_tests == [
        "annotations/annotationAgentOptionals.test",
        "annotations/annotationMusts.test",
        "annotations/annotationOptionals.test",
        "bodiesTargets/bodyMusts.test",
        "bodiesTargets/bodyOptionals.test",
        "bodiesTargets/bodyTargAgentOptionals.test",
        "bodiesTargets/targetMusts.test",
        "bodiesTargets/targetOptionals.test",
        "collections/pages/pageMusts.test",
    ]


def test_registry_knows_files_by_id_path_and_name(suite: Suite) -> None:
    contents = suite.registry.contents
    assert contents("annotations.json") is contents("definitions/annotations.json")
    # This file's id is not its name; both resolve.
    odd = contents("annotations/3.2.5-bodyValueImplemented.json")
    assert contents("3.1-bodyValueImplemented.json") is odd
    assert contents("3.2.5-bodyValueImplemented.json") is odd
    assert suite.conflicts == ()


def test_unknown_test_file_is_a_clear_error(suite: Suite) -> None:
    with pytest.raises(KeyError, match="no such .test file"):
        check_annotation(comment(), tests=["annotations/nope.test"], suite=suite)


# --- runner rules, on small suites ----------------------------------------------


def write_suite(root: Path, files: dict[str, Any]) -> Suite:
    for rel, doc in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc), encoding="utf-8")
    return load_suite(root)


def schema(id_: str, **keywords: Any) -> dict[str, Any]:
    return {"$schema": "http://json-schema.org/draft-04/schema#", "id": id_, **keywords}


LIBRARY = {
    "definitions/lib.json": schema("lib.json", definitions={
        "hasX": {"type": "object", "required": ["x"]}}),
    "t/hasX.json": schema("hasX.json", errorMessage="no x", allOf=[{"$ref": "lib.json#/definitions/hasX"}]),
    "t/gate.json": schema("gate.json", required=["gate"], errorMessage="no gate",
                          onUnexpectedResult="failAndSkip"),
    "t/stop.json": schema("stop.json", required=["stop"], errorMessage="no stop",
                          onUnexpectedResult="failAndAbort"),
    "t/noY.json": schema("noY.json", required=["y"], expectedResult="invalid", errorMessage="y present"),
}


def statuses(report) -> list[tuple[str, str]]:
    return [(r.assertion, r.status) for r in report.results]


def test_loader_skips_and_reports_missing_files(tmp_path: Path) -> None:
    files = {**LIBRARY, "t/case.test": {"name": "c", "assertions": [
        "t/hasX.json", ["absent.json", "t/noY.json"], "t/gone.json"]}}
    suite = write_suite(tmp_path, files)

    case = suite.case("t/case.test")
    assert case.missing == ("t/absent.json", "t/gone.json")
    assert [a.source for a in case.assertions] == ["t/hasX.json", "t/noY.json"]
    report = run_tests({"x": 1}, ["t/case.test"], suite=suite)
    assert statuses(report) == [("t/hasX.json", "pass"), ("t/noY.json", "pass")]
    assert [m.path for m in report.missing] == ["t/absent.json", "t/gone.json"]


def test_and_skip_skips_the_rest_of_its_list_only(tmp_path: Path) -> None:
    files = {**LIBRARY, "t/case.test": {"name": "c", "assertions": [
        ["gate.json", "hasX.json"], "noY.json"]}}  # no slash: next to the .test file
    suite = write_suite(tmp_path, files)

    report = run_tests({"y": 1}, ["t/case.test"], suite=suite)
    assert statuses(report) == [
        ("t/gate.json", "fail"), ("t/hasX.json", "skipped"), ("t/noY.json", "fail")]
    assert [r.message for r in report.must_failures] == ["no gate", "y present"]
    assert report.aborted == []


def test_and_abort_stops_the_whole_test(tmp_path: Path) -> None:
    files = {**LIBRARY, "t/case.test": {"name": "c", "assertions": [
        ["t/stop.json", "t/noY.json"], ["t/hasX.json"]]}}
    suite = write_suite(tmp_path, files)

    report = run_tests({}, ["t/case.test"], suite=suite)
    assert statuses(report) == [
        ("t/stop.json", "fail"), ("t/noY.json", "skipped"), ("t/hasX.json", "skipped")]
    assert report.aborted == ["t/case.test"]
    assert run_tests({"stop": 1, "x": 1}, ["t/case.test"], suite=suite).ok


def test_inline_assertion_file_override_and_condition(tmp_path: Path) -> None:
    files = {**LIBRARY, "t/case.test": {"name": "c", "assertions": [
        {"assertionFile": "t/hasX.json", "expectedResult": "invalid", "errorMessage": "x present",
         "assertionType": "should"},
        {"title": "x or gate", "compareWith": "or", "errorMessage": "neither",
         "assertions": ["t/hasX.json", "t/gate.json"]},
    ]}}
    suite = write_suite(tmp_path, files)

    report = run_tests({"x": 1}, ["t/case.test"], suite=suite)
    assert [r.message for r in report.should_failures] == ["WARNING: x present"]
    assert report.ok
    assert [r.message for r in run_tests({}, ["t/case.test"], suite=suite).must_failures] == [
        "neither"]


def test_unresolvable_ref_is_an_error_not_a_crash(tmp_path: Path) -> None:
    files = {**LIBRARY, "t/bad.json": schema("bad.json", allOf=[{"$ref": "nowhere.json#/x"}]),
             "t/case.test": {"name": "c", "assertions": ["t/bad.json", "t/hasX.json"]}}
    suite = write_suite(tmp_path, files)

    report = run_tests({"x": 1}, ["t/case.test"], suite=suite)
    assert statuses(report) == [("t/bad.json", "error"), ("t/hasX.json", "pass")]
    assert not report.ok and "nowhere.json" in report.errors[0].message
