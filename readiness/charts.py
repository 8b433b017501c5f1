"""Static matplotlib charts, embedded in reports as base64 PNG (no external files, no JS).

Figures are built with the object-oriented API on the Agg canvas, never through ``pyplot``,
so a notebook keeps no global figure state and nothing is displayed twice.
"""

from __future__ import annotations

import base64
import io
import struct
import sys
from collections.abc import Mapping
from html import escape

from IPython.display import HTML
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# The same palette and cut-offs as the report stylesheet.
RED, AMBER, GREEN = "#b42318", "#c27803", "#23724a"
INK, MUTED, LINE = "#1f2933", "#5f6b7a", "#e3e6ea"
PNG_DPI = 200
CSS_PX_PER_INCH = 100  # shown at half the rendered pixels: sharp on high-density screens


def score_colour(score: float) -> str:
    """Colour band of a 0-100 score: red below 60, amber below 85, green otherwise."""
    if score < 60:
        return RED
    return AMBER if score < 85 else GREEN


def _style_axes(ax) -> None:
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(LINE)
    ax.tick_params(axis="both", colors=MUTED, labelsize=9, length=0)
    ax.tick_params(axis="y", labelcolor=INK, labelsize=10)
    ax.grid(axis="x", color=LINE, linewidth=0.8)
    ax.set_axisbelow(True)


def dimension_scores(scores: Mapping[str, float | None], *, title: str) -> Figure:
    """Horizontal bars, 0-100, one per data-quality dimension, coloured by band.

    Parameters
    ----------
    scores : mapping of str to float or None
        Dimension name (``completeness``, ``validity``, ...) to score; None is shown as "n/a"
        with an empty bar. Drawn top to bottom in the mapping's order.
    title : str
        Shown above the bars.

    Returns
    -------
    matplotlib.figure.Figure
        One bar patch per dimension.

    Examples
    --------
    >>> fig = dimension_scores({"completeness": 98.0, "validity": None}, title="customers")
    >>> len(fig.axes[0].patches)
    2
    """
    names = list(scores)
    values = [None if scores[n] is None else max(0.0, min(100.0, float(scores[n]))) for n in names]
    fig = Figure(figsize=(6.4, 0.45 * len(names) + 1.0))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    positions = list(range(len(names)))[::-1]
    ax.barh(
        positions,
        [0.0 if v is None else v for v in values],
        color=[LINE if v is None else score_colour(v) for v in values],
        height=0.62,
    )
    for y, v in zip(positions, values, strict=True):
        label, colour = ("n/a", MUTED) if v is None else (_score_label(v), INK)
        ax.text((v or 0.0) + 1.5, y, label, va="center", ha="left", fontsize=9.5, color=colour)
    ax.set_yticks(positions, [n.replace("_", " ").capitalize() for n in names])
    ax.set_xlim(0, 108)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_ylim(-0.6, len(names) - 0.4)
    _style_axes(ax)
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    fig.tight_layout()
    return fig


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header (IHDR chunk)."""
    return struct.unpack(">II", png[16:24])


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, without a timestamp or software tag, so output is reproducible."""
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", dpi=PNG_DPI, bbox_inches="tight", facecolor="white", metadata={"Software": None}
    )
    return buffer.getvalue()


def _default_alt(fig: Figure) -> str:
    titles = [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    return next((t for t in titles if t), "Chart")


def figure_html(fig: Figure, *, alt: str | None = None) -> HTML:
    """Embed a figure as a base64 PNG ``<img>`` and release it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    alt : str, optional
        Text alternative; defaults to the first axes title.

    Returns
    -------
    IPython.display.HTML
        A ``<figure>`` holding ``<img src="data:image/png;base64,...">``.
    """
    png = figure_png(fig)
    alt_text = alt if alt is not None else _default_alt(fig)
    width, _ = _png_size(png)
    css_width = round(width * CSS_PX_PER_INCH / PNG_DPI)
    fig.clear()
    # A figure made through pyplot stays registered (and leaks) until closed; without pyplot
    # loaded, no figure can be registered, so there is nothing to close.
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
    data = base64.b64encode(png).decode("ascii")
    return HTML(
        f'<figure class="rd-figure"><img src="data:image/png;base64,{data}" '
        f'alt="{escape(alt_text)}" width="{css_width}"></figure>'
    )


def _score_label(score: float) -> str:
    """Whole numbers as such; otherwise one decimal, so 99.6 is not shown as a perfect 100."""
    return f"{score:.0f}" if float(score).is_integer() else f"{score:.1f}"
