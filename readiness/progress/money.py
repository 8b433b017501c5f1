"""Which ROI figures moved between two runs, and which inputs explain the move.

A figure moved when it changed by at least ``share`` (5 % by default) of the larger of its two
absolute values; P(NPV > 0) moved when it changed by at least ``share`` (5 points). The
explanation compares what the ROI notebook read in each run: the use case's value, benefit and
cost inputs (``run.json``'s parameters of the ROI notebook), the horizon, discount rate, draws and
seed, the feasibility verdict and P(success) it derived, and the decision threshold and confusion
counts of the feasibility result it priced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from readiness.metrics import FeasibilityMetrics, RoiDrivers
from readiness.progress.measures import Direction
from readiness.progress.runs import RunFolder

FIGURES = {"npv": "NPV", "risk_adjusted_npv": "risk-adjusted NPV", "prob_npv_positive": "P(NPV > 0)"}
MONEY_KEYS = ("value", "benefit", "costs", "p_success", "feasibility")  # a use case's inputs that price it
SETTINGS = ("horizon_years", "discount_rate", "draws", "seed", "currency")  # the ROI notebook's own inputs


@dataclass(frozen=True)
class RoiChange:
    """One use case's money figures in both runs, the figures that moved and why."""

    use_case: str
    title: str
    before: dict[str, float | None]
    after: dict[str, float | None]
    moved: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    valued: tuple[bool, bool] = (True, True)
    currency: str = "EUR"
    notes: tuple[str, ...] = field(default=())

    @property
    def direction(self) -> Direction:
        """By the risk-adjusted NPV when it moved (else the NPV): ``better``, ``worse``, ``same``."""
        if not all(self.valued):
            return "not_comparable"
        for figure in ("risk_adjusted_npv", "npv", "prob_npv_positive"):
            if figure in self.moved:
                b, a = self.before.get(figure), self.after.get(figure)
                if b is not None and a is not None:
                    return "better" if a > b else "worse"
        return "same"


def has_moved(figure: str, before: float | None, after: float | None, *, share: float) -> bool:
    """Whether one figure moved by the rule of this module.

    Examples
    --------
    >>> has_moved("npv", 10000, 10400, share=0.05), has_moved("npv", 10000, 11000, share=0.05)
    (False, True)
    """
    if before is None or after is None or before == after:
        return False
    if figure == "prob_npv_positive":
        return abs(after - before) >= share
    return abs(after - before) >= share * max(abs(before), abs(after))


def compare_roi(before: RunFolder, after: RunFolder, *, share: float = 0.05) -> list[RoiChange]:
    """Each use case the two ROI results both name, with its figures, what moved and why.

    Returns an empty list when either run has no ROI result.
    """
    old_result, new_result = before.one("roi"), after.one("roi")
    if old_result is None or new_result is None:
        return []
    old, new = old_result.metrics_as(RoiDrivers), new_result.metrics_as(RoiDrivers)
    settings = _setting_changes(before, after, old, new)
    changes = []
    for case in [c for c in _cases(new) if c in _cases(old)]:
        b, a = _figures(old, case), _figures(new, case)
        valued = (case in old.use_cases, case in new.use_cases)
        moved = tuple(f for f in FIGURES if has_moved(f, b[f], a[f], share=share))
        causes: list[str] = []
        if moved or valued[0] != valued[1]:
            causes = [*_valued_causes(old, new, case, valued), *_input_changes(before, after, case), *settings,
                      *_feasibility_changes(before, after, old, new, case)]
            causes = causes or ["no recorded input changed (same inputs, feasibility evidence, draws and seed)"]
        title = new.titles.get(case) or old.titles.get(case) or case
        changes.append(RoiChange(case, title, b, a, moved, tuple(causes), valued, new.currency or "EUR"))
    return changes


def _cases(roi: RoiDrivers) -> list[str]:
    return list(dict.fromkeys([*roi.use_cases, *roi.not_valued, *roi.titles]))


