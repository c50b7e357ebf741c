"""Related summaries: TF-IDF cosine over the words blended with tag overlap, on the shipped library."""

import re

from app.services.related_papers import SHOWN, related_papers
from tests.conftest import CONTENT


def _library() -> dict[str, tuple[str, tuple[str, ...]]]:
    papers = {}
    for path in (CONTENT / "papers").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        tags = re.search(r"^tags:\s*\[(.*?)\]", text, re.M)
        papers[path.stem] = (text, tuple(t.strip().strip("\"'") for t in tags.group(1).split(",")) if tags else ())
    return papers


def test_neighbours_are_the_ones_a_reader_would_expect() -> None:
    related = {slug: [item.slug for item in items] for slug, items in related_papers(_library()).items()}
    assert set(related["wavenet"][:2]) == {"bytenet", "dilated-convolutions"}
    assert related["neural-algorithm-of-artistic-style"][0] == "texture-networks"
    assert related["texture-networks"][0] == "neural-algorithm-of-artistic-style"
    assert related["bytenet"][0] == "google-neural-machine-translation"
    assert all(slug not in others and len(others) <= SHOWN for slug, others in related.items())


def test_scores_are_symmetric_and_shared_tags_listed() -> None:
    papers = {"a": ("dilated causal convolutions audio", ("audio", "cnn")),
              "b": ("dilated convolutions audio samples", ("audio",)),
              "c": ("transformers attention text", ("nlp",))}
    related = related_papers(papers)
    score = {(slug, item.slug): item.score for slug, items in related.items() for item in items}
    assert score[("a", "b")] == score[("b", "a")] > 0
    assert related["a"][0].shared_tags == ("audio",)
    assert ("a", "c") not in score  # nothing in common: not listed
