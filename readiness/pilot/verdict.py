"""The pilot's verdict, its reasons and the light of each check, read from the findings.

``stop``     an error: the scores rank no better than chance, or the realised metric is below
             the feasibility interval while the decisions lose money.
``adjust``   a warning: significant input drift, poor calibration, a fairness gap, a realised
             metric below the feasibility interval, decisions worth nothing or less than the ROI
             estimate, or too few outcomes to judge.
``scale``    neither: every check that ran held.
``incomplete`` no decision has a known outcome of each kind: nothing can be judged yet.

So ``scale`` never stands beside an error finding (the project rule; ``StageResult`` also caps it).
Each check (performance, value, calibration, drift, fairness) gets a light: red with an error,
amber with a warning, green otherwise, none when it did not run. The score is the mean of the
lights that ran (green 100, amber 50, red 0).
"""

from __future__ import annotations

from collections.abc import Mapping

from readiness.findings import (
    PILOT_BELOW_ESTIMATE,
    PILOT_DRIFT_MODERATE,
    PILOT_DRIFT_SIGNIFICANT,
    PILOT_ESTIMATE_HELD,
    PILOT_FAIRNESS_GAP,
    PILOT_FEW_OUTCOMES,
    PILOT_NEGATIVE_VALUE,
    PILOT_NO_BASELINE,
    PILOT_NO_ESTIMATE,
    PILOT_NO_GROUPS,
    PILOT_NO_OUTCOMES,
    PILOT_NO_SKILL,
    PILOT_NO_VALUE_INPUTS,
    PILOT_NOT_WORKING,
    PILOT_POOR_CALIBRATION,
    PILOT_SCORES_NOT_PROBABILITIES,
    PILOT_UNLABELLED_ROWS,
    PILOT_VALUE_BELOW_ESTIMATE,
)
from readiness.results import SEVERITY_ORDER, Finding

__all__ = ["CHECKS", "INCOMPLETE", "LIGHT_POINTS", "VERDICTS", "check_lights", "headline", "pilot_verdict",
           "verdict_score"]

VERDICTS = ("scale", "adjust", "stop")
INCOMPLETE = "incomplete"
CHECKS: dict[str, tuple[str, ...]] = {
    "performance": (PILOT_BELOW_ESTIMATE, PILOT_ESTIMATE_HELD, PILOT_NO_ESTIMATE, PILOT_NO_SKILL, PILOT_FEW_OUTCOMES,
                    PILOT_NO_OUTCOMES, PILOT_UNLABELLED_ROWS),
    "value": (PILOT_NOT_WORKING, PILOT_NEGATIVE_VALUE, PILOT_VALUE_BELOW_ESTIMATE, PILOT_NO_VALUE_INPUTS),
    "calibration": (PILOT_POOR_CALIBRATION, PILOT_SCORES_NOT_PROBABILITIES),
    "drift": (PILOT_DRIFT_SIGNIFICANT, PILOT_DRIFT_MODERATE, PILOT_NO_BASELINE),
    "fairness": (PILOT_FAIRNESS_GAP, PILOT_NO_GROUPS),
}
LIGHT_POINTS = {"green": 100.0, "amber": 50.0, "red": 0.0}


def check_lights(findings: list[Finding], ran: Mapping[str, bool]) -> dict[str, str | None]:
    """Each check's light: ``red`` (an error), ``amber`` (a warning), ``green``, or None when it did not run."""
    lights: dict[str, str | None] = {}
    for check, codes in CHECKS.items():
        if not ran.get(check):
            lights[check] = None
            continue
        severities = {f.severity for f in findings if f.code in codes}
        lights[check] = "red" if "error" in severities else ("amber" if "warning" in severities else "green")
    return lights


def verdict_score(lights: Mapping[str, str | None]) -> float | None:
    """Mean points of the checks that ran (green 100, amber 50, red 0); None when none ran."""
    points = [LIGHT_POINTS[light] for light in lights.values() if light is not None]
    return round(sum(points) / len(points), 1) if points else None


def pilot_verdict(findings: list[Finding], lights: Mapping[str, str | None]) -> tuple[str, list[str]]:
    """The verdict and its reasons, each reason one sentence.

    Examples
    --------
    >>> drift = Finding("warning", PILOT_DRIFT_SIGNIFICANT, "channel moved (PSI 0.41).", column="channel")
    >>> pilot_verdict([drift], {"drift": "amber"})
    ('adjust', ['channel moved (PSI 0.41).'])
    >>> pilot_verdict([], {"performance": "green", "drift": None})[0]
    'scale'
    """
    if any(f.code == PILOT_NO_OUTCOMES for f in findings):
        return INCOMPLETE, [f.message for f in findings if f.code == PILOT_NO_OUTCOMES]
    ordered = sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
    blocking = [f.message for f in ordered if f.severity == "error"]
    if blocking:
        return "stop", blocking
    warnings = [f.message for f in ordered if f.severity == "warning"]
    if warnings:
        return "adjust", warnings
    held = [check for check, light in lights.items() if light == "green"]
    skipped = [check for check, light in lights.items() if light is None]
    reasons = [f"Every check that ran held: {', '.join(held) or 'none'}."]
    if skipped:
        reasons.append(f"Not measured: {', '.join(skipped)} (see the findings for what to give).")
    return "scale", reasons


def headline(verdict: str, reasons: list[str], lights: Mapping[str, str | None]) -> str:
    """One sentence for the verdict box: what to do and which checks say so.

    Examples
    --------
    >>> headline("adjust", ["..."], {"performance": "amber", "drift": "amber", "value": "green"})
    'Adjust before scaling: performance and drift need attention.'
    """
    if verdict == "scale":
        held = [check for check, light in lights.items() if light == "green"]
        return f"Scale: every check that ran held ({_words(held)})."
    if verdict == "adjust":
        flagged = [check for check, light in lights.items() if light == "amber"]
        return f"Adjust before scaling: {_words(flagged)} {'needs' if len(flagged) == 1 else 'need'} attention."
    first = reasons[0] if reasons else ""
    return f"Stop: {first}" if verdict == "stop" else f"Not yet judged: {first}"


def _words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items) or "none"
    return f"{', '.join(items[:-1])} and {items[-1]}"
