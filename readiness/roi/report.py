"""The ROI report: findings, the headline and the tables the notebook shows.

Every table and chart covers the valued use cases; those that cannot be valued are listed on their
own (:meth:`RoiReport.not_valued_frame`) with what to add, and in the one-line answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from readiness.params import Assumption
from readiness.results import Finding, StageResult
from readiness.roi.assess import (
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
    VERDICT_ORDER,
    UseCaseROI,
)
from readiness.roi.evidence import P_SUCCESS_BY_VERDICT
from readiness.roi.finance import discount_factors
from readiness.roi.inputs import INPUT_SPECS
from readiness.roi.not_valued import NotValued
from readiness.roi.value import OUTCOMES, break_even_threshold, expected_value_per_decision

__all__ = ["RoiReport", "use_case_findings"]

RESULT_FILE = "roi.json"  # one result per engagement: the run's roi.{ipynb,html,json}


def _money(amount: float, currency: str) -> str:
    return f"{currency} {amount:,.0f}"


def _number(value: float) -> str:
    """Large numbers with thousands separators, small ones (shares, rates) with up to 4 digits."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.4g}"


def use_case_findings(roi: UseCaseROI, *, horizon_years: int, currency: str) -> list[Finding]:
    """The findings about one use case (codes in :mod:`readiness.roi.assess`)."""
    title, ev = roi.case.title, {"use_case": roi.case.id}
    if roi.evidence.no_usable_model:
        return [_not_feasible(roi, ev, currency)] + _evidence_findings(roi, ev)
    p10, _, p90 = roi.percentiles
    prob = roi.prob_npv_positive
    found = []
    if roi.payback_months is None:
        found.append(Finding("warning", ROI_NO_PAYBACK, f"{title}: does not pay back within {horizon_years} years at "
                             f"the likely values (NPV {_money(roi.npv, currency)}).", evidence=ev))
    if prob < 0.5:
        found.append(Finding("warning", ROI_LIKELY_LOSS, f"{title}: only {prob:.0%} of {len(roi.npv_draws):,} "
                             "simulated futures have a positive NPV.", evidence={**ev, "prob_npv_positive": prob}))
    if p10 < 0 < p90:
        found.append(Finding("info", ROI_WIDE_UNCERTAINTY, f"{title}: the NPV may go either way: P10 "
                             f"{_money(p10, currency)}, P90 {_money(p90, currency)}.", evidence=ev))
    if roi.npv > 0 >= roi.risk_adjusted_npv:
        found.append(Finding("warning", ROI_RISK_ADJUSTED_LOSS, f"{title}: NPV {_money(roi.npv, currency)} if it "
                             f"works, but {_money(roi.risk_adjusted_npv, currency)} once the "
                             f"{1 - roi.evidence.p_success:.0%} chance of failure (losing the one-off spend) is "
                             "priced in.", evidence=ev))
    found += _evidence_findings(roi, ev)
    if not roi.tornado.empty:
        top = roi.tornado.iloc[0]
        found.append(Finding("info", ROI_MAIN_DRIVER, f"{title}: the NPV depends most on {top['label']} "
                             f"({_number(top['low'])} to {_number(top['high'])} moves it by "
                             f"{_money(top['swing'], currency)}); firm it up first.",
                             evidence={**ev, "input": top["input"]}))
    return found


def _not_feasible(roi: UseCaseROI, ev: dict, currency: str) -> Finding:
    # the money findings (no payback, likely loss, main driver) would only restate that no benefit is counted
    return Finding("warning", ROI_NOT_FEASIBLE, f"{roi.case.title} (use case '{roi.case.id}'): the feasibility stage "
                   "found no usable model (verdict 'not_yet', no confusion matrix), so no benefit is counted and the "
                   f"NPV is the costs alone ({_money(roi.npv, currency)}). Rerun the feasibility notebook once the "
                   "data supports a model.", evidence={**ev, "feasibility_verdict": roi.evidence.verdict})


def _evidence_findings(roi: UseCaseROI, ev: dict) -> list[Finding]:
    evidence, title, found = roi.evidence, roi.case.title, []
    if evidence.p_success_source == "feasibility verdict":
        given = " (given in the inputs)" if evidence.source == "inputs" else ""
        found.append(Finding("info", ROI_P_SUCCESS_FROM_VERDICT, f"{title}: P(success) {evidence.p_success:.0%} "
                             f"from the feasibility verdict '{evidence.verdict}'{given}.", evidence=ev))
    elif evidence.p_success_source == "no evidence":
        found.append(Finding("warning", ROI_P_SUCCESS_ASSUMED, f"{title}: no `p_success` and no feasibility "
                             f"result; P(success) set to {evidence.p_success:.0%}. Set it in the engagement.",
                             evidence=ev))
    if evidence.source == "inputs" and evidence.confusion is not None:
        found.append(Finding("info", ROI_COUNTS_FROM_INPUTS, f"{title}: the confusion counts come from the inputs, "
                             "not from a feasibility run on this client's data.", evidence=ev))
    if evidence.confusion is not None:
        values = {k: roi.case.inputs[f"value.{k}"].likely for k in OUTCOMES}
        per_decision = expected_value_per_decision(evidence.confusion, values)
        if per_decision <= 0:
            found.append(Finding("error", ROI_NEGATIVE_DECISION_VALUE, f"{title}: at the chosen threshold the "
                                 f"model's decisions are worth {per_decision:,.2f} per decision on average: acting "
                                 "on them loses money.", evidence={**ev, "value_per_decision": per_decision}))
    return found


