"""Charts drawn from the summaries' own tables: the shipped SVGs are what the script draws from
today's tables (so a chart cannot drift from its numbers), every bar's number is a cell of its
table, and each chart is shown in its summary with alt text and a caption."""

from __future__ import annotations

import re

import pytest

from app.services.content_source import load_paper
from app.services.summary_figures import (
    FIGURES_DIR,
    ChartSpec,
    FigureError,
    bar_chart,
    chart_rows,
    load_specs,
    markdown_tables,
    number,
    render_figures,
)
from tests.conftest import CONTENT

SPECS = load_specs(CONTENT / "figures.yaml")


def test_the_shipped_charts_are_drawn_from_todays_tables() -> None:
    charts = render_figures(CONTENT / "papers", SPECS)
    for name, svg in charts.items():
        assert (FIGURES_DIR / name).read_text(encoding="utf-8") == svg, f"{name}: run `marginalia figures`"


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.file)
def test_each_chart_shows_its_tables_numbers_and_sits_in_its_summary(spec: ChartSpec) -> None:
    summary = load_paper(CONTENT / "papers" / f"{spec.paper}.md").body
    rows = chart_rows(spec, summary)
    svg = (FIGURES_DIR / spec.file).read_text(encoding="utf-8")
    for label, _, cells in rows:
        assert f">{label}<" in svg.replace("&amp;", "&")
        for cell in cells:
            assert f">{cell}<" in svg, cell  # the number as the summary writes it
    image = re.search(rf"!\[([^\]]+)\]\(/static/figures/{re.escape(spec.file)}\)\n\n\*Figure: ([^*]+)\*", summary)
    assert image, f"{spec.paper} does not show {spec.file} with a caption"
    assert len(image.group(1)) > 40 and rows[0][0] in image.group(1)  # alt text that reads the chart


def test_bars_are_proportional_and_negative_numbers_go_left() -> None:
    spec = ChartSpec(file="t.svg", paper="t", table="Score", label="Name", values=("Score",), title="T", axis="a")
    svg = bar_chart(spec, [("a", [-1.0], ["-1"]), ("b", [2.0], ["2"]), ("c", [1.0], ["1"])])
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="18"', svg)]
    assert widths[1] == pytest.approx(2 * widths[2], rel=1e-3) and widths[0] == pytest.approx(widths[2], rel=1e-3)
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)" y="\d+" width="[\d.]+" height="18"', svg)]
    assert xs[0] < xs[1] == xs[2]  # the negative bar ends where the others start: at zero


def test_cells_and_tables_are_read_as_written() -> None:
    assert number("**4.21 ± 0.081**") == 4.21 and number("72.2%") == 72.2 and number("−0.756") == -0.756
    assert number("1,144") == 1144
    with pytest.raises(FigureError):
        number("—")
    tables = markdown_tables("| a | b |\n|---|---|\n| x | 1 |\n\ntext\n\n| c |\n|---|\n| y |\n")
    assert tables == [[["a", "b"], ["x", "1"]], [["c"], ["y"]]]
    missing = ChartSpec(file="t.svg", paper="t", table="nope", label="a", values=("b",), title="T", axis="a")
    with pytest.raises(FigureError, match="no table"):
        chart_rows(missing, "| a | b |\n|---|---|\n| x | 1 |\n")
