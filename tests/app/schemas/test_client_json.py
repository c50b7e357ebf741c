"""JSON a client sends: valid Unicode and finite numbers, however deep."""

import pytest

from app.schemas.client_json import check_client_json


def test_clean_documents_pass_unchanged() -> None:
    document = {"a": [1, 2.5, "text é ✓", {"b": None, "c": True}]}
    assert check_client_json(document) is document


@pytest.mark.parametrize("bad", ["a\ud800b", {"k\udfff": 1}, [1, [2, ["\ud83d"]]], float("nan"), {"x": float("inf")},
                                 [-float("inf")]])
def test_lone_surrogates_and_non_finite_numbers_are_refused(bad) -> None:
    with pytest.raises(ValueError, match="Unicode|finite"):
        check_client_json(bad)


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert check_client_json(deep) is deep
    deep = ["\ud800"]
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ValueError):
        check_client_json(deep)
