"""Check JSON-LD against the W3C Web Annotation conformance assertions (web-platform-tests).

The suite is the JSON part of WPT's ``annotation-model/`` folder (see
``tests/conformance/README.md``): ``.test`` files list assertion files, and each
assertion file is a draft-04 JSON Schema with extra keywords (``expectedResult``,
``assertionType``, ``errorMessage``, ``onUnexpectedResult``). This module loads it
and runs it the way the upstream JSONtest.js runner does.

Usage::

    from tests.w3c_conformance import check_annotation, check_page, check_collection

    report = check_annotation(response.json())
    assert report.ok, report.summary()       # no failing `must` assertion, no schema error
    report.must_failures                     # [AssertionResult(..., message="ERROR: ...")]
    report.should_failures, report.may_failures   # informational only
    report.missing                           # assertion files the suite names but lacks

    check_page(page_json)                    # collections/pages/pageMusts.test
    check_collection(collection_json)        # collectionMusts.test (+ pageMusts if `first` is embedded)

The default tests of ``check_annotation`` are ``ANNOTATION_TESTS`` (the Musts and
Optionals tests for annotations, bodies, targets and specific resources); pass
``tests=`` to choose others. ``load_suite(root)`` builds a ``Suite`` from any copy
of the folder; without ``suite=`` the checks use ``default_suite()``: the copy vendored in
``tests/conformance/annotation-model``, or ``$W3C_ANNOTATION_MODEL_DIR`` when set.

The saved copy lacks 95 assertion files: the loader skips them and lists them in
``Suite.missing`` / ``Report.missing``, so a passing report only covers the
assertions that exist (``Report.checked`` counts them).
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import referencing.exceptions
from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE_ENV = "W3C_ANNOTATION_MODEL_DIR"
_REPO = Path(__file__).resolve().parent.parent
_VENDORED_SUITE = _REPO / "tests" / "conformance" / "annotation-model"

ANNOTATION_MUSTS = (
    "annotations/annotationMusts.test",
    "bodiesTargets/bodyMusts.test",
    "bodiesTargets/targetMusts.test",
    "specificResource/specificResourceMusts.test",
)
ANNOTATION_OPTIONALS = (
    "annotations/annotationOptionals.test",
    "annotations/annotationAgentOptionals.test",
    "bodiesTargets/bodyOptionals.test",
    "bodiesTargets/bodyTargAgentOptionals.test",
    "bodiesTargets/targetOptionals.test",
    "specificResource/specificResourceOptionals.test",
)
ANNOTATION_TESTS = ANNOTATION_MUSTS + ANNOTATION_OPTIONALS
COLLECTION_TESTS = ("collections/collectionMusts.test",)
PAGE_TESTS = ("collections/pages/pageMusts.test",)

FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER
# The upstream ajv runner checked these formats; jsonschema only does with extra packages.
_REQUIRED_FORMATS = {"uri": "rfc3986-validator", "date-time": "rfc3339-validator"}
# JSONtest.js prefixes the message of a failed non-`must` assertion with these.
_PREFIX = {"should": "WARNING: ", "may": "INFORMATIONAL: "}


# --- the loaded suite ------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Assertion:
    """One assertion schema, compiled against the suite's registry."""

    source: str  # path relative to the suite root, or "<test>#inline[n]"
    schema: Mapping[str, Any]
    validator: Draft4Validator
    children: tuple[Entry, ...] = ()  # only for condition objects (`assertions` key)

    @property
    def assertion_type(self) -> str:
        return self.schema.get("assertionType", "must")

    @property
    def expected(self) -> str:
        return self.schema.get("expectedResult", "valid")

    @property
    def title(self) -> str:
        return self.schema.get("title", self.source)

    @property
    def error_message(self) -> str:
        text = self.schema.get("errorMessage", "").strip() or f"{self.source} failed"
        return _PREFIX.get(self.assertion_type, "") + text

    @property
    def on_unexpected(self) -> str:
        return self.schema.get("onUnexpectedResult", "failAndContinue")


# A test's assertion list holds assertions and nested lists (tuples here).
Entry = Assertion | tuple["Entry", ...]


@dataclass(frozen=True)
class MissingAssertion:
    test: str  # the .test file that names it
    path: str  # the assertion file that is not there


