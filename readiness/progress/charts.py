"""Before-and-after charts of the progress report, static matplotlib figures embedded as PNG.

Built with the object-oriented API on the Agg canvas (never ``pyplot``), in the palette of
:mod:`readiness.charts`, and embedded with :func:`readiness.charts.figure_html`.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from readiness.charts import GREEN, INK, LINE, MUTED, RED, style_axes
from readiness.privacy import safe_text
from readiness.progress.measures import MetricChange, ScoreChange, metric_label, shown_estimate

BEFORE = "#9aa5b1"  # the earlier run: a muted grey, whatever the direction
DIRECTION_COLOURS = {"better": GREEN, "worse": RED}
AREA_WORDS = {"readiness": "", "quality": "data quality", "feasibility": "feasibility", "ethics": "ethics"}


def _label(score: ScoreChange) -> str:
    area = AREA_WORDS.get(score.area, score.area)
    name = score.subject if score.area != "readiness" else score.subject
    return safe_text(f"{name} ({area})" if area else name)


def before_after_scores(scores: Sequence[ScoreChange], *, title: str) -> Figure:
    """Every 0-100 score of both runs as a dumbbell: grey dot before, coloured dot after.

    The after dot is green when the score rose by the material change or more, red when it fell
    by as much, grey otherwise; scores missing in a run are left out.

    Parameters
    ----------
    scores : sequence of ScoreChange
        Drawn top to bottom in order.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = before_after_scores([ScoreChange("quality", "customers", "overall", 90.0, 97.5)], title="Scores")
    >>> len(fig.axes[0].collections)
    2
    """
    rows = [s for s in scores if s.before is not None and s.after is not None]
    fig = Figure(figsize=(6.8, 0.36 * max(len(rows), 1) + 1.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    for y, s in zip(ys, rows, strict=True):
        ax.plot([s.before, s.after], [y, y], color=LINE, linewidth=3.0, solid_capstyle="round", zorder=1)
    colours = [DIRECTION_COLOURS.get(s.direction, MUTED) for s in rows]
    ax.scatter([s.before for s in rows], ys, s=34, color=BEFORE, zorder=2, label="before")
    ax.scatter([s.after for s in rows], ys, s=44, color=colours, zorder=3, label="after")
    for y, s in zip(ys, rows, strict=True):
        change = s.change or 0.0
        text = f"{s.after:.1f}" + (f" ({change:+.1f})" if abs(change) >= 0.05 else "")
        ax.text(101.5, y, text, va="center", ha="left", fontsize=8.5,
                color=DIRECTION_COLOURS.get(s.direction, INK))
    ax.set_yticks(ys, [_label(s) for s in rows])
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_ylim(-0.7, max(len(rows), 1) - 0.3)
    style_axes(ax, label_size=9.5)
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    ax.set_xlabel("grey dot: before · coloured dot: after (green: up, red: down, by the material change)",
                  fontsize=8, color=MUTED)
    fig.tight_layout()
    return fig


def metric_intervals(changes: Sequence[MetricChange], *, title: str) -> Figure:
    """Each use case's best-model metric with its 95 % interval in both runs, one panel per use case.

    Parameters
    ----------
    changes : sequence of MetricChange
        Those without a mean in either run are left out.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        One axes per use case.

    Examples
    --------
    >>> m = MetricChange("churn", "Churn", "roc_auc", "linear", "linear", (0.70, 0.68, 0.72), (0.75, 0.73, 0.77))
    >>> len(metric_intervals([m], title="Models").axes)
    1
    """
    rows = [m for m in changes if m.before[0] is not None and m.after[0] is not None]
    fig = Figure(figsize=(6.8, 0.95 * max(len(rows), 1) + 0.9))
    FigureCanvasAgg(fig)
    axes = fig.subplots(max(len(rows), 1), 1, squeeze=False)[:, 0]
    for ax, m in zip(axes, rows, strict=False):
        colour = DIRECTION_COLOURS.get(m.direction, MUTED)
        for y, side, c in ((1, m.before, BEFORE), (0, m.after, colour)):
            mean, low, high = shown_estimate(m.metric, side)
            if low is not None and high is not None:
                ax.plot([low, high], [y, y], color=c, linewidth=2.4, solid_capstyle="butt")
            ax.scatter([mean], [y], s=36, color=c, zorder=3)
        ax.set_yticks([1, 0], ["before", "after"])
        ax.set_ylim(-0.6, 1.6)
        ax.margins(x=0.15)
        style_axes(ax, label_size=9.5)
        verdict = {"better": "better, beyond the noise", "worse": "worse, beyond the noise",
                   "within_noise": "within the noise", "same": "unchanged"}.get(m.direction, "not comparable")
        ax.set_title(safe_text(f"{m.use_case} · {metric_label(m.metric)}: {verdict}"), loc="left", fontsize=9.5,
                     color=INK)
    for ax in axes[len(rows):]:
        ax.set_axis_off()
    fig.suptitle(title, x=0.01, ha="left", fontsize=11.5, color=INK, fontweight="bold")
    fig.tight_layout()
    return fig
