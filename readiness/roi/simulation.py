"""The cash-flow model of a use case, its Monte Carlo simulation and its tornado of swings.

Every function works on arrays: an input is an array with one value per draw, so the same
code gives the deterministic figures (one row at the likely values), 10,000 draws, or the
tornado's one-at-a-time rows.

Timing: one-off costs fall in year 0 (today, not discounted); benefits and yearly costs fall
in years 1..horizon. Benefits ramp up linearly over ``ramp_months`` (a share ``m / ramp_months``
of full use in month ``m``), so year 1 earns less than later years.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness.roi.evidence import Evidence
from readiness.roi.finance import npv
from readiness.roi.inputs import INPUT_SPECS, Uncertain, UseCaseInputs
from readiness.roi.value import OUTCOMES, expected_value_per_decision

__all__ = [
    "BENEFIT_MODELS", "CashFlows", "cash_flows", "customer_lifetime_value", "draw_uncertain", "first_year_share",
    "monthly_net_flows", "ramp_factors", "sample_inputs", "simulate_npv", "tornado",
]

Inputs = Mapping[str, np.ndarray]


def customer_lifetime_value(margin: np.ndarray | float, retention_rate: np.ndarray | float,
                            discount_rate: float) -> np.ndarray | float:
    """``CLV = m * r / (1 + i - r)``: the discounted margin of a customer who stays with rate ``r``.

    Examples
    --------
    >>> round(customer_lifetime_value(100.0, 0.5, 0.1), 2)
    83.33
    """
    return margin * retention_rate / (1.0 + discount_rate - retention_rate)


def _decisions(x: Inputs, evidence: Evidence, discount_rate: float) -> np.ndarray:
    if evidence.no_usable_model:  # no model, so its decisions are worth nothing
        return np.zeros(len(x["value.decisions_per_year"]))
    values = {k: x[f"value.{k}"] for k in OUTCOMES}
    per_decision = expected_value_per_decision(evidence.confusion, values)
    return per_decision * x["value.decisions_per_year"] * x["benefit.adoption"]


def _time(x: Inputs, evidence: Evidence, discount_rate: float) -> np.ndarray:
    return (x["benefit.hours_saved_per_year"] * x["benefit.hourly_rate"] * x["benefit.adoption"]
            * (1.0 - x["benefit.rework_share"]))


def _uplift(x: Inputs, evidence: Evidence, discount_rate: float) -> np.ndarray:
    return x["benefit.customers"] * x["benefit.uplift"] * x["benefit.margin_rate"] * x["benefit.adoption"]


def _churn(x: Inputs, evidence: Evidence, discount_rate: float) -> np.ndarray:
    clv = customer_lifetime_value(x["benefit.margin_per_customer"], x["benefit.retention_rate"], discount_rate)
    return x["benefit.customers"] * x["benefit.churn_reduction"] * clv * x["benefit.adoption"]


# benefit variant -> yearly benefit at full use; see readiness.roi.inputs.SHAPE_INPUTS
BENEFIT_MODELS: dict[str, Callable[[Inputs, Evidence, float], np.ndarray]] = {
    "decisions": _decisions, "time": _time, "uplift": _uplift, "churn": _churn,
}


def ramp_factors(ramp_months: float) -> np.ndarray:
    """Share of full use in each month of year 1: ``min(1, m / ramp_months)`` for m = 1..12."""
    months = np.arange(1, 13, dtype=float)
    return np.ones(12) if ramp_months <= 0 else np.minimum(1.0, months / ramp_months)


def first_year_share(ramp_months: float) -> float:
    """Share of a full year's benefit earned in year 1 (1.0 without a ramp)."""
    return float(ramp_factors(ramp_months).mean())


@dataclass
class CashFlows:
    """Yearly benefits and costs, one row per draw, columns year 0..horizon."""

    benefits: np.ndarray
    costs: np.ndarray

    @property
    def net(self) -> np.ndarray:
        return self.benefits - self.costs