RANKING_COLUMNS = ["use case", "verdict", "P(success)", "risk-adjusted NPV", "NPV", "P10", "P90", "P(NPV > 0)",
                   "payback months", "IRR", "ROI %"]


@dataclass
class RoiReport:
    """Everything the ROI notebook shows; ``result`` is what ``roi.json`` holds.

    ``use_cases`` are the valued use cases, ``not_valued`` those that cannot be valued, ``order``
    every use case id in the order given, and ``assumed`` the choices made for the analyst.
    """

    result: StageResult
    use_cases: list[UseCaseROI]
    horizon_years: int
    discount_rate: float
    currency: str
    draws: int
    seed: int
    not_valued: list[NotValued] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    assumed: list[Assumption] = field(default_factory=list)

    def use_case(self, case_id: str) -> UseCaseROI:
        """One valued use case's figures by id; KeyError when it was not valued or is unknown."""
        found = next((r for r in self.use_cases if r.case.id == case_id), None)
        if found is None:
            state = "was not valued" if any(nv.id == case_id for nv in self.not_valued) else "is not in the report"
            raise KeyError(f"use case '{case_id}' {state}")
        return found

    def _in_order(self) -> list[UseCaseROI | NotValued]:
        items: dict[str, UseCaseROI | NotValued] = {r.case.id: r for r in self.use_cases}
        items.update({nv.id: nv for nv in self.not_valued})
        order = self.order or list(items)
        return [items[i] for i in order if i in items]

    @property
    def sentences(self) -> list[str]:
        """One plain sentence per use case, valued or not, in the order given."""
        return [item.sentence() if isinstance(item, NotValued) else item.sentence(self.horizon_years)
                for item in self._in_order()]

    @property
    def _best(self) -> UseCaseROI | None:
        return max(self.use_cases, key=lambda r: r.risk_adjusted_npv, default=None)

    @property
    def headline(self) -> str:
        """One sentence: how many use cases are worth what, the best one, and those not valued."""
        missing = ", ".join(nv.title for nv in self.not_valued)
        best = self._best
        if best is None:
            need = "needs" if len(self.not_valued) == 1 else "need"
            return (f"No use case could be valued: {missing} {need} more inputs or usable feasibility evidence; "
                    "the use cases not valued are listed below with what to add.")
        counts = {v: sum(r.verdict == v for r in self.use_cases) for v in VERDICT_ORDER}
        total = len(self.use_cases) + len(self.not_valued)
        lead = (f"{len(self.use_cases)} of {total} use cases valued; {counts['invest']} worth funding now"
                if self.not_valued else f"{counts['invest']} of {total} use cases worth funding now")
        tail = f"; not valued: {missing}" if self.not_valued else ""
        return (f"{lead}, {counts['pilot']} worth a pilot, {counts['hold']} on hold; highest risk-adjusted NPV: "
                f"{best.case.title} ({_money(best.risk_adjusted_npv, self.currency)}){tail}.")

    @property
    def cards(self) -> dict[str, str | int]:
        best = self._best
        return {"Use cases": len(self.use_cases) + len(self.not_valued),
                **{v.capitalize(): sum(r.verdict == v for r in self.use_cases) for v in VERDICT_ORDER},
                "Not valued": len(self.not_valued),
                "Best risk-adjusted NPV": "n/a" if best is None else _money(best.risk_adjusted_npv, self.currency),
                "Simulated futures": f"{self.draws:,}"}

    def answers_frame(self) -> pd.DataFrame:
        """One line per use case in the order given; one not valued says what to add."""
        items = self._in_order()
        return pd.DataFrame({"answer": self.sentences,
                             "verdict": ["not valued" if isinstance(i, NotValued) else i.verdict for i in items]},
                            columns=["answer", "verdict"])

    def not_valued_frame(self) -> pd.DataFrame:
        """The use cases that cannot be valued: why, and what to add."""
        return pd.DataFrame([{"use case": nv.title, "id": nv.id, "why not valued": nv.reason, "what to add": nv.to_add}
                             for nv in self.not_valued], columns=["use case", "id", "why not valued", "what to add"])

    def ranking_frame(self) -> pd.DataFrame:
        """Use cases ranked by risk-adjusted NPV, best first (money in the run's currency)."""
        rows = []
        for r in sorted(self.use_cases, key=lambda r: -r.risk_adjusted_npv):
            p10, _, p90 = r.percentiles
            rows.append({"use case": r.case.title, "verdict": r.verdict, "P(success)": r.evidence.p_success,
                         "risk-adjusted NPV": r.risk_adjusted_npv, "NPV": r.npv, "P10": p10, "P90": p90,
                         "P(NPV > 0)": r.prob_npv_positive, "payback months": r.payback_whole_months,
                         "IRR": r.irr, "ROI %": np.nan if r.roi_pct is None else r.roi_pct})
        frame = pd.DataFrame(rows, columns=RANKING_COLUMNS)
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="rank")
        return frame

    def cash_flow_frame(self, case_id: str) -> pd.DataFrame:
        """Yearly benefits, costs, net, discounted net and running total at the likely values."""
        r = self.use_case(case_id)
        net = r.flows.net[0]
        return pd.DataFrame({"year": np.arange(len(net)), "benefits": r.flows.benefits[0], "costs": r.flows.costs[0],
                             "net": net, "discounted net": net * discount_factors(self.discount_rate, len(net)),
                             "running total": np.cumsum(net)})

    def decision_value_frame(self) -> pd.DataFrame:
        """Model-based use cases: value per decision at 0.5, at the chosen threshold, and the break-even p*."""
        rows = []
        for r in self.use_cases:
            ev = r.evidence
            if ev.confusion is None:
                continue
            values = {k: r.case.inputs[f"value.{k}"].likely for k in OUTCOMES}
            yearly = r.case.inputs["value.decisions_per_year"].likely * r.case.inputs["benefit.adoption"].likely
            for label, threshold, counts in (("at 0.5", 0.5, ev.confusion_at_0_5),
                                             ("at the chosen threshold", ev.threshold, ev.confusion)):
                per = np.nan if counts is None else expected_value_per_decision(counts, values)
                rows.append({"use case": r.case.title, "threshold": label, "probability": threshold,
                             "value per decision": per, "value per year": per * yearly})
            # costs are values with the sign turned
            p_star = break_even_threshold(cost_tp=-values["true_positive"], cost_fp=-values["false_positive"],
                                          cost_fn=-values["false_negative"], cost_tn=-values["true_negative"])
            rows.append({"use case": r.case.title, "threshold": "break-even p*", "probability": p_star,
                         "value per decision": 0.0, "value per year": 0.0})
        return pd.DataFrame(rows, columns=["use case", "threshold", "probability", "value per decision",
                                           "value per year"])

    def assumptions_frame(self) -> pd.DataFrame:
        """Every input of every use case with its range, unit, distribution and where it came from."""
        run = [("discount rate per year", "share", self.discount_rate), ("horizon", "years", self.horizon_years),
               ("Monte Carlo draws per use case", "draws", self.draws), ("random seed", "", self.seed)]
        rows = [{"use case": "all", "assumption": name, "unit": unit, "likely": value, "distribution": "fixed",
                 "source": "parameter"} for name, unit, value in run]
        for r in self.use_cases:
            for name, u in r.case.inputs.items():
                spec = INPUT_SPECS[name]
                rows.append({"use case": r.case.title, "assumption": spec.label,
                             "unit": spec.unit.replace("money", self.currency), "low": u.low, "likely": u.likely,
                             "high": u.high, "distribution": "fixed" if u.fixed else u.distribution,
                             "source": "given" if name in r.case.given else "default"})
            rows += self._context_rows(r)
        return pd.DataFrame(rows, columns=["use case", "assumption", "unit", "low", "likely", "high", "distribution",
                                           "source"])

    def _context_rows(self, r: UseCaseROI) -> list[dict]:
        ev, title = r.evidence, r.case.title
        rows = [{"use case": title, "assumption": "months to full use (linear ramp)", "unit": "months",
                 "likely": r.case.ramp_months, "distribution": "fixed",
                 "source": "given" if "benefit.ramp_months" in r.case.given else "default"},
                {"use case": title, "assumption": "P(success)", "unit": "probability", "likely": ev.p_success,
                 "distribution": "fixed", "source": ev.p_success_source}]
        if ev.confusion is not None:
            for outcome, rate in ev.confusion.rates().items():
                rows.append({"use case": title, "unit": "share", "likely": rate, "distribution": "fixed",
                             "assumption": f"share of decisions that are {outcome.replace('_', ' ')}s",
                             "source": ev.source})
        return rows

    def p_success_frame(self) -> pd.DataFrame:
        """How P(success) was set for each use case."""
        return pd.DataFrame({
            "use case": [r.case.title for r in self.use_cases],
            "feasibility verdict": [r.evidence.verdict for r in self.use_cases],
            "P(success)": [r.evidence.p_success for r in self.use_cases],
            "set from": [r.evidence.p_success_source for r in self.use_cases],
        })

    @staticmethod
    def p_success_table() -> pd.DataFrame:
        """The documented verdict -> P(success) table."""
        return pd.DataFrame({"feasibility verdict": list(P_SUCCESS_BY_VERDICT),
                             "P(success)": list(P_SUCCESS_BY_VERDICT.values())})


def save_report(report: RoiReport, results_dir: str | Path) -> dict[str, Path]:
    """Write ``roi.json`` (the stage result) into ``results_dir``.

    Returns
    -------
    dict
        ``{"result": path}``.
    """
    return {"result": report.result.save(Path(results_dir) / RESULT_FILE)}
