"""Static matplotlib charts, embedded in reports as base64 PNG (no external files, no JS).

Figures are built with the object-oriented API on the Agg canvas, never through ``pyplot``,
so a notebook keeps no global figure state and nothing is displayed twice.
"""

from __future__ import annotations

import base64
import io
import struct
import sys
from collections.abc import Mapping, Sequence
from html import escape

from IPython.display import HTML
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from readiness.privacy import safe_text

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


def style_axes(ax, *, label_size: float = 10) -> None:
    """The house style of a horizontal bar chart's axes: no frame but the baseline, light grid, muted ticks."""
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(LINE)
    ax.tick_params(axis="both", colors=MUTED, labelsize=9, length=0)
    ax.tick_params(axis="y", labelcolor=INK, labelsize=label_size)
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
    style_axes(ax)
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


def readiness_dimensions(
    scores: Mapping[str, float | None], *, floors: Mapping[str, float] | None = None, title: str
) -> Figure:
    """Readiness dimensions as 0-100 bars, with each dimension's floor drawn as a dark tick.

    Parameters
    ----------
    scores : mapping of str to float or None
        Dimension title to score; None (no answers) is shown as "n/a".
    floors : mapping of str to float, optional
        Dimension title to floor; a bar ending left of its tick is below its floor.
    title : str
        Shown above the bars.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = readiness_dimensions({"Technology": 63.2, "Environment": None}, floors={"Technology": 40},
    ...                            title="Readiness")
    >>> len(fig.axes[0].patches), len(fig.axes[0].lines)
    (2, 1)
    """
    fig = dimension_scores(scores, title=title)
    ax = fig.axes[0]
    names = list(scores)
    positions = list(range(len(names)))[::-1]
    for name, y in zip(names, positions, strict=True):
        if floors and floors.get(name) is not None:
            ax.plot([floors[name]] * 2, [y - 0.36, y + 0.36], color=INK, linewidth=2.0, solid_capstyle="butt")
    if floors:
        ax.text(1.0, 1.01, "dark tick: floor", transform=ax.transAxes, ha="right", va="bottom", fontsize=8,
                color=MUTED)
    return fig


def _finite(value: object) -> bool:
    """A real number, not None, NaN or infinite (DataFrame records carry NaN for missing values)."""
    import math

    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


QUADRANT_COLOURS = {"quick_win": GREEN, "strategic_bet": AMBER, "not_yet": RED, "not_assessed": LINE}


def portfolio_bubbles(
    rows: list[Mapping[str, object]],
    *,
    title: str,
    currency: str = "EUR",
    feasibility_cut: float = 60.0,
    value_cut: float = 0.0,
) -> Figure:
    """Use cases as bubbles: feasibility (x) against risk-adjusted NPV (y), size for ethics risk.

    Parameters
    ----------
    rows : list of mapping
        One per use case with ``title``, ``feasibility`` (0-100), ``risk_adjusted_npv``,
        ``ethics_risk`` (0-100 or None, drawn at the smallest size) and ``quadrant``. Rows without
        feasibility or value are not drawn.
    title : str
        Shown above the chart.
    currency : str
        Unit of the value axis.
    feasibility_cut, value_cut : float
        Where the quadrant lines are drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One scatter collection holding one bubble per drawn use case.

    Examples
    --------
    >>> fig = portfolio_bubbles([{"title": "No-shows", "feasibility": 80, "risk_adjusted_npv": 40000,
    ...                           "ethics_risk": 30, "quadrant": "quick_win"}], title="Portfolio")
    >>> len(fig.axes[0].collections[0].get_offsets())
    1
    """
    drawn = [r for r in rows if _finite(r.get("feasibility")) and _finite(r.get("risk_adjusted_npv"))]
    fig = Figure(figsize=(7.2, 4.6))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = [float(r["feasibility"]) for r in drawn]
    ys = [float(r["risk_adjusted_npv"]) for r in drawn]
    risk = [float(r["ethics_risk"]) if _finite(r.get("ethics_risk")) else 0.0 for r in drawn]
    ax.scatter(xs, ys, s=[120 + 12 * v for v in risk], alpha=0.75, edgecolors=INK, linewidths=0.6,
               c=[QUADRANT_COLOURS.get(str(r.get("quadrant")), LINE) for r in drawn])
    for x, y, r in zip(xs, ys, drawn, strict=True):
        ax.annotate(str(r.get("title", "")), (x, y), xytext=(8, 6), textcoords="offset points", fontsize=9,
                    color=INK)
    span = max([abs(y) for y in ys] + [1.0]) * 1.25
    ax.set_xlim(0, 105)
    ax.set_ylim(min(-span * 0.35, min(ys, default=0) * 1.25), span)
    ax.axvline(feasibility_cut, color=MUTED, linestyle="--", linewidth=0.8)
    ax.axhline(value_cut, color=MUTED, linestyle="--", linewidth=0.8)
    corners = ((0.99, 0.98, "right", "Quick wins"), (0.01, 0.98, "left", "Strategic bets"),
               (0.01, 0.02, "left", "Not yet"))
    for x, y, ha, label in corners:
        ax.text(x, y, label, transform=ax.transAxes, ha=ha, va="top" if y > 0.5 else "bottom", fontsize=9,
                color=MUTED, fontweight="bold")
    ax.set_xlabel("Feasibility (0-100)", color=MUTED, fontsize=9)
    ax.set_ylabel(f"Risk-adjusted NPV ({currency})", color=MUTED, fontsize=9)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    style_axes(ax)
    ax.grid(axis="y", color=LINE, linewidth=0.8)
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    fig.tight_layout()
    return fig


