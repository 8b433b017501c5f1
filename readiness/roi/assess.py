"""Assess every use case's return: deterministic money figures, Monte Carlo, tornado, verdicts.

Verdict of a use case (and of the portfolio: its best valued use case), from the simulated NPV
and the risk-adjusted NPV (rNPV):

``invest``  P(NPV > 0) >= 0.8 and rNPV > 0: fund it.
``pilot``   otherwise P(NPV > 0) >= 0.5 or rNPV > 0: worth a small, time-boxed trial first.
``hold``    neither: on today's figures it does not pay.

A model-based use case whose feasibility verdict is ``not_yet`` without a fitted model has no
benefit: its NPV is minus its costs, so it is on ``hold`` (finding ``ROI_NOT_FEASIBLE``). A use case
that cannot be valued at all (:mod:`readiness.roi.not_valued`) gets no verdict of its own.

Score (0-100): 100 x the highest P(success) x P(NPV > 0) over the valued use cases, i.e. the
chance that the best use case both works and pays back within the horizon; with no use case
valued the portfolio is ``incomplete`` with no score (see :mod:`readiness.roi.portfolio`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness.findings import (
    ROI_COUNTS_FROM_INPUTS,
    ROI_LIKELY_LOSS,
    ROI_MAIN_DRIVER,
    ROI_NEGATIVE_DECISION_VALUE,
    ROI_NO_PAYBACK,
    ROI_NOT_FEASIBLE,
    ROI_P_SUCCESS_ASSUMED,
    ROI_P_SUCCESS_FROM_VERDICT,
    ROI_RISK_ADJUSTED_LOSS,
    ROI_WIDE_UNCERTAINTY,
    codes_of,
)
from readiness.roi.evidence import Evidence
from readiness.roi.finance import irr, npv, payback_months, risk_adjusted_npv, roi_pct
from readiness.roi.inputs import UseCaseInputs
from readiness.roi.not_valued import ROI_NOT_VALUED
from readiness.roi.simulation import CashFlows, cash_flows, monthly_net_flows, simulate_npv, tornado

__all__ = [
    "CODES", "ROI_COUNTS_FROM_INPUTS", "ROI_LIKELY_LOSS", "ROI_MAIN_DRIVER", "ROI_NEGATIVE_DECISION_VALUE",
    "ROI_NOT_FEASIBLE", "ROI_NOT_VALUED", "ROI_NO_PAYBACK", "ROI_P_SUCCESS_ASSUMED", "ROI_P_SUCCESS_FROM_VERDICT",
    "ROI_RISK_ADJUSTED_LOSS", "ROI_WIDE_UNCERTAINTY", "VERDICT_ORDER", "UseCaseROI", "assess_use_case",
    "use_case_verdict",
]

CODES = codes_of("roi")

VERDICT_ORDER = ("invest", "pilot", "hold")  # best first
INVEST_PROBABILITY = 0.8
PILOT_PROBABILITY = 0.5


@dataclass
class UseCaseROI:
    """Every figure of one use case: at the likely values, simulated, and its tornado."""

    case: UseCaseInputs
    evidence: Evidence
    flows: CashFlows  # one row: the likely values
    monthly: np.ndarray
    npv: float
    irr: float | None
    payback_months: float | None
    roi_pct: float | None
    sunk_cost: float
    risk_adjusted_npv: float
    npv_draws: np.ndarray
    tornado: pd.DataFrame
    verdict: str

    @property
    def percentiles(self) -> tuple[float, float, float]:
        """P10, P50 and P90 of the simulated NPV."""
        p10, p50, p90 = np.percentile(self.npv_draws, [10, 50, 90])
        return float(p10), float(p50), float(p90)

    @property
    def prob_npv_positive(self) -> float:
        return float(np.mean(self.npv_draws > 0))

    @property
    def payback_whole_months(self) -> int | None:
        """Payback rounded up to whole months (a payback in 6.2 months is reached in month 7)."""
        return None if self.payback_months is None else math.ceil(round(self.payback_months, 6))

    def sentence(self, horizon_years: int) -> str:
        """The one-line answer, e.g. "No-show prediction: pays back in 7 months; 86% chance of ..."."""
        if self.evidence.no_usable_model:
            return f"{self.case.title} is not assessable: the feasibility stage found no usable model yet."
        months = self.payback_whole_months
        years = f"{horizon_years} year{'s' if horizon_years != 1 else ''}"
        if months is None:
            pays = f"does not pay back within {years}"
        elif months == 0:
            pays = "pays back at once"
        else:
            pays = f"pays back in {months} month{'s' if months != 1 else ''}"
        return f"{self.case.title}: {pays}; {self.prob_npv_positive:.0%} chance of positive NPV over {years}."

    def metrics(self) -> dict:
        """The JSON metrics of this use case, at full precision (IRR and probabilities as fractions).

        Reports round for display only, so a reader of the JSON can recompute every figure.
        """
        p10, p50, p90 = self.percentiles
        return {
            "npv": float(self.npv),
            "irr": None if self.irr is None else float(self.irr),
            "payback_months": None if self.payback_months is None else float(self.payback_months),
            "roi_pct": None if self.roi_pct is None else float(self.roi_pct),
            "risk_adjusted_npv": float(self.risk_adjusted_npv),
            "npv_p10": p10,
            "npv_p50": p50,
            "npv_p90": p90,
            "prob_npv_positive": self.prob_npv_positive,
            "cash_flows": [float(v) for v in self.flows.net[0]],
        }


def use_case_verdict(prob_npv_positive: float, risk_adjusted: float) -> str:
    """``invest`` | ``pilot`` | ``hold`` (see the module docstring for the rule).

    Examples
    --------
    >>> use_case_verdict(0.86, 12_000.0), use_case_verdict(0.6, -500.0), use_case_verdict(0.1, -9_000.0)
    ('invest', 'pilot', 'hold')
    """
    if prob_npv_positive >= INVEST_PROBABILITY and risk_adjusted > 0:
        return "invest"
    if prob_npv_positive >= PILOT_PROBABILITY or risk_adjusted > 0:
        return "pilot"
    return "hold"


def assess_use_case(case: UseCaseInputs, evidence: Evidence, *, horizon_years: int, discount_rate: float,
                    draws: int, rng: np.random.Generator) -> UseCaseROI:
    """All figures of one use case from its inputs and feasibility evidence; ``rng`` drives its draws only."""
    likely = {name: np.array([value]) for name, value in case.likely().items()}
    settings = {"horizon_years": horizon_years, "discount_rate": discount_rate}
    flows = cash_flows(case, evidence, likely, **settings)
    net = flows.net[0]
    value = npv(discount_rate, net)
    sunk = float(flows.costs[0, 0])  # the one-off spend, lost if the use case fails
    risk_adjusted = risk_adjusted_npv(value, p_success=evidence.p_success, sunk_cost=sunk)
    draws_npv = simulate_npv(case, evidence, draws=draws, rng=rng, **settings)
    monthly = monthly_net_flows(case, evidence, likely, **settings)
    return UseCaseROI(
        case=case, evidence=evidence, flows=flows, monthly=monthly, npv=value, irr=irr(net),
        payback_months=payback_months(monthly, months_per_period=1),
        roi_pct=roi_pct(float(flows.benefits.sum()), float(flows.costs.sum())), sunk_cost=sunk,
        risk_adjusted_npv=risk_adjusted, npv_draws=draws_npv, tornado=tornado(case, evidence, **settings),
        verdict=use_case_verdict(float(np.mean(draws_npv > 0)), risk_adjusted),
    )
