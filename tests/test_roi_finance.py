"""ROI money figures: NPV and IRR match numpy-financial; payback, ROI % and risk-adjusted NPV by hand."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

from readiness.roi import irr, npv, payback_months, risk_adjusted_npv, roi_pct


def test_published_reference_figures() -> None:
    assert npv(0.10, [-100, 60, 60]) == pytest.approx(4.1322, abs=1e-4)
    assert irr([-100, 60, 60]) == pytest.approx(0.1307, abs=1e-4)


def test_npv_and_irr_equal_numpy_financial_on_random_flows() -> None:
    rng = np.random.default_rng(0)
    compared = 0
    for _ in range(300):
        periods = int(rng.integers(2, 9))
        flows = np.concatenate([[-rng.uniform(100, 10_000)], rng.normal(500, 1_500, periods)])
        rate = float(rng.uniform(0, 0.5))
        assert npv(rate, flows) == pytest.approx(npf.npv(rate, flows), rel=1e-12, abs=1e-9)
        expected = npf.irr(flows)
        ours = irr(flows)
        if np.isnan(expected):
            assert ours is None
        else:
            assert ours == pytest.approx(expected, rel=1e-9, abs=1e-12)
            compared += 1
    assert compared > 200  # most random streams have an IRR: the comparison is not vacuous


def test_npv_of_many_streams_at_once_equals_one_by_one() -> None:
    flows = np.array([[-100.0, 60, 60], [-50.0, 10, 80]])
    assert npv(0.1, flows) == pytest.approx([npf.npv(0.1, row) for row in flows])


def test_irr_is_none_without_a_sign_change() -> None:
    assert irr([100, 20, 30]) is None
    assert irr([-100, -20, 0]) is None
    assert irr([0, 0, 0]) is None


def test_payback_on_hand_made_flows() -> None:
    assert payback_months([-100, 60, 60]) == pytest.approx(20.0)  # 100/60 of the way: 1 year 8 months
    assert payback_months([-120, 120, 10]) == pytest.approx(12.0)
    assert payback_months([-30, 10, 10, 10, 10], months_per_period=1) == pytest.approx(3.0)
    assert payback_months([50, -10, 5]) == 0.0


def test_payback_never_within_the_horizon() -> None:
    assert payback_months([-100, 30, 30, 30]) is None
    assert payback_months([-100, -10, -10]) is None


def test_roi_pct_and_risk_adjusted_npv() -> None:
    assert roi_pct(6000.0, 3000.0) == pytest.approx(100.0)
    assert roi_pct(1000.0, 4000.0) == pytest.approx(-75.0)
    assert roi_pct(10.0, 0.0) is None
    assert risk_adjusted_npv(2338.84, p_success=0.9, sunk_cost=2000.0) == pytest.approx(1904.956)
    assert risk_adjusted_npv(1000.0, p_success=1.0, sunk_cost=5000.0) == pytest.approx(1000.0)
