"""The phased roadmap, the top risks and the executive summary, all built from the numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from readiness.results import Finding, StageResult
from readiness.scorecard.inputs import QUADRANTS, StageRecord, ok_results
from readiness.survey import Questionnaire, SurveyScore

KPIS = {
    "classification": ["share of flagged cases that turn out positive (precision) each month, against the "
                       "cross-validated figure", "share of flagged cases staff acted on"],
    "regression": ["mean absolute error on new cases each month, against the cross-validated figure"],
    "forecast": ["forecast error per week (MAE) against the seasonal-naive forecast",
                 "staff hours scheduled against demand"],
    "text_classification": ["share of items routed to the right team without correction", "time to first reply"],
}



# ---------------------------------------------------------------- roadmap and risks


def _money(value: Any, currency: str) -> str:
    return "n/a" if not isinstance(value, (int, float)) else f"{currency} {value:,.0f}"


def _item_scores(survey: SurveyScore | None, ids: list[str]) -> list[float]:
    if survey is None:
        return []
    return [i.score for i in survey.items if i.id in ids and i.score is not None]


def _blocking(result: StageResult, *, severities: tuple[str, ...] = ("error",)) -> list[Finding]:
    return [f for f in result.sorted_findings() if f.severity in severities]


def _codes(findings: list[Finding]) -> str:
    return ", ".join(sorted({f.code for f in findings}))


def foundation_actions(records: list[StageRecord], survey: SurveyScore | None, *, count: int = 3) -> list[str]:
    """What to fix before any pilot: blocking data issues, the weakest survey items, open ethics items."""
    actions = []
    for result in ok_results(records, "quality"):
        errors = _blocking(result)
        if errors:
            actions.append(f"Fix {len(errors)} blocking data issue{'s' if len(errors) != 1 else ''} in table "
                           f"'{result.subject}' ({_codes(errors)}).")
    for row in (survey.fix_first if survey else [])[:count]:
        actions.append(f"Raise '{row['topic'].lower()}' from {row['score']:.0f} to {row['target']:.0f}: "
                       f"{row['text']} (+{row['points']:.1f} index points).")
    open_items = {(f.code, f.message) for r in ok_results(records, "ethics") for f in r.findings
                  if "CHECKLIST" in f.code and f.severity != "info"}
    if open_items:
        actions.append(f"Settle {_plural(len(open_items), 'ethics checklist item')} answered no or left open "
                       f"({', '.join(sorted({code for code, _ in open_items}))}).")
    return actions


def _fix_before(row: Mapping[str, Any], records: list[StageRecord], *, count: int = 4) -> list[str]:
    fixes = []
    for stage in ("feasibility", "ethics"):
        for result in ok_results(records, stage):
            if result.subject == row["use_case"]:
                fixes += [f"{f.code}: {f.message}" for f in _blocking(result, severities=("error", "warning"))
                          if stage == "feasibility" or f.severity == "error"]
    for result in ok_results(records, "quality"):
        errors = _blocking(result)
        if errors and result.subject == row.get("table"):
            fixes.append(f"Fix {len(errors)} blocking data issue(s) in '{result.subject}' ({_codes(errors)}).")
    return fixes[:count]


def _training(title: str, survey: SurveyScore | None) -> str:
    line = (f"Train the staff who will act on '{title}': a short hands-on session before go-live, one named "
            "internal owner, and a fortnightly review of its output for the first three months.")
    skills = _item_scores(survey, ["org_skills_staff", "org_skills_owner"])
    if skills and sum(skills) / len(skills) < 50:
        line += (f" Digital skills score {sum(skills) / len(skills):.0f}/100, so plan outside support from the vendor "
                 "or an analyst for the first months.")
    return line


def _kpis(row: Mapping[str, Any], currency: str) -> list[str]:
    kpis = list(KPIS.get(str(row.get("kind")), ["the model's main metric on new cases each month, against the "
                                                  "cross-validated figure"]))
    kpis.append(f"realised value against the estimate (risk-adjusted NPV {_money(row['risk_adjusted_npv'], currency)})")
    return kpis


def _why(row: Mapping[str, Any], currency: str) -> str:
    parts = [f"risk-adjusted NPV {_money(row['risk_adjusted_npv'], currency)}",
             f"feasibility {row['feasibility']:.0f}/100" + (f" ({row['feasibility_verdict']})"
                                                            if row.get("feasibility_verdict") else "")]
    if isinstance(row.get("payback_months"), (int, float)):
        parts.append(f"pays back in {row['payback_months']:.0f} months")
    if isinstance(row.get("ethics_risk"), (int, float)):
        parts.append(f"ethics risk {row['ethics_risk']:.0f}/100")
    return f"{QUADRANTS[row['quadrant']]}: " + ", ".join(parts) + "."


def _not_yet_reason(row: Mapping[str, Any], currency: str) -> str:
    if row["quadrant"] == "not_assessed":
        if row.get("roi_not_valued"):  # the ROI stage says what to add
            return f"{row['title']}: not valued yet; {str(row['roi_not_valued']).rstrip('.')}."
        missing = [n for n, k in (("feasibility", "feasibility"), ("ROI", "risk_adjusted_npv")) if row.get(k) is None]
        return f"{row['title']}: not assessed, the {' and '.join(missing)} result is missing."
    if row.get("ai_act_tier") and "prohibit" in str(row["ai_act_tier"]):
        return f"{row['title']}: prohibited under the EU AI Act; do not build."
    return (f"{row['title']}: risk-adjusted NPV {_money(row['risk_adjusted_npv'], currency)}; revisit when costs "
            "fall or the data improves.")


def build_roadmap(portfolio: pd.DataFrame, records: list[StageRecord], survey: SurveyScore | None, *,
                  currency: str = "EUR") -> list[dict[str, Any]]:
    """A phased plan: foundations, the pilot (best quick win, else best strategic bet), scale-up, not yet.

    Each phase is ``{phase, title, when, use_cases, why, actions, fix_before, training, kpis}``.
    """
    rows = portfolio.to_dict("records")
    ranked = sorted((r for r in rows if r["quadrant"] in ("quick_win", "strategic_bet")),
                    key=lambda r: (r["quadrant"] != "quick_win", -r["risk_adjusted_npv"], r["use_case"]))
    phases = [{"phase": 0, "title": "Foundations", "when": "months 0-2", "use_cases": [],
               "why": "Fix what every use case depends on before spending on a model.",
               "actions": foundation_actions(records, survey), "fix_before": [], "training": None, "kpis": []}]
    for number, group, title, when in ((1, ranked[:1], "Pilot", "months 2-5"),
                                       (2, ranked[1:], "Scale and extend", "months 6-12")):
        for row in group:
            phases.append({"phase": number, "title": f"{title}: {row['title']}", "when": when,
                           "use_cases": [row["use_case"]], "why": _why(row, currency), "actions": [],
                           "fix_before": _fix_before(row, records), "training": _training(row["title"], survey),
                           "kpis": _kpis(row, currency)})
    later = [r for r in rows if r["quadrant"] in ("not_yet", "not_assessed")]
    if later:
        phases.append({"phase": 3, "title": "Not yet", "when": "revisit in 12 months",
                       "use_cases": [r["use_case"] for r in later], "why": "Not worth building today.",
                       "actions": [_not_yet_reason(r, currency) for r in later], "fix_before": [], "training": None,
                       "kpis": []})
    return phases


def _level(score: float) -> str:
    return "high" if score < 40 else "medium" if score < 60 else "low"


def top_risks(survey: SurveyScore | None, questionnaire: Questionnaire, records: list[StageRecord],
              portfolio: pd.DataFrame, *, count: int = 5) -> list[dict[str, Any]]:
    """Risks rated high or medium, worst first: ``{risk, title, level, score, evidence, mitigation}``.

    Survey risks (security, integration, talent, buy-in) are rated from the mean score of their
    items (high below 40, medium below 60); data and regulation risks from the stage results.
    """
    risks = []
    for risk_id, spec in questionnaire.risks.items():
        scores = _item_scores(survey, list(spec.get("items", [])))
        if scores:
            score = sum(scores) / len(scores)
            risks.append({"risk": risk_id, "title": spec["title"], "level": _level(score), "score": score,
                          "evidence": f"survey items average {score:.0f}/100",
                          "mitigation": " ".join(str(spec["mitigation"]).split())})
    not_ready = [r.subject for r in ok_results(records, "quality") if r.verdict == "not_ready"]
    if not_ready:
        risks.append({"risk": "data", "title": "Data not fit for use", "level": "high", "score": None,
                      "evidence": f"data-quality verdict 'not ready' for {', '.join(not_ready)}",
                      "mitigation": "Fix the blocking data issues at the source system before the pilot, "
                                    "then re-run this assessment on a fresh extract."})
    high_tier = portfolio[portfolio["ai_act_tier"].fillna("").astype(str).str.contains("high")] \
        if len(portfolio) else portfolio
    if len(high_tier):
        risks.append({"risk": "regulation", "title": "High-risk use under the EU AI Act", "level": "high",
                      "score": None, "evidence": f"high-risk tier for {', '.join(high_tier['use_case'])}",
                      "mitigation": "Budget for the Act's obligations (risk management, human oversight, "
                                    "logging) or choose a lower-risk use case for the pilot."})
    order = {"high": 0, "medium": 1}
    kept = [r for r in risks if r["level"] in order]
    kept.sort(key=lambda r: (order[r["level"]], r["score"] if r["score"] is not None else -1.0, r["risk"]))
    return kept[:count]


# ---------------------------------------------------------------- summary in words


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def executive_summary(*, client: str, survey: SurveyScore | None, records: list[StageRecord],
                      portfolio: pd.DataFrame, roadmap: list[dict[str, Any]], risks: list[dict[str, Any]],
                      currency: str = "EUR") -> list[str]:
    """Plain sentences built from the numbers, most important first."""
    lines = [_index_sentence(client, survey)]
    if survey is not None and survey.overall is not None:
        scored = sorted((d for d in survey.dimensions.values() if d.score is not None), key=lambda d: d.score)
        low = [f"{d.title.lower()} ({d.score:.0f}, below its floor of {d.floor:.0f})" for d in scored
               if d.score < d.floor]
        lines.append(f"Strongest area: {scored[-1].title.lower()} ({scored[-1].score:.0f}); weakest: "
                     + (", ".join(low) if low else f"{scored[0].title.lower()} ({scored[0].score:.0f})") + ".")
    quality = ok_results(records, "quality")
    if quality:
        mean = sum(float(r.score) for r in quality if r.score is not None) / max(1, sum(
            1 for r in quality if r.score is not None))
        errors = sum(r.count_by_severity()["error"] for r in quality)
        lines.append(f"Data: {_plural(len(quality), 'table')} checked, average quality {mean:.0f}/100, "
                     f"{_plural(errors, 'blocking issue')}.")
    if len(portfolio):
        counts = portfolio["quadrant"].value_counts()
        parts = [f"{int(counts[q])} {QUADRANTS[q].lower()}{'s' if counts[q] != 1 and q != 'not_yet' else ''}"
                 for q in QUADRANTS if q in counts]
        lines.append(f"Use cases: {len(portfolio)} assessed: {', '.join(parts)}.")
    pilot = next((p for p in roadmap if p["phase"] == 1), None)
    if pilot:
        lines.append(f"Pilot first: {pilot['title'].split(': ', 1)[1]}. {pilot['why']}")
    elif len(portfolio):
        lines.append("No use case is worth piloting yet: strengthen the foundations first.")
    if survey is not None and survey.fix_first:
        top = survey.fix_first[0]
        lines.append(f"Fix first: {top['topic'].lower()} (now {top['score']:.0f}/100, +{top['points']:.1f} "
                     "index points if it reaches its target).")
    if risks:
        lines.append("Top risks: " + "; ".join(f"{r['title'].lower()} ({r['level']})" for r in risks[:3]) + ".")
    missing = [f"{r.stage}/{r.subject}" if r.subject != "(all)" else r.stage
               for r in records if r.status != "ok"]
    if missing:
        lines.append(f"Not included (missing or failed): {', '.join(missing)}; the rest is scored without them.")
    return lines


def _index_sentence(client: str, survey: SurveyScore | None) -> str:
    if survey is None or survey.overall is None:
        return (f"{client}: no survey answers, so no readiness index; the measured results below still stand.")
    adopter = f", {survey.adopter.title.lower()} on the adopter scale" if survey.adopter else ""
    penalty = f" after a {survey.penalty:.1f}-point weakest-link penalty" if survey.penalty > 0 else ""
    return (f"{client} scores {survey.overall:.1f} out of 100 on AI readiness{penalty}: "
            f"tier '{survey.tier.title}'{adopter}.")