@dataclass(frozen=True)
class Case:
    """One .test file with its assertions resolved; absent files are left out."""

    path: str
    name: str
    entries: tuple[Entry, ...]
    missing: tuple[str, ...]

    @property
    def assertions(self) -> list[Assertion]:
        return list(_leaves(self.entries))

    @property
    def usable(self) -> bool:
        return bool(self.assertions)


@dataclass(frozen=True)
class Suite:
    root: Path
    registry: Registry
    schemas: Mapping[str, Mapping[str, Any]]  # relative path -> document
    cases: Mapping[str, Case]  # relative path of each .test file -> Case
    conflicts: tuple[str, ...] = ()  # registry keys claimed by two files (first kept)

    @property
    def missing(self) -> list[MissingAssertion]:
        return [MissingAssertion(c.path, m) for c in self.cases.values() for m in c.missing]

    @property
    def usable_tests(self) -> list[str]:
        return [path for path, case in self.cases.items() if case.usable]

    def case(self, path: str) -> Case:
        try:
            return self.cases[path]
        except KeyError:
            raise KeyError(f"no such .test file in {self.root}: {path}") from None


def load_suite(root: Path | str | None = None) -> Suite:
    """Load every .json schema into one registry and resolve every .test file."""
    _require_format_checks()
    root = Path(root) if root is not None else default_root()
    schemas = {_relative(p, root): _read_json(p) for p in sorted(root.rglob("*.json"))}
    registry, conflicts = _build_registry(schemas)
    loader = _Loader(schemas, registry)
    cases = {}
    for path in sorted(root.rglob("*.test")):
        rel = _relative(path, root)
        cases[rel] = loader.case(rel, _read_json(path))
    return Suite(root, registry, schemas, cases, conflicts)


def find_suite_root() -> Path | None:
    """The suite folder from $W3C_ANNOTATION_MODEL_DIR, else the copy vendored in tests/."""
    candidates = [Path(os.environ[SUITE_ENV])] if os.environ.get(SUITE_ENV) else []
    candidates += [_VENDORED_SUITE]
    return next((c for c in candidates if c.is_dir()), None)


def default_root() -> Path:
    root = find_suite_root()
    if root is None:
        raise FileNotFoundError(f"annotation-model suite not found; set ${SUITE_ENV}")
    return root


@lru_cache(maxsize=1)
def default_suite() -> Suite:
    return load_suite(default_root())


def _require_format_checks() -> None:
    # Without these, every `format: uri` / `date-time` passes silently and bad ids
    # and dates would look conformant.
    absent = [pkg for fmt, pkg in _REQUIRED_FORMATS.items() if fmt not in FORMAT_CHECKER.checkers]
    if absent:
        raise RuntimeError(f"format checks unavailable; pip install {' '.join(absent)}")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _id_key(rel: str, doc: Mapping[str, Any]) -> str | None:
    schema_id = doc.get("id", doc.get("$id"))
    return schema_id if isinstance(schema_id, str) else None


def _path_key(rel: str, doc: Mapping[str, Any]) -> str:
    return rel


def _name_key(rel: str, doc: Mapping[str, Any]) -> str:
    return posixpath.basename(rel)


def _build_registry(schemas: Mapping[str, Any]) -> tuple[Registry, tuple[str, ...]]:
    owners: dict[str, str] = {}
    conflicts: list[str] = []
    # Ids are claimed first: a `$ref` such as "annotations.json#/..." is resolved
    # against the relative id of the schema holding it, so ids must win clashes.
    for key_of in (_id_key, _path_key, _name_key):
        for rel, doc in schemas.items():
            key = key_of(rel, doc)
            owner = owners.setdefault(key, rel) if key else rel
            if owner != rel:
                conflicts.append(f"{key}: {owner} (kept) and {rel}")
    resources = {rel: Resource.from_contents(doc, default_specification=DRAFT4)
                 for rel, doc in schemas.items()}
    registry = Registry().with_resources((key, resources[rel]) for key, rel in owners.items())
    return registry, tuple(conflicts)


