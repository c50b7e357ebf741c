"""The summaries' pictures made by our own demos (`python -m models.figures`): each was made by
the weights that ship today with the parameters listed, and each is shown in its summary with
alt text and a caption."""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from models.figures import FIGURES, FIGURES_DIR, MANIFEST
from models.registry import DEMOS, find_demo
from tests.conftest import CONTENT

MADE = {entry["file"]: entry for entry in json.loads(MANIFEST.read_text())}


@pytest.mark.parametrize("figure", FIGURES, ids=lambda figure: figure.file)
def test_each_picture_was_made_by_the_shipped_weights_as_listed(figure) -> None:
    entry = MADE.get(figure.file)
    assert entry is not None, f"{figure.file}: run `python -m models.figures {figure.file}`"
    assert entry["params"] == figure.params and entry["inputs"] == figure.inputs and entry["demo"] == figure.demo
    shipped = [weights.sha256 for weights in find_demo(figure.demo, DEMOS).weights]
    assert entry["weights_sha256"] == shipped, f"{figure.file} was made by other weights: remake it"
    with Image.open(FIGURES_DIR / figure.file) as picture:
        assert picture.format == "PNG" and picture.height > 256


def test_every_summary_shows_at_least_one_figure_with_alt_text_and_a_caption() -> None:
    for path in sorted((CONTENT / "papers").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        shown = re.findall(r"!\[([^\]]+)\]\(/static/figures/([^)\s]+)\)\n\n\*Figure: [^*]+\*", text)
        assert shown, f"{path.name} has no figure with a caption"
        for alt, file in shown:
            assert len(alt) > 40, f"{path.name}: {file} needs alt text that says what it shows"
            assert (FIGURES_DIR / file).is_file(), file