def _yearly_parts(case: UseCaseInputs, evidence: Evidence, x: Inputs,
                  discount_rate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(next(iter(x.values())))
    annual = np.broadcast_to(BENEFIT_MODELS[case.variant](x, evidence, discount_rate), (n,)).astype(float)
    one_off = sum((x[name] for name in case.one_off_costs), np.zeros(n))
    recurring = sum((x[name] for name in case.recurring_costs), np.zeros(n))
    return annual, one_off, recurring


def cash_flows(case: UseCaseInputs, evidence: Evidence, x: Inputs, *, horizon_years: int,
               discount_rate: float) -> CashFlows:
    """Yearly cash flows of a use case for every row of inputs.

    Parameters
    ----------
    case, evidence
        The use case's inputs and its feasibility evidence (confusion matrix for model decisions).
    x : mapping of str to numpy.ndarray
        One array per input name (``value.*``, ``benefit.*``, ``costs.*``), all the same length.
    horizon_years : int
    discount_rate : float
        Used only inside the customer lifetime value of a churn benefit.

    Returns
    -------
    CashFlows
        ``benefits`` and ``costs`` of shape (rows, horizon_years + 1).
    """
    annual, one_off, recurring = _yearly_parts(case, evidence, x, discount_rate)
    share = np.ones(horizon_years + 1)
    share[0], share[1] = 0.0, first_year_share(case.ramp_months)
    running = np.ones(horizon_years + 1)
    running[0] = 0.0
    costs = recurring[:, None] * running[None, :]
    costs[:, 0] += one_off
    return CashFlows(benefits=annual[:, None] * share[None, :], costs=costs)


def monthly_net_flows(case: UseCaseInputs, evidence: Evidence, x: Inputs, *, horizon_years: int,
                      discount_rate: float) -> np.ndarray:
    """Net cash per month for the first row of inputs: month 0 (one-off costs), then 12 per year."""
    annual, one_off, recurring = (float(a[0]) for a in _yearly_parts(case, evidence, x, discount_rate))
    use = np.ones(12 * horizon_years)
    use[:12] = ramp_factors(case.ramp_months)
    return np.concatenate([[-one_off], annual / 12 * use - recurring / 12])


def draw_uncertain(value: Uncertain, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` draws of one input: PERT (a Beta scaled to [low, high]) or triangular.

    A collapsed range (low == high) gives its value without drawing.
    """
    a, m, b = value.low, value.likely, value.high
    if a == b:
        return np.full(size, a)
    if value.distribution == "triangular":
        return rng.triangular(a, m, b, size)
    alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
    return a + (b - a) * rng.beta(alpha, beta, size)


def sample_inputs(case: UseCaseInputs, draws: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One array of draws per input, drawn in name order so a seed always gives the same draws."""
    return {name: draw_uncertain(case.inputs[name], draws, rng) for name in sorted(case.inputs)}


def simulate_npv(case: UseCaseInputs, evidence: Evidence, *, draws: int, rng: np.random.Generator,
                 horizon_years: int, discount_rate: float) -> np.ndarray:
    """NPV of each of ``draws`` Monte Carlo draws of every input at once."""
    x = sample_inputs(case, draws, rng)
    flows = cash_flows(case, evidence, x, horizon_years=horizon_years, discount_rate=discount_rate)
    return npv(discount_rate, flows.net)


TORNADO_COLUMNS = ["input", "label", "low", "likely", "high", "npv_at_low", "npv_at_high", "swing"]


def tornado(case: UseCaseInputs, evidence: Evidence, *, horizon_years: int, discount_rate: float) -> pd.DataFrame:
    """One-at-a-time swings: the NPV with each uncertain input at its low, then high, value.

    Every other input stays at its likely value. Sorted by ``swing`` (``|npv_at_high -
    npv_at_low|``), largest first; inputs with a collapsed range are left out.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TORNADO_COLUMNS`.
    """
    varied = [name for name in sorted(case.inputs) if not case.inputs[name].fixed]
    if not varied:
        return pd.DataFrame(columns=TORNADO_COLUMNS)
    rows = 2 * len(varied)
    x = {name: np.full(rows, u.likely) for name, u in case.inputs.items()}
    for i, name in enumerate(varied):
        x[name][2 * i], x[name][2 * i + 1] = case.inputs[name].low, case.inputs[name].high
    values = npv(discount_rate, cash_flows(case, evidence, x, horizon_years=horizon_years,
                                           discount_rate=discount_rate).net)
    frame = pd.DataFrame({
        "input": varied,
        "label": [INPUT_SPECS[n].label for n in varied],
        "low": [case.inputs[n].low for n in varied],
        "likely": [case.inputs[n].likely for n in varied],
        "high": [case.inputs[n].high for n in varied],
        "npv_at_low": values[0::2],
        "npv_at_high": values[1::2],
    })
    frame["swing"] = (frame["npv_at_high"] - frame["npv_at_low"]).abs()
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