def npv_histogram(
    draws, *, p10: float, p50: float, p90: float, title: str, currency: str = "EUR", bins: int = 50
) -> Figure:
    """Histogram of simulated NPVs with dashed lines at P10, P50 and P90 and a solid line at zero.

    Parameters
    ----------
    draws : array-like of float
        One NPV per Monte Carlo draw.
    p10, p50, p90 : float
        Percentiles of ``draws``, drawn as labelled vertical lines.
    title : str
    currency : str
        Shown in the axis label.
    bins : int

    Returns
    -------
    matplotlib.figure.Figure
        Bars below zero are red, the others green; the lines are labelled ``P10``, ``P50``, ``P90``.

    Examples
    --------
    >>> fig = npv_histogram([-5.0, 1.0, 2.0, 8.0], p10=-3.0, p50=1.5, p90=6.0, title="No-show", bins=4)
    >>> sorted(line.get_label() for line in fig.axes[0].lines if line.get_label().startswith("P"))
    ['P10', 'P50', 'P90']
    """
    fig = Figure(figsize=(6.4, 3.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    _, edges, patches = ax.hist(draws, bins=bins, color=GREEN, edgecolor="white", linewidth=0.4)
    for left, patch in zip(edges[:-1], patches, strict=True):
        if left < 0:
            patch.set_facecolor(RED)
    ax.axvline(0.0, color=INK, linewidth=1.0, label="zero")
    top = ax.get_ylim()[1]
    for name, value in (("P10", p10), ("P50", p50), ("P90", p90)):
        ax.axvline(value, color=MUTED, linestyle="--", linewidth=1.1, label=name)
        ax.text(value, top * 0.98, f" {name}", color=MUTED, fontsize=8.5, va="top", ha="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(LINE)
    ax.spines["bottom"].set_color(LINE)
    ax.tick_params(axis="both", colors=MUTED, labelsize=8.5, length=0)
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:,.0f}")
    ax.locator_params(axis="x", nbins=6)
    ax.set_xlabel(f"NPV ({currency})", color=MUTED, fontsize=9)
    ax.set_ylabel("draws", color=MUTED, fontsize=9)
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    fig.tight_layout()
    return fig


def tornado_chart(
    labels, npv_at_low, npv_at_high, *, base: float, title: str, currency: str = "EUR", max_bars: int = 10
) -> Figure:
    """Tornado of one-at-a-time swings: for each input, the NPV with it at its low and high value.

    Parameters
    ----------
    labels : sequence of str
        Inputs, already sorted by swing (largest first); drawn top to bottom in that order.
    npv_at_low, npv_at_high : sequence of float
        NPV with the input at its low / high value and every other input at its likely value.
    base : float
        NPV with every input at its likely value; bars start from it.
    title : str
    currency : str
    max_bars : int
        Only the first ``max_bars`` inputs are drawn.

    Returns
    -------
    matplotlib.figure.Figure
        Two bar patches per input (low input: amber, high input: green).

    Examples
    --------
    >>> fig = tornado_chart(["price", "volume"], [80.0, 95.0], [130.0, 104.0], base=100.0, title="t")
    >>> ax = fig.axes[0]  # the largest swing is drawn on top
    >>> max(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()]))[1]
    'price'
    """
    labels = [str(x) for x in labels][:max_bars]
    lows, highs = list(npv_at_low)[: len(labels)], list(npv_at_high)[: len(labels)]
    fig = Figure(figsize=(6.4, 0.42 * max(len(labels), 1) + 1.3))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, [v - base for v in lows], left=base, color=AMBER, height=0.6, label="input at low")
    ax.barh(positions, [v - base for v in highs], left=base, color=GREEN, height=0.6, label="input at high")
    ax.axvline(base, color=INK, linewidth=1.0)
    ax.set_yticks(positions, labels)
    ax.set_ylim(-0.6, max(len(labels), 1) - 0.4)
    style_axes(ax)
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:,.0f}")
    ax.locator_params(axis="x", nbins=5)  # wide money labels: few ticks, no overlap
    ax.set_xlabel(f"NPV ({currency}); line: every input at its likely value", color=MUTED, fontsize=9)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------------------ ethics

