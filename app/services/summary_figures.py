"""Charts of the numbers a summary quotes, drawn from the summary's own tables.

`content/figures.yaml` names, for each chart, the summary, the table (by one of its column
headers), the column of labels and the column(s) of numbers. `marginalia figures` reads those
cells out of the markdown and writes an SVG bar chart to `static/figures/`, so a chart cannot
say other than its table: edit the table, rerun, and the chart follows (a test fails until then).

Hand-written SVG rather than matplotlib: the charts are plain horizontal bars, the output must be
byte-stable across machines for that test, and the web image should not carry a plotting stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml

from app.services.content_source import load_paper

FIGURES_DIR = Path(__file__).resolve().parents[2] / "static" / "figures"
# one drawing style, on its own light card so it reads the same on a light or a dark page
WIDTH, LABEL_W, ROW_H, BAR_H, TOP, PAD = 680, 250, 30, 18, 40, 16
CHAR_W = 7.6  # a generous width of one character at font-size 13, to leave room for the values
INK, MUTED, CARD, RULE = "#24211d", "#5f5a52", "#fbf9f4", "#ddd6c8"
SERIES = ("#b4532a", "#3f6fa8", "#5f8f3a")  # one colour per value column
_NUMBER = re.compile(r"[-−–]?\d[\d,]*(?:\.\d+)?")


class FigureError(ValueError):
    """A chart's spec does not match its summary (a missing table, column or number)."""


@dataclass(frozen=True)
class ChartSpec:
    file: str  # under static/figures/
    paper: str  # the summary's slug
    table: str  # a column header that picks the table
    label: str  # the column of bar labels
    values: tuple[str, ...]  # the column(s) of numbers
    title: str
    axis: str  # what the numbers measure, with units
    better: str = "higher"  # "higher" or "lower": said on the chart
    series: tuple[str, ...] = field(default=())  # legend names for several value columns


def load_specs(path: Path) -> list[ChartSpec]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [ChartSpec(**{**item, "values": tuple(item["values"]), "series": tuple(item.get("series", ()))})
            for item in raw]


def markdown_tables(markdown: str) -> list[list[list[str]]]:
    """Every pipe table of a markdown text: rows of cells, the header row first."""
    tables, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):  # not the |---| line
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def plain(cell: str) -> str:
    """A cell as text: emphasis and code marks dropped."""
    return re.sub(r"[*_`]", "", cell).strip()


def number(cell: str) -> float:
    """The first number of a cell ("4.21 ± 0.081" -> 4.21, "72.2%" -> 72.2, "−0.756" -> -0.756)."""
    found = _NUMBER.search(plain(cell))
    if found is None:
        raise FigureError(f"no number in the cell {cell!r}")
    return float(found.group().replace(",", "").replace("−", "-").replace("–", "-"))


def chart_rows(spec: ChartSpec, markdown: str) -> list[tuple[str, list[float], list[str]]]:
    """(label, numbers, the cells as the summary wrote them) for each row of the spec's table."""
    for table in markdown_tables(markdown):
        header = [plain(cell) for cell in table[0]]
        if spec.table in header:
            try:
                label, columns = header.index(spec.label), [header.index(v) for v in spec.values]
            except ValueError as missing:
                raise FigureError(f"{spec.paper}: {missing}") from None
            return [(plain(row[label]), [number(row[c]) for c in columns], [plain(row[c]) for c in columns])
                    for row in table[1:]]
    raise FigureError(f"{spec.paper}: no table with the column {spec.table!r}")


def bar_chart(spec: ChartSpec, rows: list[tuple[str, list[float], list[str]]]) -> str:
    """A horizontal bar chart; each bar is labelled with its cell as the summary wrote it."""
    values = [v for _, numbers, _ in rows for v in numbers]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    value_w = 12 + CHAR_W * max(len(cell) for _, _, cells in rows for cell in cells)
    plot_w = WIDTH - LABEL_W - value_w - 2 * PAD
    zero_x = LABEL_W + PAD + plot_w * (-low / span)
    per_row = len(spec.values)
    group_h = ROW_H + (per_row - 1) * (BAR_H + 2)
    legend_h = 22 if per_row > 1 else 0
    height = TOP + legend_h + group_h * len(rows) + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(spec.title)}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="13">',
        f'<rect width="{WIDTH}" height="{height}" rx="8" fill="{CARD}" stroke="{RULE}"/>',
        f'<text x="{PAD}" y="24" font-size="15" font-weight="bold" fill="{INK}">{escape(spec.title)}</text>',
    ]
    if per_row > 1:
        x = PAD
        for index, name in enumerate(spec.series or spec.values):
            parts.append(f'<rect x="{x}" y="{TOP - 4}" width="12" height="12" fill="{SERIES[index]}"/>'
                         f'<text x="{x + 17}" y="{TOP + 6}" fill="{MUTED}">{escape(name)}</text>')
            x += 30 + 8 * len(name)
    y = TOP + legend_h
    for label, numbers, cells in rows:
        parts.append(f'<text x="{LABEL_W}" y="{y + BAR_H - 4}" text-anchor="end" fill="{INK}">{escape(label)}</text>')
        for index, (value, cell) in enumerate(zip(numbers, cells, strict=True)):
            top = y + index * (BAR_H + 2)
            end = LABEL_W + PAD + plot_w * ((value - low) / span)
            left, width = min(zero_x, end), abs(end - zero_x)
            parts.append(f'<rect x="{left:.1f}" y="{top}" width="{max(width, 1):.1f}" height="{BAR_H}" '
                         f'fill="{SERIES[index]}"/>')
            text_x = max(zero_x, end) + 6
            parts.append(f'<text x="{text_x:.1f}" y="{top + BAR_H - 4}" fill="{MUTED}">{escape(cell)}</text>')
        y += group_h
    parts.append(f'<line x1="{zero_x:.1f}" y1="{TOP + legend_h - 4}" x2="{zero_x:.1f}" y2="{y - 6}" stroke="{RULE}"/>')
    better = "higher is better" if spec.better == "higher" else "lower is better"
    parts.append(f'<text x="{PAD}" y="{height - 12}" font-size="12" fill="{MUTED}">'
                 f'{escape(spec.axis)}; {better}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render_figures(papers_dir: Path, specs: list[ChartSpec]) -> dict[str, str]:
    """{file name: SVG} for every spec, read from the summaries in `papers_dir`."""
    charts = {}
    for spec in specs:
        source = papers_dir / f"{spec.paper}.md"
        if not source.is_file():
            raise FigureError(f"{spec.file}: no summary {source}")
        charts[spec.file] = bar_chart(spec, chart_rows(spec, load_paper(source).body))
    return charts
