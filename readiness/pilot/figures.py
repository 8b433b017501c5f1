"""The pilot review's own charts, drawn like :mod:`readiness.charts` (matplotlib, no pyplot, report palette)."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from readiness.charts import AMBER, GREEN, INK, LINE, MUTED, RED
from readiness.pilot.drift import MODERATE, SIGNIFICANT
from readiness.privacy import safe_text

__all__ = ["psi_bars"]


def psi_bars(features: Sequence[str], psi: Sequence[float], *, title: str, top: int = 15) -> Figure:
    """One horizontal bar per feature, its PSI, coloured by band, with dashed lines at 0.1 and 0.25.

    Parameters
    ----------
    features : sequence of str
        Drawn top to bottom in this order (most drifted first).
    psi : sequence of float
        Each feature's population stability index.
    title : str
    top : int
        Only the first ``top`` features are drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One bar patch per feature drawn.

    Examples
    --------
    >>> fig = psi_bars(["channel", "age_band"], [0.41, 0.02], title="Input drift")
    >>> len(fig.axes[0].patches)
    2
    """
    names, values = [safe_text(f) for f in features][:top], [float(v) for v in psi][:top]
    fig = Figure(figsize=(6.4, 0.42 * max(len(names), 1) + 1.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    positions = list(range(len(names)))[::-1]
    colours = [RED if v > SIGNIFICANT else (AMBER if v >= MODERATE else GREEN) for v in values]
    ax.barh(positions, values, color=colours, height=0.6)
    right = max([*values, SIGNIFICANT * 1.4])
    for y, v in zip(positions, values, strict=True):
        ax.text(v + right * 0.01, y, f"{v:.2f}", va="center", fontsize=9, color=INK)
    for edge, colour in ((MODERATE, AMBER), (SIGNIFICANT, RED)):
        ax.axvline(edge, color=colour, linestyle="--", linewidth=1)
    ax.set_yticks(positions, names)
    ax.set_xlim(0, right * 1.12)
    ax.set_ylim(-0.6, max(len(names), 1) - 0.4)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(LINE)
    ax.tick_params(axis="both", colors=MUTED, labelsize=9, length=0)
    ax.tick_params(axis="y", labelcolor=INK, labelsize=10)
    ax.grid(axis="x", color=LINE, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel("population stability index; dashed: 0.1 moderate, 0.25 significant", color=MUTED, fontsize=9)
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    fig.tight_layout()
    return fig
