"""Value of model decisions: expected value per decision, break-even threshold, customer lifetime value."""

from __future__ import annotations

import numpy as np
import pytest

from readiness.roi import ConfusionCounts, break_even_threshold, customer_lifetime_value, expected_value_per_decision


def test_expected_value_from_a_hand_made_confusion_matrix() -> None:
    counts = ConfusionCounts(tp=10, fp=20, fn=5, tn=65)
    values = {"true_positive": 38.0, "false_positive": -2.0, "false_negative": -10.0, "true_negative": 0.5}
    # (10*38 - 20*2 - 5*10 + 65*0.5) / 100
    assert expected_value_per_decision(counts, values) == pytest.approx(3.225)


def test_expected_value_is_vectorised_over_draws() -> None:
    counts = ConfusionCounts(tp=1, fp=1, fn=0, tn=2)
    got = expected_value_per_decision(counts, {"true_positive": np.array([4.0, 8.0]), "false_positive": -4.0})
    assert got == pytest.approx([0.0, 1.0])


def test_rates_scale_counts_to_shares() -> None:
    assert ConfusionCounts(tp=30, fp=10, fn=20, tn=40).rates() == {
        "true_positive": 0.3, "false_positive": 0.1, "false_negative": 0.2, "true_negative": 0.4}


def test_break_even_threshold_formula() -> None:
    # p* = (C_FP - C_TN) / (C_FP - C_TN + C_FN - C_TP)
    assert break_even_threshold(cost_tp=-38, cost_fp=2, cost_fn=0, cost_tn=0) == pytest.approx(0.05)
    assert break_even_threshold(cost_tp=0, cost_fp=1, cost_fn=1, cost_tn=0) == pytest.approx(0.5)
    assert break_even_threshold(cost_tp=1, cost_fp=5, cost_fn=10, cost_tn=2) == pytest.approx(3 / 12)
    assert break_even_threshold(cost_tp=0, cost_fp=0, cost_fn=0, cost_tn=0) is None


def test_break_even_threshold_makes_acting_and_waiting_worth_the_same() -> None:
    c_tp, c_fp, c_fn, c_tn = -20.0, 3.0, 4.0, 1.0
    p = break_even_threshold(cost_tp=c_tp, cost_fp=c_fp, cost_fn=c_fn, cost_tn=c_tn)
    assert p * c_tp + (1 - p) * c_fp == pytest.approx(p * c_fn + (1 - p) * c_tn)


def test_customer_lifetime_value() -> None:
    # m r / (1 + i - r) = 120 * 0.5 / 0.58
    assert customer_lifetime_value(120.0, 0.5, 0.08) == pytest.approx(103.448, abs=1e-3)
    # the same as summing m r^t / (1 + i)^t over t >= 1
    t = np.arange(1, 2000)
    assert customer_lifetime_value(120.0, 0.5, 0.08) == pytest.approx(float(np.sum(120 * 0.5**t / 1.08**t)))
