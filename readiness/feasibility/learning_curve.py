"""Value of more data: a learning curve per model family, fitted with err(n) = a * n^(-b) + c.

The model is refitted on growing shares of each training fold (the most recent rows when folds
follow time) and scored on the same test fold. The error (1 - ROC-AUC, 1 - macro-F1, or the mean
absolute error) is fitted with an inverse power law with ``scipy.optimize.curve_fit``; ``c`` is
the error no amount of rows removes, and the curve gives the expected metric at 2x and 5x today's
training rows.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field

import numpy as np

WORTH_IT_SCORE = 0.01  # 2x rows should add at least this to ROC-AUC / macro-F1 ...
WORTH_IT_ERROR = 0.02  # ... or cut this share of the mean absolute error


def power_law(n: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """err(n) = a * n^(-b) + c."""
    return a * np.power(n, -b) + c


@dataclass
class LearningCurve:
    """A fitted learning curve of one model, in the metric's own units.

    ``points`` are (training rows, metric); ``at_today`` / ``at_2x`` / ``at_5x`` are the fitted
    metric at ``n_today`` training rows and two and five times that.
    """

    model: str
    metric: str
    a: float | None
    b: float | None
    c: float | None
    n_today: float
    at_today: float | None
    at_2x: float | None
    at_5x: float | None
    worth_it: bool | None
    points: list[list[float]] = field(default_factory=list)

    def as_dict(self) -> dict:
        """JSON-able form."""
        return asdict(self)

    def fitted_points(self, k: int = 60) -> list[tuple[float, float]]:
        """The fitted curve in metric units, from the smallest measured size to 5x today's rows."""
        if self.a is None or not self.points:
            return []
        grid = np.geomspace(min(p[0] for p in self.points), 5 * self.n_today, k)
        return [(float(n), _to_metric(float(power_law(n, self.a, self.b, self.c)), self.metric)) for n in grid]

    def at(self, n: float) -> float | None:
        """The fitted metric at ``n`` training rows (None when the curve was not fitted)."""
        if self.a is None:
            return None
        return _to_metric(float(power_law(n, self.a, self.b, self.c)), self.metric)

    def marks(self) -> dict[str, tuple[float, float]]:
        """``today``, ``2x`` and ``5x`` as (training rows, metric) for a chart."""
        if self.at_today is None:
            return {}
        return {"today": (self.n_today, self.at_today), "2x": (2 * self.n_today, self.at_2x),
                "5x": (5 * self.n_today, self.at_5x)}


def fit_power_law(n: np.ndarray, err: np.ndarray) -> tuple[float, float, float]:
    """Least-squares (a, b, c) of err(n) = a * n^(-b) + c, with a, c >= 0 and 0 < b <= 2.

    Fitted on n scaled to its largest value, so the optimiser works with numbers near 1.

    Examples
    --------
    >>> n = np.array([100, 200, 400, 800, 1600, 3200])
    >>> a, b, c = fit_power_law(n, power_law(n, 2.0, 0.5, 0.1))
    >>> round(a, 3), round(b, 3), round(c, 3)
    (2.0, 0.5, 0.1)
    """
    # imported here: scipy.optimize takes 0.7 s to import, and the stage's face imports this module eagerly
    from scipy.optimize import OptimizeWarning, curve_fit

    n, err = np.asarray(n, dtype=float), np.asarray(err, dtype=float)
    scale = n.max()
    m = n / scale
    c0 = max(0.0, float(err.min()) * 0.8)
    p0 = (max(float(err.max()) - c0, 1e-6), 0.5, c0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)
        (a_scaled, b, c), _ = curve_fit(power_law, m, err, p0=p0, bounds=([0, 1e-3, 0], [np.inf, 2.0, np.inf]),
                                        maxfev=20_000)
    return float(a_scaled * scale ** b), float(b), float(c)


def _to_metric(err: float | None, metric: str) -> float | None:
    if err is None:
        return None
    return err if metric == "mean_absolute_error" else 1 - err


def learning_curve(points: list[list[float]], *, model: str, metric: str, n_today: float) -> LearningCurve:
    """Fit the points and read the curve at today's rows and at 2x and 5x.

    ``metric`` is ``roc_auc``, ``roc_auc_ovr``, ``f1_macro`` (points hold 1 - metric) or
    ``mean_absolute_error`` (points hold the error itself).
    """
    shown = [[n, _to_metric(e, metric)] for n, e in points]
    empty = LearningCurve(model, metric, None, None, None, n_today, None, None, None, None, shown)
    if len(points) < 4:
        return empty
    n, err = np.array(points).T
    try:
        a, b, c = fit_power_law(n, err)
    except (RuntimeError, ValueError):
        return empty
    at = {k: _to_metric(float(power_law(k * n_today, a, b, c)), metric) for k in (1, 2, 5)}
    if metric == "mean_absolute_error":
        worth = (at[1] - at[2]) / max(at[1], 1e-12) >= WORTH_IT_ERROR
    else:
        worth = at[2] - at[1] >= WORTH_IT_SCORE
    return LearningCurve(model, metric, a, b, c, n_today, at[1], at[2], at[5], bool(worth), shown)


def more_data_sentence(curve: LearningCurve | None) -> str:
    """A plain sentence on whether collecting more data is worth it."""
    if curve is None or curve.at_2x is None:
        return "The learning curve could not be fitted, so the value of more data is unknown."
    label = {"roc_auc": "ROC-AUC", "roc_auc_ovr": "ROC-AUC", "f1_macro": "macro-F1",
             "mean_absolute_error": "mean absolute error"}[curve.metric]
    change = f"{label} from {curve.at_today:.3f} to {curve.at_2x:.3f} (and {curve.at_5x:.3f} at 5x)"
    if curve.worth_it:
        return f"More data is worth collecting: twice today's rows should move {change}."
    return (f"More rows alone will add little: twice today's rows would move {change}; better features or "
            "a sharper target definition matter more.")
