"""The OpenAPI document tells the truth: one operation per demo with its inputs, the refusals
each route can give, and the media types it sends (schemathesis checks the running app against
it in tests/app/test_openapi_conformance.py)."""

import jsonschema
import pytest

from models.registry import DEMOS
from models.spec import FileInput


@pytest.fixture
def document(client) -> dict:
    return client.get("/openapi.json").json()


@pytest.mark.parametrize("spec", DEMOS, ids=lambda spec: spec.name)
def test_each_demo_has_its_own_operation_with_its_inputs(document, spec) -> None:
    assert "/api/v1/demos/{demo}" not in document["paths"]  # the generic route, expanded
    operation = document["paths"][f"/api/v1/demos/{spec.name}"]["post"]
    content = operation["requestBody"]["content"]
    form = content["multipart/form-data"]["schema"]
    assert set(form["properties"]) == set(spec.inputs) and form["additionalProperties"] is False
    uploads = {name for name, declared in spec.inputs.items() if isinstance(declared, FileInput)}
    assert {name for name, p in form["properties"].items() if p.get("format") == "binary"} == uploads
    defaults = {name: declared.default for name, declared in spec.inputs.items() if hasattr(declared, "default")}
    if "application/json" in content:  # no required upload: JSON works too, and the defaults fit
        jsonschema.validate(defaults, content["application/json"]["schema"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**defaults, "not_an_input": 1}, form | {"required": []})
    assert {"202", "200", "404", "413", "422", "429"} <= set(operation["responses"])
    assert [p["name"] for p in operation["parameters"]] == ["wait"]


def test_refusals_and_media_types_are_documented(document) -> None:
    paths = document["paths"]
    one = paths["/api/v1/annotations/{annotation_id}"]
    assert {"400", "401", "403", "404", "412", "413", "422"} <= set(one["patch"]["responses"])
    assert "application/ld+json" in one["get"]["responses"]["200"]["content"]
    exported = paths["/api/v1/annotations/export"]["get"]["responses"]["200"]["content"]
    assert {"application/ld+json", "text/csv", "text/markdown"} <= set(exported)
    assert "204" in paths["/api/v1/annotations/"]["options"]["responses"]
    # every 422 is the shape the app sends: a sentence or a list of problem items
    problem = document["components"]["schemas"]["Problem"]["properties"]["detail"]
    assert {"type": "string"} in problem["anyOf"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if "422" in operation["responses"]:
                schema = operation["responses"]["422"]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path)
