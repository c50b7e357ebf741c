"""The shipped library: every summary is valid, long enough, and the required papers exist."""

import pytest

from app.markdown import render_markdown
from app.services.content_check import check_content
from app.services.content_source import iter_summary_files, load_paper
from tests.conftest import CONTENT

REQUIRED = {
    "colorful-image-colorization", "texture-networks", "neural-algorithm-of-artistic-style",
    "generative-visual-manipulation", "dcgan", "wavenet", "google-neural-machine-translation",
    "multiview-face-detection", "lrp-evaluating-visualization", "bytenet", "dilated-convolutions",
    "batch-normalization", "self-normalizing-networks", "neural-graph-fingerprints",
}
SOURCES = [load_paper(path) for path in iter_summary_files(CONTENT / "papers")]


def test_every_summary_renders_without_errors() -> None:
    result = check_content(CONTENT)
    assert result.failures == {} and result.files >= 14


def test_required_papers_are_present() -> None:
    assert REQUIRED <= {source.slug for source in SOURCES}


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.slug)
def test_summary_is_complete(source) -> None:
    meta = source.meta
    assert meta.authors and meta.year and meta.tags and meta.gist and meta.bibtex
    assert 600 <= render_markdown(source.body).word_count <= 1600  # 600-1500 words of prose + TeX
    rendered = render_markdown(source.body)
    assert len(rendered.toc) >= 3
    assert "math" in rendered.html  # the key equations are there


def test_demo_papers_name_their_demos() -> None:
    demos = {source.slug: source.meta.demos for source in SOURCES}
    assert demos["colorful-image-colorization"] == ["colorization"]
    assert "lrp" in demos["lrp-evaluating-visualization"]
    assert "face-heatmap" in demos["multiview-face-detection"]
    assert "wavenet" in demos["wavenet"]
    assert "gan" in demos["dcgan"] and "style-transfer" in demos["texture-networks"]
