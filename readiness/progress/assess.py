"""Compare two runs of one client: what improved, what got worse, what could not be matched.

:func:`compare_runs` reads two report folders (:mod:`readiness.progress.runs`), matches their
tables and use cases, and compares the readiness index and its dimensions, each table's
data-quality scores, the findings (:mod:`readiness.progress.changes`), each use case's model metric
against the noise and its ethics traffic lights (:mod:`readiness.progress.measures`) and its money
figures (:mod:`readiness.progress.money`). The result is the ``progress`` stage's
:class:`~readiness.results.StageResult`.

The verdict counts changes: a warning or error resolved, a score up by the material change, a
model metric up beyond the noise, a light turned greener or a risk-adjusted NPV up count as
*better*; their opposites (a new warning or error included) as *worse*. ``improved``: only
better; ``worse``: only worse; ``mixed``: both; ``unchanged``: neither; ``incomplete``: nothing
could be compared. The score is the share of counted changes that are for the better, 0-100
(none when nothing changed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readiness.metrics import EthicsLights, FeasibilityScores, QualityMetrics, SummaryScores
from readiness.progress.changes import match_findings
from readiness.progress.judge import progress_findings
from readiness.progress.measures import (
    NOISE_RULE,
    MetricChange,
    ScoreChange,
    compare_lights,
    compare_metric,
)
from readiness.progress.money import compare_roi
from readiness.progress.report import ProgressReport, Unmatched
from readiness.progress.runs import SUBJECT_STAGES, RunFolder, read_run, same_client
from readiness.results import StageResult

STAGE_WORDS = {"quality": "table", "feasibility": "use case", "ethics": "use case", "roi": "ROI",
               "summary": "summary"}
MATCH_RULE = ("findings are matched within a table or use case by code and column (and the checklist item, "
              "kind or rule their evidence names); info findings are listed but never counted")


def compare_runs(baseline_dir: str | Path, reports_dir: str | Path, *, material_points: float = 1.0,
                 roi_share: float = 0.05) -> ProgressReport:
    """Compare a client's earlier run (the baseline) with a later one.

    Parameters
    ----------
    baseline_dir, reports_dir : path
        The earlier and the later report folder, each written by ``readiness run``.
    material_points : float
        Points a 0-100 score must move to count as a change.
    roi_share : float
        Share of its larger value an NPV must move (and points / 100 for P(NPV > 0)) to count as moved.

    Returns
    -------
    ProgressReport
        ``result`` has stage ``progress``, the client's slug as subject, the verdict and score
        described in this module, and ``PROG_*`` findings.

    Raises
    ------
    ConfigError
        A folder is not a report folder, or the two runs are of different clients.
    """
    baseline = read_run(baseline_dir, role="baseline")
    later = read_run(reports_dir, role="later run")
    same_client(baseline, later)
    matched, unmatched = _match_subjects(baseline, later)
    readiness = _readiness(baseline, later, material_points)
    quality = [change for table in matched["quality"] for change in _quality(baseline, later, table, material_points)]
    changes = [c for stage in SUBJECT_STAGES for subject in matched[stage]
               for c in match_findings(stage, subject, baseline.subjects(stage)[subject].findings,
                                       later.subjects(stage)[subject].findings)]
    feasibility = [_metric(baseline, later, case) for case in matched["feasibility"]]
    lights = [light for case in matched["ethics"] for light in compare_lights(
        case, baseline.subjects("ethics")[case].metrics_as(EthicsLights).checks,
        later.subjects("ethics")[case].metrics_as(EthicsLights).checks)]
    roi = compare_roi(baseline, later, share=roi_share)
    unmatched += _roi_unmatched(baseline, later)
    report = ProgressReport(
        result=StageResult("progress", later.record.slug or baseline.record.slug or "client", "incomplete", None),
        baseline=baseline, later=later, readiness=readiness, quality=quality,
        scores=_overview(readiness, quality, baseline, later, matched), findings=changes, feasibility=feasibility,
        lights=lights, roi=roi, unmatched=unmatched, material_points=material_points, roi_share=roi_share)
    compared = any(matched.values()) or any(c.change is not None for c in readiness)
    report.result = _result(report, compared=compared)
    return report


def _match_subjects(baseline: RunFolder, later: RunFolder) -> tuple[dict[str, list[str]], list[Unmatched]]:
    matched: dict[str, list[str]] = {}
    unmatched: list[Unmatched] = []
    for stage in (*SUBJECT_STAGES, "summary"):
        old, new = baseline.subjects(stage), later.subjects(stage)
        old_all = [*old, *(s for st, s in baseline.failed if st == stage)]
        new_all = [*new, *(s for st, s in later.failed if st == stage)]
        matched[stage] = [s for s in new if s in old]
        word = STAGE_WORDS[stage]
        for subject in dict.fromkeys([*old_all, *new_all]):
            if subject in matched[stage]:
                continue
            if subject not in new_all:
                reason = f"{word} only in the baseline ({baseline.label})"
            elif subject not in old_all:
                reason = f"{word} only in the later run ({later.label})"
            else:
                why = later.failed.get((stage, subject)) or baseline.failed.get((stage, subject))
                side = "later run" if (stage, subject) in later.failed else "baseline"
                reason = f"cannot be compared: {why.replace('in this run', f'in the {side}')}" if why else \
                    "cannot be compared"
            unmatched.append(Unmatched(stage, subject, reason))
    return matched, unmatched


def _roi_unmatched(baseline: RunFolder, later: RunFolder) -> list[Unmatched]:
    from readiness.metrics import RoiMetrics

    old, new = baseline.one("roi"), later.one("roi")
    if old is None or new is None:
        if old is None and new is None:
            return []
        side = "later run" if new is None else "baseline"
        return [Unmatched("roi", "portfolio", f"no readable ROI result in the {side}")]
    cases = [{*m.use_cases, *m.not_valued, *m.titles} for m in (old.metrics_as(RoiMetrics), new.metrics_as(RoiMetrics))]
    out = [Unmatched("roi", c, f"use case valued only in the baseline ({baseline.label})")
           for c in sorted(cases[0] - cases[1])]
    return out + [Unmatched("roi", c, f"use case valued only in the later run ({later.label})")
                  for c in sorted(cases[1] - cases[0])]


def _readiness(baseline: RunFolder, later: RunFolder, material: float) -> list[ScoreChange]:
    old, new = baseline.one("summary"), later.one("summary")
    if old is None or new is None:
        return []
    a, b = old.metrics_as(SummaryScores), new.metrics_as(SummaryScores)
    rows = [ScoreChange("readiness", "Readiness index", "index", a.readiness_index, b.readiness_index, material)]
    for key in dict.fromkeys([*b.dimensions, *a.dimensions]):
        da, db = a.dimensions.get(key), b.dimensions.get(key)
        title = (db.title if db else None) or (da.title if da else None) or key
        rows.append(ScoreChange("readiness", title, key, da.score if da else None, db.score if db else None,
                                material))
    return rows


def _quality(baseline: RunFolder, later: RunFolder, table: str, material: float) -> list[ScoreChange]:
    old = baseline.subjects("quality")[table].metrics_as(QualityMetrics).scores
    new = later.subjects("quality")[table].metrics_as(QualityMetrics).scores
    dimensions = list(dict.fromkeys(["overall", *new, *old]))
    return [ScoreChange("quality", table, d, old.get(d), new.get(d), material) for d in dimensions]


def _metric(baseline: RunFolder, later: RunFolder, case: str) -> MetricChange:
    old, new = baseline.subjects("feasibility")[case], later.subjects("feasibility")[case]
    return compare_metric(case, old.metrics_as(FeasibilityScores), new.metrics_as(FeasibilityScores),
                          verdicts=(old.shown_verdict, new.shown_verdict))


def _overview(readiness: list[ScoreChange], quality: list[ScoreChange], baseline: RunFolder, later: RunFolder,
              matched: dict[str, list[str]]) -> list[ScoreChange]:
    rows = [*readiness, *(q for q in quality if q.measure == "overall")]
    for stage in ("feasibility", "ethics"):
        for subject in matched[stage]:
            rows.append(ScoreChange(stage, subject, "score", baseline.subjects(stage)[subject].score,
                                    later.subjects(stage)[subject].score))
    return rows


def _result(report: ProgressReport, *, compared: bool) -> StageResult:
    findings, tally = progress_findings(report)
    better, worse = tally["better"], tally["worse"]
    if not compared:
        verdict = "incomplete"
    else:
        verdict = {(True, False): "improved", (False, True): "worse", (True, True): "mixed",
                   (False, False): "unchanged"}[(better > 0, worse > 0)]
    score = round(100 * better / (better + worse), 1) if compared and better + worse else None
    metrics = _metrics(report, tally)
    metrics["headline"] = _headline(report, verdict, tally)
    return StageResult("progress", report.result.subject, verdict, score, metrics=metrics, findings=findings)


def _side(run: RunFolder) -> dict[str, Any]:
    return {"client": run.record.client, "slug": run.record.slug, "as_of": run.record.as_of, "path": str(run.path)}


def _metrics(report: ProgressReport, tally: dict[str, int]) -> dict[str, Any]:
    index = next((c for c in report.readiness if c.measure == "index"), None)
    return {
        "before": _side(report.baseline),
        "after": _side(report.later),
        "rules": {"material_points": report.material_points, "roi_share": report.roi_share, "noise": NOISE_RULE,
                  "findings": MATCH_RULE},
        "readiness_index": {"before": index.before if index else None, "after": index.after if index else None,
                            "change": index.change if index else None},
        "readiness": [_score_dict(c) for c in report.readiness],
        "quality": {table: {c.measure: _score_dict(c) for c in report.quality if c.subject == table}
                    for table in dict.fromkeys(c.subject for c in report.quality)},
        "findings": {status: [c.as_dict() for c in report.findings if c.status == status]
                     for status in ("resolved", "new", "persisting")},
        "feasibility": {m.use_case: _metric_dict(m) for m in report.feasibility},
        "ethics": {case: [{"check": x.check, "before": x.before, "after": x.after, "direction": x.direction}
                          for x in report.lights if x.use_case == case]
                   for case in dict.fromkeys(x.use_case for x in report.lights)},
        "roi": {r.use_case: {"title": r.title, "before": r.before, "after": r.after, "moved": list(r.moved),
                             "direction": r.direction, "causes": list(r.causes), "valued": list(r.valued),
                             "currency": r.currency} for r in report.roi},
        "unmatched": [u.as_dict() for u in report.unmatched],
        "counts": tally,
    }


def _score_dict(change: ScoreChange) -> dict[str, Any]:
    return {"subject": change.subject, "measure": change.measure, "before": change.before, "after": change.after,
            "change": change.change, "direction": change.direction}


def _metric_dict(m: MetricChange) -> dict[str, Any]:
    return {"title": m.title, "metric": m.metric, "model_before": m.model_before, "model_after": m.model_after,
            "before": {"mean": m.before[0], "ci": list(m.before[1:])},
            "after": {"mean": m.after[0], "ci": list(m.after[1:])},
            "difference": m.difference, "noise": m.noise, "overlap": m.overlap, "beyond_noise": m.beyond_noise,
            "direction": m.direction, "lift_before": m.lift_before, "lift_after": m.lift_after,
            "verdict_before": m.verdict_before, "verdict_after": m.verdict_after, "not_comparable": m.reason or None}


def _headline(report: ProgressReport, verdict: str, tally: dict[str, int]) -> str:
    since = f"since the assessment {report.baseline.label}"
    if verdict == "incomplete":
        return f"Nothing could be compared {since}: no table, use case or readiness index is in both runs."
    word = {"improved": "Improved", "worse": "Worse", "mixed": "Mixed progress", "unchanged": "No material change"}
    parts = [f"{tally['resolved']} problem{'s' if tally['resolved'] != 1 else ''} resolved",
             f"{tally['new']} new"]
    index = next((c for c in report.readiness if c.measure == "index" and c.change is not None), None)
    if index is not None:
        parts.append(f"readiness index {index.before:.1f} → {index.after:.1f}")
    if report.unmatched:
        parts.append(f"{len(report.unmatched)} not matched")
    return f"{word[verdict]} {since}: " + ", ".join(parts) + "."