LIGHT_COLOURS = {"green": GREEN, "amber": AMBER, "red": RED}
ETHICS_METRIC_LABELS = {"fpr": "FPR", "fnr": "FNR", "fdr": "FDR", "for": "FOR", "pprev": "PPREV"}
_METRIC_MARKERS = ("o", "s", "D", "^", "v")


def traffic_lights(lights: Mapping[str, str | None], *, title: str) -> Figure:
    """One coloured light per check (green, amber, red; grey "not run" for None).

    Examples
    --------
    >>> fig = traffic_lights({"proxies": "amber", "model_fairness": None}, title="Ethics checks")
    >>> len(fig.axes[0].collections)
    2
    """
    names = list(lights)
    fig = Figure(figsize=(6.4, 0.42 * len(names) + 0.9))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for i, name in enumerate(names):
        y = len(names) - 1 - i
        light = lights[name]
        ax.scatter([0], [y], s=260, color=LIGHT_COLOURS.get(light or "", LINE), edgecolors="white", zorder=3)
        ax.text(0.35, y, name.replace("_", " ").capitalize(), va="center", fontsize=10.5, color=INK)
        ax.text(3.6, y, light or "not run", va="center", ha="right", fontsize=9.5,
                color=LIGHT_COLOURS.get(light or "", MUTED), fontweight="bold")
    ax.set_xlim(-0.4, 3.7)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.axis("off")
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    fig.tight_layout()
    return fig


def _ratio_axis(ax, values: list[float], band: tuple[float, float]) -> None:
    """Log-scaled ratio axis with the parity line at 1 and the band shaded."""
    finite = [v for v in values if _finite(v) and v > 0]
    low = min([band[0] * 0.8, *finite]) * 0.9
    high = max([band[1] * 1.25, *finite]) * 1.1
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    ax.axvspan(band[0], band[1], color=GREEN, alpha=0.08, zorder=0)
    for edge in band:
        ax.axvline(edge, color=GREEN, linestyle="--", linewidth=1, zorder=1)
    ax.axvline(1.0, color=MUTED, linewidth=1, zorder=1)
    ticks = [t for t in (0.25, 0.5, 0.8, 1.0, 1.25, 2.0, 4.0) if low <= t <= high]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()


def disparate_impact_chart(
    rows: list[Mapping[str, object]], *, title: str, band: tuple[float, float] = (0.8, 1.25)
) -> Figure:
    """Each group's disparate impact (base rate over the reference group's) with its 95% interval.

    Parameters
    ----------
    rows : list of mapping
        Records with ``group``, ``disparate_impact``, ``di_low``, ``di_high``, ``small`` and
        ``reference`` (e.g. ``DataFrame.to_dict("records")``), drawn top to bottom.
    title : str
    band : (float, float)
        The shaded reference band (0.8-1.25 by default): a reference line, not a legal verdict.

    Returns
    -------
    matplotlib.figure.Figure
        One point per group with a finite ratio; small groups grey, groups outside the band red.
    """
    fig = Figure(figsize=(6.4, 0.38 * len(rows) + 1.3))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = []
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        di = row.get("disparate_impact")
        marks = (" (reference)" if row.get("reference") else "") + (" (small)" if row.get("small") else "")
        labels.append(f"{safe_text(row['group'])}{marks}")
        if not _finite(di) or di <= 0:
            continue
        colour = LINE if row.get("small") else (RED if not band[0] <= di <= band[1] else GREEN)
        lo, hi = row.get("di_low"), row.get("di_high")
        if _finite(lo) and _finite(hi) and lo > 0:
            ax.plot([lo, hi], [y, y], color=colour, linewidth=2, zorder=2)
        ax.scatter([di], [y], s=36, color=colour, zorder=3)
    _ratio_axis(ax, [r.get(k) for r in rows for k in ("disparate_impact", "di_low", "di_high")], band)
    ax.set_yticks(range(len(rows))[::-1], labels)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    style_axes(ax)
    ax.set_xlabel("rate over the reference group's (log scale); shaded: 0.8-1.25", color=MUTED, fontsize=9)
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    fig.tight_layout()
    return fig