def _figures(roi: RoiDrivers, case: str) -> dict[str, float | None]:
    money = roi.use_cases.get(case)
    return {f: (getattr(money, f) if money else None) for f in FIGURES}


def _valued_causes(old: RoiDrivers, new: RoiDrivers, case: str, valued: tuple[bool, bool]) -> list[str]:
    if valued[0] == valued[1]:
        return []
    if valued[1]:
        why = old.not_valued.get(case)
        return [f"valued only in the later run (earlier: {why.reason if why and why.reason else 'not valued'})"]
    why = new.not_valued.get(case)
    return [f"no longer valued ({why.reason if why and why.reason else 'an input or evidence is missing'})"]


def _use_case_inputs(run: RunFolder, case: str) -> dict[str, Any]:
    for given in run.record.parameters_of("roi").get("use_cases") or []:
        if isinstance(given, dict) and str(given.get("id")) == case:
            return {k: v for k, v in given.items() if k in MONEY_KEYS}
    return {}


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): value}


def _input_changes(before: RunFolder, after: RunFolder, case: str) -> list[str]:
    old, new = _flatten(_use_case_inputs(before, case)), _flatten(_use_case_inputs(after, case))
    return [f"input {key}: {show(old.get(key))} → {show(new.get(key))}"
            for key in sorted({*old, *new}) if old.get(key) != new.get(key)]


def _setting_changes(before: RunFolder, after: RunFolder, old: RoiDrivers, new: RoiDrivers) -> list[str]:
    given_old, given_new = before.record.parameters_of("roi"), after.record.parameters_of("roi")
    out = []
    for key in SETTINGS:
        b = given_old.get(key, getattr(old, key, None))
        a = given_new.get(key, getattr(new, key, None))
        if b != a:
            out.append(f"{key.replace('_', ' ')} (every use case): {show(b)} → {show(a)}")
    return out


def _feasibility_changes(before: RunFolder, after: RunFolder, old: RoiDrivers, new: RoiDrivers, case: str
                         ) -> list[str]:
    out = []
    chance_old, chance_new = old.p_success.get(case), new.p_success.get(case)
    verdict_old = chance_old.feasibility_verdict if chance_old else None
    verdict_new = chance_new.feasibility_verdict if chance_new else None
    p_old = chance_old.value if chance_old else None
    p_new = chance_new.value if chance_new else None
    if verdict_old != verdict_new:
        out.append(f"feasibility verdict: {show(verdict_old)} → {show(verdict_new)}")
    if p_old != p_new:
        out.append(f"P(success): {_percent(p_old)} → {_percent(p_new)}")
    feas_old = before.subjects("feasibility").get(case)
    feas_new = after.subjects("feasibility").get(case)
    if feas_old is None or feas_new is None:
        return out
    m_old, m_new = feas_old.metrics_as(FeasibilityMetrics), feas_new.metrics_as(FeasibilityMetrics)
    if m_old.threshold != m_new.threshold:
        out.append(f"decision threshold: {show(m_old.threshold)} → {show(m_new.threshold)}")
    c_old, c_new = m_old.confusion_matrix, m_new.confusion_matrix
    if c_old != c_new:
        parts = [f"{name.upper()} {show(getattr(c_old, name, None))} → {show(getattr(c_new, name, None))}"
                 for name in ("tp", "fp", "fn", "tn")
                 if getattr(c_old, name, None) != getattr(c_new, name, None)]
        out.append("confusion counts at the threshold: " + ", ".join(parts))
    return out


def _percent(value: float | None) -> str:
    return "none" if value is None else f"{value:.0%}"


def show(value: Any) -> str:
    """An input value in a sentence: ranges as ``low / likely / high``, numbers with separators.

    Examples
    --------
    >>> show([8000, 12000, 20000]), show(0.075412), show(None)
    ('8,000 / 12,000 / 20,000', '0.07541', 'none')
    """
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return " / ".join(show(v) for v in value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1:
            return f"{int(value):,}"
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)