class _Loader:
    """Resolves the entries of .test files into compiled assertions."""

    def __init__(self, schemas: Mapping[str, Any], registry: Registry) -> None:
        self.schemas = schemas
        self.registry = registry
        self._compiled: dict[str, Assertion] = {}

    def case(self, rel: str, doc: Mapping[str, Any]) -> Case:
        missing: list[str] = []
        folder = posixpath.dirname(rel)
        entries = self._entries(doc.get("assertions", []), folder, rel, missing)
        return Case(rel, doc.get("name", rel), entries, tuple(missing))

    def _entries(self, items: list, folder: str, source: str, missing: list) -> tuple[Entry, ...]:
        resolved = (self._entry(item, folder, f"{source}#inline[{i}]", missing)
                    for i, item in enumerate(items))
        return tuple(entry for entry in resolved if entry is not None)

    def _entry(self, item: Any, folder: str, source: str, missing: list) -> Entry | None:
        if isinstance(item, list):
            return self._entries(item, folder, source, missing)
        if isinstance(item, str):
            return self._file(_entry_path(item, folder), missing)
        if isinstance(item, dict):
            return self._inline(item, folder, source, missing)
        raise TypeError(f"{source}: unexpected assertion entry {item!r}")

    def _file(self, rel: str, missing: list) -> Assertion | None:
        if rel not in self.schemas:
            missing.append(rel)
            return None
        if rel not in self._compiled:
            self._compiled[rel] = self._compile(rel, self.schemas[rel])
        return self._compiled[rel]

    def _inline(self, obj: dict, folder: str, source: str, missing: list) -> Assertion | None:
        if "assertionFile" in obj:
            # Local keys override the ones of the named file (upstream README).
            rel = _entry_path(obj["assertionFile"], folder)
            if rel not in self.schemas:
                missing.append(rel)
                return None
            overrides = {k: v for k, v in obj.items() if k != "assertionFile"}
            obj, source = {**self.schemas[rel], **overrides}, rel
        children = self._entries(obj.get("assertions", []), folder, source, missing)
        return self._compile(source, obj, children)

    def _compile(self, source: str, schema: Mapping[str, Any], children: tuple = ()) -> Assertion:
        validator = Draft4Validator(schema, registry=self.registry, format_checker=FORMAT_CHECKER)
        return Assertion(source, schema, validator, children)


def _entry_path(entry: str, folder: str) -> str:
    # With a slash: relative to the suite root; without: to the .test file's folder.
    if "/" in entry:
        return posixpath.normpath(entry.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, entry))


def _leaves(entries: Iterable[Entry]) -> Iterator[Assertion]:
    for entry in entries:
        if isinstance(entry, tuple):
            yield from _leaves(entry)
        else:
            yield entry


# --- running assertions ----------------------------------------------------


@dataclass(frozen=True)
class AssertionResult:
    test: str  # the .test file
    assertion: str  # the assertion file (relative path) or inline source
    title: str
    assertion_type: str  # must | should | may
    expected: str  # valid | invalid
    status: str  # pass | fail | skipped | error
    message: str = ""  # errorMessage when failed; the reason when skipped or error
    details: tuple[str, ...] = ()  # jsonschema's best error, to debug a failure

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@dataclass
class Report:
    results: list[AssertionResult] = field(default_factory=list)
    missing: list[MissingAssertion] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)  # tests stopped by *AndAbort

    def _failed(self, assertion_type: str) -> list[AssertionResult]:
        return [r for r in self.results
                if r.status == "fail" and r.assertion_type == assertion_type]

    @property
    def must_failures(self) -> list[AssertionResult]:
        return self._failed("must")

    @property
    def should_failures(self) -> list[AssertionResult]:
        return self._failed("should")

    @property
    def may_failures(self) -> list[AssertionResult]:
        return self._failed("may")

    @property
    def errors(self) -> list[AssertionResult]:
        """Assertions that could not run (for example a `$ref` that does not resolve)."""
        return [r for r in self.results if r.status == "error"]

    @property
    def skipped(self) -> list[AssertionResult]:
        return [r for r in self.results if r.status == "skipped"]

    @property
    def checked(self) -> int:
        return sum(r.status in ("pass", "fail") for r in self.results)

    @property
    def ok(self) -> bool:
        return not self.must_failures and not self.errors

    def summary(self, *, informational: bool = False) -> str:
        """Must failures and errors; with informational=True also should/may ones."""
        lines = [f"{self.checked} assertions checked, {len(self.missing)} missing files"]
        shown = self.must_failures + self.errors
        if informational:
            shown += self.should_failures + self.may_failures
        for r in shown:
            lines.append(f"  [{r.status} {r.assertion_type}] {r.assertion}: {r.message}"
                         + (f" ({r.details[0]})" if r.details else ""))
        return "\n".join(lines)


