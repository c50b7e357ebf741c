"""Accounts and a helper shared by the HTTP tests of annotations."""

import pytest

from tests.conftest import passage_annotation

API = "/api/v1/annotations/"


@pytest.fixture
def ada(make_account) -> dict[str, str]:
    return make_account("ada")


@pytest.fixture
def bob(make_account) -> dict[str, str]:
    return make_account("bob")


def create(client, headers, **kwargs) -> dict:
    """POST a passage annotation (see passage_annotation) and return the created JSON-LD."""
    response = client.post(API, json=passage_annotation(**kwargs), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()
