from pathlib import Path

import pytest

from app.services.content_source import ContentError, load_paper
from tests.conftest import write_paper


def test_front_matter_is_validated_and_normalized(tmp_path: Path) -> None:
    path = write_paper(tmp_path, "p", '---\ntitle: "T"\ntags: ["Deep Learning", "nlp", "nlp"]\n---\nBody.\n')
    source = load_paper(path)
    assert source.slug == "p" and source.meta.title == "T"
    assert source.meta.tags == ["deep-learning", "nlp"]
    assert source.body.strip() == "Body."


def test_title_falls_back_to_first_heading_then_file_name(tmp_path: Path) -> None:
    with_heading = load_paper(write_paper(tmp_path, "a", "# Heading Title\n\nText.\n"))
    assert with_heading.meta.title == "Heading Title"
    assert "Heading Title" not in with_heading.body
    bare = load_paper(write_paper(tmp_path, "some-notes", "Just text.\n"))
    assert bare.meta.title == "Some notes"


@pytest.mark.parametrize(
    ("front_matter", "problem"),
    [
        ("title: [unclosed", "not valid YAML"),
        ("title: T\nyear: twenty", "year"),
        ("title: T\ndemos: [teleport]", "unknown demos"),
        ("title: T\nauthor: Someone", "author"),  # typo for `authors`
        ("title: T\ntags: ['a b/c']", "tags"),
    ],
)
def test_bad_front_matter_names_the_problem(tmp_path: Path, front_matter: str, problem: str) -> None:
    path = write_paper(tmp_path, "bad", f"---\n{front_matter}\n---\nBody\n")
    with pytest.raises(ContentError, match=problem):
        load_paper(path)