def check_annotation(annotation: Mapping[str, Any], *, tests: Iterable[str] = ANNOTATION_TESTS,
                     suite: Suite | None = None) -> Report:
    """Run the chosen .test files (default: annotation, body and target tests)."""
    return run_tests(annotation, tests, suite=suite)


def check_page(page: Mapping[str, Any], *, tests: Iterable[str] = PAGE_TESTS,
               suite: Suite | None = None) -> Report:
    return run_tests(page, tests, suite=suite)


def check_collection(collection: Mapping[str, Any], *, suite: Suite | None = None) -> Report:
    """collectionMusts, plus pageMusts when the collection embeds its first page.

    pageMusts accepts "a Page or a Collection with an embedded Page"; with
    `first` given as an IRI its id/type/items assertions would misfire.
    """
    tests = COLLECTION_TESTS
    if isinstance(collection.get("first"), dict):
        tests += PAGE_TESTS
    return run_tests(collection, tests, suite=suite)


def run_tests(instance: Any, tests: Iterable[str], *, suite: Suite | None = None) -> Report:
    suite = suite or default_suite()
    report = Report()
    for path in (tests,) if isinstance(tests, str) else tests:
        case = suite.case(path)
        report.missing += [MissingAssertion(path, m) for m in case.missing]
        run = _Run(instance, path)
        if not run.entries(case.entries):
            report.aborted.append(path)
        report.results += run.results
    return report


class _Run:
    """Runs one .test file's assertion list over one instance."""

    def __init__(self, instance: Any, test: str) -> None:
        self.instance = instance
        self.test = test
        self.results: list[AssertionResult] = []

    def entries(self, entries: tuple[Entry, ...]) -> bool:
        """Run a list; False means *AndAbort stopped the whole test."""
        for i, entry in enumerate(entries):
            if isinstance(entry, tuple):
                if not self.entries(entry):
                    self._skip(entries[i + 1:], "test aborted")
                    return False
                continue
            result = self._evaluate(entry)
            self.results.append(result)
            action = "continue" if result.passed else _action(entry.on_unexpected)
            if action != "continue":
                # Only an unexpected result can skip the rest of the list or stop the test.
                self._skip(entries[i + 1:], f"after {entry.source} ({entry.on_unexpected})")
                return action != "abort"
        return True

    def _evaluate(self, assertion: Assertion) -> AssertionResult:
        try:
            valid, details = _validity(assertion, self.instance)
        except referencing.exceptions.Unresolvable as exc:
            return self._result(assertion, "error", f"schema error: {exc}")
        if valid == (assertion.expected == "valid"):
            return self._result(assertion, "pass")
        return self._result(assertion, "fail", assertion.error_message, details)

    def _skip(self, entries: Iterable[Entry], reason: str) -> None:
        self.results += [self._result(a, "skipped", reason) for a in _leaves(entries)]

    def _result(self, assertion: Assertion, status: str, message: str = "",
                details: tuple[str, ...] = ()) -> AssertionResult:
        return AssertionResult(self.test, assertion.source, assertion.title,
                               assertion.assertion_type, assertion.expected,
                               status, message, details)


def _validity(assertion: Assertion, instance: Any) -> tuple[bool, tuple[str, ...]]:
    if assertion.children:
        return _condition_validity(assertion, instance), ()
    error = best_match(assertion.validator.iter_errors(instance))
    return error is None, (() if error is None else (error.message,))


def _condition_validity(assertion: Assertion, instance: Any) -> bool:
    # A condition object is valid when its children pass, all (`and`) or any (`or`).
    passed = (_validity(child, instance)[0] == (child.expected == "valid")
              for child in _leaves(assertion.children))
    return any(passed) if assertion.schema.get("compareWith") == "or" else all(passed)


def _action(on_unexpected: str) -> str:
    # The fail/pass prefix does not change the outcome in JSONtest.js; only the
    # suffix matters. Unknown values (old files' "succeedAndContinue") continue.
    value = on_unexpected.lower()
    if value.endswith("andabort"):
        return "abort"
    if value.endswith("andskip"):
        return "skip"
    return "continue"