def disparity_chart(
    rows: list[Mapping[str, object]],
    *,
    title: str,
    metrics: tuple[str, ...] = ("fpr", "fnr", "fdr", "for", "pprev"),
    band: tuple[float, float] = (0.8, 1.25),
) -> Figure:
    """Aequitas-style disparities: per group, each metric's ratio to the reference group's, on a log axis.

    Parameters
    ----------
    rows : list of mapping
        Records with ``group`` and ``<metric>_disparity`` for each metric.
    title : str
    metrics : tuple of str
        Metric keys (``fpr``, ``fnr``, ``fdr``, ``for``, ``pprev``), one marker each.
    band : (float, float)
        Drawn as dashed reference lines with the space between shaded.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=(6.4, 0.42 * len(rows) + 1.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    values = []
    palette = (INK, "#2f6fb0", AMBER, "#7a4bb0", RED)
    for m, metric in enumerate(metrics):
        xs, ys = [], []
        for i, row in enumerate(rows):
            v = row.get(f"{metric}_disparity")
            if _finite(v) and v > 0:
                xs.append(v)
                ys.append(len(rows) - 1 - i + (m - (len(metrics) - 1) / 2) * 0.12)
        values += xs
        ax.scatter(xs, ys, s=26, marker=_METRIC_MARKERS[m % 5], color=palette[m % 5], zorder=3,
                   label=ETHICS_METRIC_LABELS.get(metric, metric))
    _ratio_axis(ax, values, band)
    ax.set_yticks(range(len(rows))[::-1], [safe_text(r["group"]) for r in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    style_axes(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(metrics), fontsize=8, frameon=False)
    ax.set_xlabel("ratio to the reference group (log scale); dashed: 0.8 and 1.25", color=MUTED, fontsize=9)
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    fig.tight_layout()
    return fig


def proxy_chart(
    rows: list[Mapping[str, object]], *, title: str, strong: float = 0.5, top: int = 12
) -> Figure:
    """Bars of association (Cramer's V or correlation ratio) of each feature with a protected attribute.

    Parameters
    ----------
    rows : list of mapping
        Records with ``feature``, ``attribute`` and ``association`` (0-1), strongest first.
    title : str
    strong : float
        Drawn as a dashed line: at or above it a feature is a strong proxy.
    top : int
        Only the first ``top`` rows are drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One bar patch per row drawn.
    """
    rows = rows[:top]
    fig = Figure(figsize=(6.4, 0.4 * max(len(rows), 1) + 1.1))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    positions = list(range(len(rows)))[::-1]
    values = [float(r["association"]) if _finite(r.get("association")) else 0.0 for r in rows]
    ax.barh(positions, values, height=0.6,
            color=[RED if v >= strong else (AMBER if v >= 0.3 else GREEN) for v in values])
    for y, v in zip(positions, values, strict=True):
        ax.text(v + 0.01, y, f"{v:.2f}", va="center", fontsize=9, color=INK)
    ax.axvline(strong, color=RED, linestyle="--", linewidth=1)
    ax.set_yticks(positions, [f"{r['feature']} → {r['attribute']}" for r in rows])
    ax.set_xlim(0, 1.08)
    ax.set_ylim(-0.6, max(len(rows), 1) - 0.4)
    style_axes(ax)
    ax.set_xlabel("association (0 none, 1 complete); dashed: strong proxy", color=MUTED, fontsize=9)
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)
    fig.tight_layout()
    return fig


def _curve_axes(width: float, height: float):
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(LINE)
    ax.tick_params(axis="both", colors=MUTED, labelsize=9)
    ax.grid(color=LINE, linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax


def _curve_title(ax, title: str) -> None:
    ax.set_title(title, loc="left", fontsize=11.5, color=INK, fontweight="bold", pad=10)


def metric_vs_baseline(
    models: Mapping[str, tuple[float, float, float]], *, metric: str, title: str, baseline: str = "baseline"
) -> Figure:
    """One horizontal bar per model: its cross-validated mean with a 95 % interval whisker.

    Parameters
    ----------
    models : mapping of str to (mean, low, high)
        Drawn top to bottom in the mapping's order; the ``baseline`` entry is grey.
    metric : str
        Axis label, e.g. ``"ROC-AUC"``.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        One bar patch per model.

    Examples
    --------
    >>> fig = metric_vs_baseline({"baseline": (0.5, 0.5, 0.5), "linear": (0.8, 0.78, 0.82)},
    ...                          metric="ROC-AUC", title="no_show")
    >>> len(fig.axes[0].patches)
    2
    """
    names = list(models)
    means = [float(models[n][0]) for n in names]
    lows = [means[i] - float(models[n][1]) for i, n in enumerate(names)]
    highs = [float(models[n][2]) - means[i] for i, n in enumerate(names)]
    fig, ax = _curve_axes(6.4, 0.55 * len(names) + 1.1)
    positions = list(range(len(names)))[::-1]
    colours = [LINE if n == baseline else GREEN for n in names]
    ax.barh(positions, means, color=colours, height=0.6, xerr=[lows, highs], ecolor=INK, capsize=3)
    pad = 0.015 * max(m + h for m, h in zip(means, highs, strict=True))
    for y, v, h in zip(positions, means, highs, strict=True):
        ax.text(v + h + pad, y, f"{v:.3f}", va="center", ha="left", fontsize=9, color=INK)
    ax.set_xlim(0, 1.12 * max(m + h for m, h in zip(means, highs, strict=True)))
    ax.set_yticks(positions, [n.capitalize() for n in names])
    ax.tick_params(axis="y", labelcolor=INK, labelsize=10)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(metric, fontsize=9.5, color=MUTED)
    _curve_title(ax, title)
    fig.tight_layout()
    return fig


def learning_curve(
    points: Sequence[tuple[float, float]],
    *,
    fitted: Sequence[tuple[float, float]] = (),
    marks: Mapping[str, tuple[float, float]] | None = None,
    metric: str,
    title: str,
) -> Figure:
    """Measured points (metric at each number of training rows), the fitted curve and labelled marks.

    Parameters
    ----------
    points : sequence of (rows, metric)
    fitted : sequence of (rows, metric)
        The fitted curve, drawn as a line (log-scaled rows).
    marks : mapping of str to (rows, metric), optional
        Labelled points such as ``{"today": ..., "2x": ..., "5x": ...}``.
    metric, title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _curve_axes(6.4, 3.6)
    if fitted:
        xs, ys = zip(*fitted, strict=True)
        ax.plot(xs, ys, color=MUTED, linewidth=1.5, label="fitted a·n^(−b) + c")
    if points:
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, "o", color=GREEN, markersize=6, label="measured (cross-validated)")
    for label, (x, y) in (marks or {}).items():
        ax.plot([x], [y], "D", color=AMBER, markersize=6)
        ax.annotate(f"{label}: {y:.3f}", (x, y), textcoords="offset points", xytext=(6, -12), fontsize=9,
                    color=INK)
    ax.set_xscale("log")
    ax.set_xlabel("training rows", fontsize=9.5, color=MUTED)
    ax.set_ylabel(metric, fontsize=9.5, color=MUTED)
    ax.legend(frameon=False, fontsize=9, loc="best")
    _curve_title(ax, title)
    fig.tight_layout()
    return fig


