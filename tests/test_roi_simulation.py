"""Monte Carlo and tornado: PERT mean, collapsed ranges, ramp, tornado order, seeded draws."""

from __future__ import annotations

import numpy as np
import pytest

from readiness.roi import assess_roi, npv, parse_use_cases
from readiness.roi.evidence import Evidence
from readiness.roi.inputs import Uncertain
from readiness.roi.simulation import cash_flows, draw_uncertain, first_year_share, tornado

NO_EVIDENCE = Evidence(p_success=0.5, p_success_source="no evidence")


def _time_case(**benefit) -> dict:
    spec = {"shape": "time_saved", "hours_saved_per_year": 100, "hourly_rate": 30, "ramp_months": 0}
    spec.update(benefit)
    return {"id": "triage", "benefit": spec, "costs": {"build": 2000, "licences": 500}, "p_success": 0.9}


def test_pert_mean_is_reproduced_within_monte_carlo_error() -> None:
    value = Uncertain(10.0, 20.0, 60.0)
    draws = draw_uncertain(value, 200_000, np.random.default_rng(1))
    error = draws.std() / np.sqrt(draws.size)
    assert value.mean == pytest.approx((10 + 4 * 20 + 60) / 6)
    assert abs(draws.mean() - value.mean) < 4 * error
    assert draws.min() >= 10 and draws.max() <= 60


def test_triangular_mean_is_reproduced() -> None:
    value = Uncertain(0.0, 1.0, 8.0, "triangular")
    draws = draw_uncertain(value, 200_000, np.random.default_rng(2))
    assert abs(draws.mean() - 3.0) < 4 * draws.std() / np.sqrt(draws.size)


def test_collapsed_ranges_make_every_draw_equal_the_deterministic_npv() -> None:
    case = _time_case(hours_saved_per_year=[120, 120, 120], adoption=[0.7, 0.7, 0.7], ramp_months=6)
    case["costs"] = {"build": [1500, 1500, 1500], "licences": 400}
    report = assess_roi([case], horizon_years=3, discount_rate=0.08, draws=500, seed=3)
    roi = report.use_cases[0]
    assert np.all(roi.npv_draws == pytest.approx(roi.npv, rel=1e-12))
    assert roi.tornado.empty


def test_collapsing_to_likely_values_gives_the_npv_of_the_wide_case() -> None:
    wide = _time_case(hours_saved_per_year=[50, 120, 400], hourly_rate=[20, 30, 45], ramp_months=4)
    narrow = _time_case(hours_saved_per_year=120, hourly_rate=30, ramp_months=4)
    wide_report = assess_roi([wide], draws=2000, seed=5)
    narrow_report = assess_roi([narrow], draws=2000, seed=5)
    assert narrow_report.use_cases[0].npv == pytest.approx(wide_report.use_cases[0].npv)
    assert np.ptp(narrow_report.use_cases[0].npv_draws) == pytest.approx(0.0, abs=1e-9)
    assert np.ptp(wide_report.use_cases[0].npv_draws) > 1000


def test_first_year_share_of_a_linear_ramp() -> None:
    assert first_year_share(0) == 1.0
    assert first_year_share(6) == pytest.approx((21 / 6 + 6) / 12)  # months 1..6 at m/6, then full
    assert first_year_share(12) == pytest.approx(78 / 12 / 12)


def test_yearly_cash_flows_by_hand() -> None:
    case = parse_use_cases([_time_case(ramp_months=6)])[0]
    x = {name: np.array([u.likely]) for name, u in case.inputs.items()}
    flows = cash_flows(case, NO_EVIDENCE, x, horizon_years=2, discount_rate=0.1)
    assert flows.benefits[0] == pytest.approx([0.0, 3000 * (21 / 6 + 6) / 12, 3000.0])
    assert flows.costs[0] == pytest.approx([2000.0, 500.0, 500.0])


def test_tornado_is_sorted_by_swing() -> None:
    raw = _time_case(hours_saved_per_year=[50, 100, 300], hourly_rate=[29, 30, 31])
    raw["costs"] = {"build": [1000, 2000, 2500]}
    case = parse_use_cases([raw])[0]
    frame = tornado(case, NO_EVIDENCE, horizon_years=1, discount_rate=0.0)
    # NPV = hours x rate - build: swings 250*30 = 7500, 1500, 2*100 = 200
    assert list(frame["input"]) == ["benefit.hours_saved_per_year", "costs.build", "benefit.hourly_rate"]
    assert list(frame["swing"]) == pytest.approx([7500.0, 1500.0, 200.0])
    assert frame.loc[0, "npv_at_low"] == pytest.approx(50 * 30 - 2000)
    assert frame.loc[1, "npv_at_high"] == pytest.approx(100 * 30 - 2500)


def test_same_seed_same_draws_other_seed_other_draws() -> None:
    case = _time_case(hours_saved_per_year=[50, 100, 300])
    first = assess_roi([case], draws=1000, seed=7).use_cases[0].npv_draws
    again = assess_roi([case], draws=1000, seed=7).use_cases[0].npv_draws
    other = assess_roi([case], draws=1000, seed=8).use_cases[0].npv_draws
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_a_use_case_draws_the_same_whatever_comes_before_it() -> None:
    case = _time_case(hours_saved_per_year=[50, 100, 300])
    alone = assess_roi([case], draws=500, seed=7).use_cases[0].npv_draws
    other = dict(case, id="other")
    second = assess_roi([case, other], draws=500, seed=7).use_cases[0].npv_draws
    assert np.array_equal(alone, second)


def test_npv_is_the_npv_of_the_likely_cash_flows() -> None:
    report = assess_roi([_time_case(hours_saved_per_year=[50, 100, 300])], horizon_years=2, discount_rate=0.1,
                        draws=50, seed=1)
    roi = report.use_cases[0]
    assert roi.npv == pytest.approx(npv(0.1, roi.flows.net[0]))
