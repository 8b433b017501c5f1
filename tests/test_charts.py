"""Charts: bars that match the scores, embedded PNGs that are reproducible and leave nothing open."""

from __future__ import annotations

import base64
import re

import matplotlib
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from readiness.charts import AMBER, GREEN, LINE, RED, dimension_scores, figure_html, score_colour

SCORES = {
    "completeness": 96.0,
    "validity": 81.0,
    "uniqueness": 120.0,
    "consistency": 55.0,
    "timeliness": None,
}


def test_dimension_scores_draws_one_bar_per_dimension() -> None:
    fig = dimension_scores(SCORES, title="customers")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 5
    # Drawn top to bottom in the given order: sort by height on the axis.
    bars = sorted(bars, key=lambda b: -b.get_y())
    assert [b.get_width() for b in bars] == [96.0, 81.0, 100.0, 55.0, 0.0]  # clamped, None empty
    assert [to_hex(b.get_facecolor()) for b in bars] == [GREEN, AMBER, GREEN, RED, LINE]
    ticks = sorted(
        zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True), reverse=True
    )
    assert [label for _, label in ticks] == [
        "Completeness",
        "Validity",
        "Uniqueness",
        "Consistency",
        "Timeliness",
    ]
    values = {t.get_text() for t in ax.texts}
    assert values == {"96", "81", "100", "55", "n/a"}
    assert ax.get_title(loc="left") == "customers"


@pytest.mark.parametrize(
    ("score", "colour"), [(0, RED), (59.9, RED), (60, AMBER), (84.9, AMBER), (85, GREEN), (100, GREEN)]
)
def test_score_colour_bands(score: float, colour: str) -> None:
    assert score_colour(score) == colour


def png_of(html: str) -> bytes:
    match = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert match, html[:200]
    return base64.b64decode(match.group(1))


def test_figure_html_embeds_a_reproducible_png_without_metadata() -> None:
    first = figure_html(dimension_scores(SCORES, title="<script>x</script>")).data
    second = figure_html(dimension_scores(SCORES, title="<script>x</script>")).data
    assert 'alt="&lt;script&gt;x&lt;/script&gt;"' in first
    png = png_of(first)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"Software" not in png and b"matplotlib" not in png.lower()
    assert png == png_of(second)
    assert "http" not in first


def test_figure_html_releases_the_figure() -> None:
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("Made with pyplot")
    html = figure_html(fig, alt="Custom alt").data
    assert not plt.fignum_exists(fig.number)
    assert fig.axes == []
    assert 'alt="Custom alt"' in html

    own = dimension_scores({"completeness": 50.0}, title="t")
    figure_html(own)
    assert own.axes == []


def test_score_labels_never_round_a_flaw_up_to_100() -> None:
    from readiness.charts import _score_label

    assert _score_label(99.96) == "100.0"
    assert _score_label(99.6) == "99.6"
    assert _score_label(100.0) == "100"