def calibration_curve(predicted: Sequence[float], observed: Sequence[float], *, title: str) -> Figure:
    """Observed rate against mean predicted probability per score band, with the diagonal of perfect calibration.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _curve_axes(4.8, 4.2)
    top = max([*predicted, *observed, 0.05]) * 1.05
    ax.plot([0, top], [0, top], color=LINE, linewidth=1.2, linestyle="--", label="perfectly calibrated")
    ax.plot(list(predicted), list(observed), "o-", color=GREEN, markersize=5, label="model")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("mean predicted probability", fontsize=9.5, color=MUTED)
    ax.set_ylabel("observed rate", fontsize=9.5, color=MUTED)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    _curve_title(ax, title)
    fig.tight_layout()
    return fig


def forecast_backtest(
    periods: Sequence, actual: Sequence[float], baseline: Sequence[float], model: Sequence[float], *, title: str
) -> Figure:
    """Actual values against the seasonal-naive baseline and the model over the backtest periods.

    Returns
    -------
    matplotlib.figure.Figure
        Three lines: actual, baseline, model.
    """
    fig, ax = _curve_axes(7.2, 3.4)
    ax.plot(list(periods), list(actual), color=INK, linewidth=1.4, label="actual")
    ax.plot(list(periods), list(baseline), color=MUTED, linewidth=1.0, linestyle="--", label="seasonal naive")
    ax.plot(list(periods), list(model), color=GREEN, linewidth=1.4, label="model")
    top = max([*actual, *baseline, *model, 1.0])
    ax.set_ylim(0, 1.25 * top)  # room for the legend above the lines
    ax.legend(frameon=False, fontsize=9, loc="upper left", ncol=3)
    fig.autofmt_xdate()
    _curve_title(ax, title)
    fig.tight_layout()
    return fig
