"""The summary stage's scorecard: every stage's result JSON and the survey, combined (:func:`build_scorecard`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.findings import (
    CATALOGUE,
    SUM_NO_PILOT,
    SUM_STAGE_FAILED,
    SUM_STAGE_MISSING,
    SUM_SURVEY_MISSING,
    SUM_TOP_RISK,
)
from readiness.metrics import RoiMetrics, SummaryMetrics
from readiness.results import Finding, StageResult, consistent_verdict
from readiness.scorecard.inputs import (
    QUADRANTS,
    StageRecord,
    build_portfolio,
    measured_evidence,
    ok_results,
    read_stage_results,
)
from readiness.scorecard.plan import build_roadmap, executive_summary, top_risks
from readiness.survey import (
    Questionnaire,
    SurveyAnswers,
    SurveyScore,
    load_answers,
    load_questionnaire,
    score_survey,
)


@dataclass
class Scorecard:
    """The summary: its stage result plus the pieces the notebook displays."""

    result: StageResult
    survey: SurveyScore | None
    records: list[StageRecord]
    portfolio: pd.DataFrame
    roadmap: list[dict[str, Any]]
    risks: list[dict[str, Any]]
    executive_summary: list[str]
    currency: str = "EUR"
    questionnaire: Questionnaire | None = field(default=None, repr=False)
    assumed: list[Any] = field(default_factory=list)

    def stages_frame(self) -> pd.DataFrame:
        """One row per stage and subject: status, verdict and score."""
        rows = [{"stage": r.stage, "subject": r.subject, "status": r.status,
                 "verdict": r.result.verdict if r.result else None, "score": r.result.score if r.result else None}
                for r in self.records]
        return pd.DataFrame(rows, columns=["stage", "subject", "status", "verdict", "score"])

    def summary_html(self, *, skip_headline: bool = True) -> Any:
        """The executive summary as an escaped bullet list (an IPython HTML object).

        The first sentence is left out by default: the verdict box shows it as its headline.
        """
        from html import escape

        from IPython.display import HTML

        lines = self.executive_summary[1:] if skip_headline else self.executive_summary
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        return HTML(f'<ul class="rd-summary">{items}</ul>')

    def dimension_floors(self) -> dict[str, float]:
        """Dimension title -> floor, for the dimension chart."""
        return {d.title: d.floor for d in self.survey.dimensions.values()} if self.survey else {}

    def fix_first_frame(self) -> pd.DataFrame:
        """The fix-first list: topic, question, score, target and index points gained."""
        rows = self.survey.fix_first if self.survey else []
        frame = pd.DataFrame(rows, columns=["topic", "text", "score", "target", "points"])
        return frame.rename(columns={"text": "question", "points": "index points gained"})

    def portfolio_frame(self) -> pd.DataFrame:
        """The portfolio for display, best first."""
        frame = self.portfolio.assign(quadrant=self.portfolio["quadrant"].map(QUADRANTS))
        frame = frame.sort_values("risk_adjusted_npv", ascending=False, na_position="last")
        columns = {"title": "use case", "quadrant": "quadrant", "feasibility": "feasibility",
                   "risk_adjusted_npv": f"risk-adjusted NPV ({self.currency})", "payback_months": "payback (months)",
                   "prob_npv_positive": "P(NPV > 0)", "ethics_risk": "ethics risk", "ai_act_tier": "AI Act tier"}
        return frame[list(columns)].rename(columns=columns).reset_index(drop=True)

    def roadmap_frame(self) -> pd.DataFrame:
        """One row per phase: when, what, why, what to fix first, training and KPIs."""
        rows = [{"phase": p["phase"], "when": p["when"], "what": p["title"], "why": p["why"],
                 "actions and fixes": "; ".join(a.rstrip(".") for a in [*p["actions"], *p["fix_before"]]),
                 "training": p["training"] or "", "KPIs after go-live": "; ".join(p["kpis"])} for p in self.roadmap]
        return pd.DataFrame(rows, columns=["phase", "when", "what", "why", "actions and fixes", "training",
                                           "KPIs after go-live"])

    def risks_frame(self) -> pd.DataFrame:
        """Top risks: title, level, evidence and mitigation."""
        return pd.DataFrame(self.risks, columns=["title", "level", "evidence", "mitigation"])

    @property
    def cards(self) -> dict[str, str | float]:
        """Headline figures for a row of metric cards."""
        m = self.result.metrics
        index = m.get("readiness_index")
        return {
            "Readiness index": "n/a" if index is None else f"{index:.1f}",
            "Tier": m.get("tier_title") or "n/a",
            "Adopter category": m.get("adopter_title") or "n/a",
            "Use cases": len(self.portfolio),
            "Quick wins": int((self.portfolio["quadrant"] == "quick_win").sum()) if len(self.portfolio) else 0,
        }


# ---------------------------------------------------------------- the whole summary


def build_scorecard(reports_dir: str | Path, *, survey_path: str | Path | None = None,
                    questionnaire_overrides: Mapping[str, Any] | None = None, client: str = "", as_of: str = "",
                    currency: str = "EUR", expected: Mapping[str, list[str]] | None = None,
                    questionnaire_path: str | Path | None = None) -> Scorecard:
    """Combine a run's stage results and the survey answers into the summary.

    Parameters
    ----------
    reports_dir : path
        The run folder with ``quality/``, ``feasibility/``, ``ethics/`` and ``roi.json``.
    survey_path : path, optional
        The survey answers YAML; None or "" means no survey (reported, not an error).
    questionnaire_overrides : mapping, optional
        Weights, floors and cut-offs to change (see :func:`readiness.survey.load_questionnaire`).
    client : str
        Client name for the sentences.
    as_of : str
        The date the assessment is judged against, kept in the metrics.
    currency : str
        Used when ``roi.json`` does not name its currency.
    expected : mapping, optional
        Stage -> planned subjects, so a missing one is named.
    questionnaire_path : path, optional
        Another questionnaire file than the bundled one.

    Returns
    -------
    Scorecard
        ``result`` is the summary's :class:`StageResult` (stage ``summary``, subject ``readiness``,
        score the readiness index, verdict from the tier or ``incomplete`` without a survey).
    """
    questionnaire = load_questionnaire(questionnaire_path, overrides=questionnaire_overrides)
    records = read_stage_results(reports_dir, expected=expected)
    roi = ok_results(records, "roi")
    currency = (roi[0].metrics_as(RoiMetrics).currency or currency) if roi else currency
    evidence = measured_evidence(records)
    answers = load_answers(survey_path, questionnaire) if survey_path else None
    # an answers file without a single answer cannot be scored: measurements alone are no readiness index
    scored = answers if answers is not None and answers.answered else None
    survey = score_survey(scored, questionnaire, evidence=evidence) if scored else None
    self_reported = score_survey(scored, questionnaire) if scored else None
    portfolio = build_portfolio(records)
    roadmap = build_roadmap(portfolio, records, survey, currency=currency)
    risks = top_risks(survey, questionnaire, records, portfolio)
    words = executive_summary(client=client, survey=survey, records=records, portfolio=portfolio, roadmap=roadmap,
                              risks=risks, currency=currency)
    findings = _summary_findings(survey, answers, records, portfolio, risks)
    if answers is not None and scored is None:  # the empty file's own finding (SUM_SURVEY_EMPTY) replaces "missing"
        findings = score_survey(answers, questionnaire).findings + [f for f in findings
                                                                    if f.code != SUM_SURVEY_MISSING]
    metrics = {"as_of": str(as_of), **_metrics(survey, self_reported, questionnaire, records, evidence, portfolio,
                                                roadmap, risks, words, currency)}
    index = metrics["readiness_index"]
    verdict = (survey.tier.verdict or "needs_work") if survey and survey.tier else "incomplete"
    verdict = consistent_verdict(verdict, findings)
    result = StageResult(stage="summary", subject="readiness", verdict=verdict,
                         score=None if index is None else round(index, 1), metrics=metrics, findings=findings)
    return Scorecard(result=result, survey=survey, records=records, portfolio=portfolio, roadmap=roadmap, risks=risks,
                     executive_summary=words, currency=currency, questionnaire=questionnaire)


def _summary_findings(survey: SurveyScore | None, answers: SurveyAnswers | None, records: list[StageRecord],
                      portfolio: pd.DataFrame, risks: list[dict[str, Any]]) -> list[Finding]:
    findings = list(survey.findings) if survey else [Finding(
        "warning", SUM_SURVEY_MISSING, "No survey answers were given, so there is no readiness index; set `survey:` "
        "in the engagement (readiness new writes a blank answers file).")]
    for r in records:
        what = f"{r.stage} results" if r.subject == "(all)" else f"{r.stage} result for '{r.subject}'"
        if r.status == "missing":
            findings.append(Finding("warning", SUM_STAGE_MISSING, f"No {what} was found; the summary scores the rest "
                                    "without it.", evidence={"stage": r.stage, "subject": r.subject}))
        elif r.status == "failed":
            findings.append(Finding("error", SUM_STAGE_FAILED, f"The {what} failed ({r.error}); it is left out of "
                                    "the summary.", evidence={"stage": r.stage, "subject": r.subject}))
    if len(portfolio) and not portfolio["quadrant"].isin(["quick_win", "strategic_bet"]).any():
        findings.append(Finding("warning", SUM_NO_PILOT, "No use case has a positive risk-adjusted value and a "
                                "complete assessment; nothing is ready to pilot."))
    findings += [Finding("warning", SUM_TOP_RISK, f"High risk: {r['title'].lower()} ({r['evidence']}).",
                         evidence={"risk": r["risk"]}) for r in risks if r["level"] == "high"]
    return findings


def _metrics(survey: SurveyScore | None, self_reported: SurveyScore | None, q: Questionnaire,
             records: list[StageRecord], evidence: dict[str, float], portfolio: pd.DataFrame,
             roadmap: list[dict[str, Any]], risks: list[dict[str, Any]], words: list[str], currency: str
             ) -> dict[str, Any]:
    stages: dict[str, dict[str, Any]] = {}
    for r in records:
        stages.setdefault(r.stage, {})[r.subject] = {
            "status": r.status, "verdict": r.result.verdict if r.result else None,
            "score": r.result.score if r.result else None}
    return {
        "questionnaire_version": q.version,
        "readiness_index": survey.overall if survey else None,
        "self_reported_index": self_reported.overall if self_reported else None,
        "weighted_mean": survey.weighted_mean if survey else None,
        "penalty": survey.penalty if survey else None,
        "tier": survey.tier.id if survey and survey.tier else None,
        "tier_title": survey.tier.title if survey and survey.tier else None,
        "innovativeness": survey.innovativeness if survey else None,
        "adopter_category": survey.adopter.id if survey and survey.adopter else None,
        "adopter_title": survey.adopter.title if survey and survey.adopter else None,
        "dimensions": {d.id: {"title": d.title, "score": d.score, "answered": d.answered, "total": d.total,
                              "incomplete": d.incomplete, "weight": d.weight, "floor": d.floor}
                       for d in (survey.dimensions.values() if survey else [])},
        "unanswered": survey.unanswered if survey else [],
        "fix_first": survey.fix_first if survey else [],
        "evidence": evidence,
        "evidence_gaps": survey.evidence_gaps if survey else [],
        "stages": stages,
        "portfolio": portfolio.to_dict("records"),
        "roadmap": roadmap,
        "risks": risks,
        "executive_summary": words,
        "currency": currency,
    }


def save_scorecard(card: Scorecard, results_dir: str | Path) -> Path:
    """Write ``summary.json`` (the summary's stage result) into ``results_dir`` and return its path."""
    return card.result.save(Path(results_dir) / "summary.json")


def index_scorecard(summary: StageResult | Mapping[str, Any] | str | Path) -> dict[str, Any]:
    """What ``render.write_index(..., scorecard=...)`` shows, from the summary result or its JSON file.

    Returns
    -------
    dict
        ``readiness_index`` (float or None), ``tier``, ``adopter_category`` (titles or None),
        ``dimensions`` (title -> score or None) and ``headline`` (the first summary sentence).
    """
    if isinstance(summary, (str, Path)):
        summary = StageResult.load(summary)
    raw = summary.metrics if isinstance(summary, StageResult) else dict(summary.get("metrics", {}))
    m = SummaryMetrics.model_validate(raw)
    return {
        "readiness_index": m.readiness_index,
        "tier": m.tier_title,
        "adopter_category": m.adopter_title,
        "dimensions": {d.get("title", k): d.get("score") for k, d in m.dimensions.items()},
        "headline": (m.executive_summary or [None])[0],
    }


CODES = {code: CATALOGUE[code].meaning for code in (
    SUM_SURVEY_MISSING, SUM_STAGE_MISSING, SUM_STAGE_FAILED, SUM_NO_PILOT,
    SUM_TOP_RISK,
)}
