"""The learning-curve fit recovers a, b and c, and reads the curve at 2x and 5x."""

from __future__ import annotations

import numpy as np
import pytest

from readiness.feasibility import fit_power_law, learning_curve, power_law
from readiness.feasibility.learning_curve import more_data_sentence

SIZES = np.array([200, 400, 800, 1600, 3200, 6400])


@pytest.mark.parametrize("a, b, c", [(2.0, 0.5, 0.10), (30.0, 0.8, 0.25), (0.5, 0.3, 0.05), (5.0, 1.2, 0.0)])
def test_fit_recovers_exact_curves(a: float, b: float, c: float) -> None:
    fitted = fit_power_law(SIZES, power_law(SIZES, a, b, c))
    assert fitted == pytest.approx((a, b, c), rel=1e-3, abs=1e-4)


def test_fit_is_close_on_noisy_points() -> None:
    noise = np.random.default_rng(0).normal(0, 0.002, len(SIZES))
    a, b, c = fit_power_law(SIZES, power_law(SIZES, 2.0, 0.5, 0.10) + noise)
    assert power_law(12800, a, b, c) == pytest.approx(power_law(12800, 2.0, 0.5, 0.10), abs=0.01)


def test_curve_reads_the_metric_at_2x_and_5x() -> None:
    points = [[float(n), float(power_law(n, 2.0, 0.5, 0.10))] for n in SIZES]  # error = 1 - ROC-AUC
    curve = learning_curve(points, model="linear", metric="roc_auc", n_today=6400)
    assert curve.at_today == pytest.approx(1 - power_law(6400, 2.0, 0.5, 0.10), abs=1e-4)
    assert curve.at_2x == pytest.approx(1 - (2.0 / np.sqrt(12800) + 0.10), abs=1e-4)
    assert curve.at_5x == pytest.approx(1 - (2.0 / np.sqrt(32000) + 0.10), abs=1e-4)
    # 2x rows add 0.0073 ROC-AUC: under the 0.01 that makes more data worth collecting
    assert curve.worth_it is False and "add little" in more_data_sentence(curve)


def test_a_steep_curve_says_more_data_is_worth_it() -> None:
    points = [[float(n), float(power_law(n, 20.0, 0.6, 0.10))] for n in SIZES]
    curve = learning_curve(points, model="boosting", metric="roc_auc", n_today=6400)
    assert curve.worth_it is True and more_data_sentence(curve).startswith("More data is worth collecting")


def test_error_curves_stay_in_error_units() -> None:
    points = [[float(n), float(power_law(n, 400.0, 0.5, 3.0))] for n in SIZES]  # mean absolute error
    curve = learning_curve(points, model="linear", metric="mean_absolute_error", n_today=6400)
    assert curve.at_2x == pytest.approx(400 / np.sqrt(12800) + 3.0, rel=1e-3)
    assert curve.worth_it is True  # 5.0 -> 4.54: a 9 % cut


def test_too_few_points_give_no_curve() -> None:
    curve = learning_curve([[100.0, 0.3], [200.0, 0.25]], model="linear", metric="roc_auc", n_today=200)
    assert curve.a is None and curve.at_2x is None and "could not be fitted" in more_data_sentence(curve)
