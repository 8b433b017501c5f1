"""What the progress notebook displays, built from a :class:`~readiness.progress.assess.ProgressReport`.

Each function returns an :class:`IPython.display.HTML` (every value escaped, and text passed
through the personal-data gate by :func:`readiness.display.table`) or a figure's HTML.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd
from IPython.display import HTML

from readiness import display
from readiness.charts import figure_html
from readiness.progress.changes import FindingChange
from readiness.progress.charts import before_after_scores, metric_intervals
from readiness.progress.judge import money_text
from readiness.progress.measures import NOISE_RULE, MetricChange, estimate_text, metric_label, shown_estimate
from readiness.progress.money import FIGURES
from readiness.progress.report import ProgressReport
from readiness.progress.runs import InputRecord

# the verdict's colour band, in the report stylesheet's words
VERDICT_BANDS = {"improved": "green", "unchanged": "amber", "mixed": "amber", "incomplete": "amber", "worse": "red"}
VERDICT_WORDS = {"improved": "Improved", "unchanged": "Unchanged", "mixed": "Mixed", "worse": "Worse",
                 "incomplete": "Incomplete"}
JUDGED = {"better": "better", "worse": "worse", "same": "no material change", "within_noise": "within the noise",
          "not_comparable": "not comparable"}
STATUS_WORDS = {"resolved": "resolved", "new": "new", "persisting": "still there"}
STAGE_WORDS = {"quality": "data quality", "feasibility": "feasibility", "ethics": "ethics", "roi": "ROI",
               "summary": "summary"}


def verdict_box(report: ProgressReport) -> HTML:
    """The verdict in words, coloured by direction, with the headline and the counts of changes."""
    result = report.result
    band = VERDICT_BANDS.get(result.verdict, "amber")
    counts = report.counts
    pills = "".join(
        f'<span class="rd-pill rd-{css if n else "zero"}">{n} {label}</span>'
        for n, label, css in ((counts["resolved"], "resolved", "info"), (counts["new"], "new", "warning"),
                              (counts["still_open"], "errors still open", "error"),
                              (len(report.unmatched), "not matched", "warning")))
    score = "n/a" if result.score is None else f"{result.score:.0f}"
    return HTML(
        f'<div class="rd-verdict rd-{band}"><div class="rd-verdict-main">'
        f'<div class="rd-verdict-label">Progress</div>'
        f'<div class="rd-verdict-word">{escape(VERDICT_WORDS.get(result.verdict, result.verdict))}</div>'
        f'<p class="rd-verdict-headline">{escape(str(result.metrics.get("headline", "")))}</p>'
        f'<div class="rd-verdict-counts">{pills}</div></div>'
        f'<div class="rd-verdict-score"><div class="rd-verdict-label">Changes for the better</div>'
        f"<b>{score}</b><span> / 100</span></div></div>")


def runs_table(report: ProgressReport) -> HTML:
    """The two runs side by side: the date their data is judged against and each input's rows and checksum."""
    a, b = report.baseline.record, report.later.record
    rows: list[dict[str, Any]] = [{"": "data as of", "baseline": a.as_of, "later run": b.as_of, "changed": ""},
                                  {"": "run status", "baseline": a.status, "later run": b.status, "changed": ""}]
    for name in dict.fromkeys([*b.inputs, *a.inputs]):
        old, new = a.inputs.get(name), b.inputs.get(name)
        changed = "only in one run" if old is None or new is None else (
            "changed" if old.sha256 != new.sha256 else "same file")
        rows.append({"": name, "baseline": _rows(old), "later run": _rows(new), "changed": changed})
    return display.table(pd.DataFrame(rows), caption="The two runs compared")


def _rows(given: InputRecord | None) -> str:
    if given is None:
        return "—"
    return f"{given.rows:,} rows" if given.rows is not None else "read"


def overview_chart(report: ProgressReport) -> HTML:
    """Every 0-100 score of both runs at a glance (readiness, data quality, feasibility, ethics)."""
    if not any(s.before is not None and s.after is not None for s in report.scores):
        return display.section_note("No score is in both runs.")
    return figure_html(before_after_scores(report.scores, title="Scores before and after (0-100)"))


def readiness_table(report: ProgressReport) -> HTML:
    """The readiness index and each dimension, before and after."""
    if not report.readiness:
        return display.section_note("One of the runs has no readable summary, so the readiness index cannot be "
                                    "compared.")
    frame = pd.DataFrame([{"measure": c.subject, "before": c.before, "after": c.after, "change": c.change,
                           "judged": JUDGED[c.direction]} for c in report.readiness])
    return display.table(frame, number_format="{:,.1f}")


def quality_table(report: ProgressReport) -> HTML:
    """Each matched table's quality scores: one row per table, ``before → after`` per dimension."""
    if not report.quality:
        return display.section_note("No table is in both runs.")
    rows: dict[str, dict[str, Any]] = {}
    for c in report.quality:
        cell = "—" if c.before is None and c.after is None else (
            f"{_num(c.before)} → {_num(c.after)}" + (f" ({c.change:+.1f})" if c.change else ""))
        rows.setdefault(c.subject, {"table": c.subject})[c.measure] = cell
    overall = {c.subject: JUDGED[c.direction] for c in report.quality if c.measure == "overall"}
    frame = pd.DataFrame([{**row, "judged (overall)": overall.get(name, "")} for name, row in rows.items()])
    return display.table(frame)


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def findings_table(report: ProgressReport, status: str) -> HTML:
    """The findings ``resolved``, ``new`` or ``persisting``: where, code, severity, rows (and the sentence).

    Findings still there are listed without their sentence (each stage report has it), warnings and
    errors only, with a note counting the info findings left out.
    """
    rows = [c for c in report.findings if c.status == status]
    hidden = 0
    if status == "persisting":
        hidden = sum(1 for c in rows if c.severity == "info")
        rows = [c for c in rows if c.severity != "info"]
    if not rows:
        note = f" ({hidden} info finding{'s are' if hidden != 1 else ' is'} in both runs)" if hidden else ""
        return HTML(f'<div class="rd-empty">No warning or error is {escape(STATUS_WORDS[status])}{escape(note)}.'
                    "</div>" if status == "persisting" else
                    f'<div class="rd-empty">No finding is {escape(STATUS_WORDS[status])}.</div>')
    groups: dict[tuple[Any, ...], list[FindingChange]] = {}  # a finding repeated in several use cases: one row
    for c in sorted(rows, key=lambda c: (_rank(c.severity), c.stage, c.code, c.subject, c.column or "")):
        key = (c.stage, c.code, c.column, c.detail, c.severity_before, c.severity_after, c.rows_before,
               c.rows_after, c.message if status != "persisting" else "")
        groups.setdefault(key, []).append(c)
    records = []
    for group in groups.values():
        c = group[0]
        where = " · ".join(part for part in (", ".join(g.subject for g in group), c.column, c.detail) if part)
        record = {"where": f"{STAGE_WORDS.get(c.stage, c.stage)}: {where}", "code": c.code,
                  "severity": _arrow(c.severity_before, c.severity_after, status),
                  "rows": _arrow(_count(c.rows_before), _count(c.rows_after), status)}
        if status != "persisting":
            record["finding"] = c.message
        records.append(record)
    note = display.section_note(f"{hidden} info finding{'s are' if hidden != 1 else ' is'} in both runs as well "
                                "(context such as personal-data columns); they are in progress.json.") if hidden \
        else HTML("")
    return HTML(display.table(pd.DataFrame(records)).data + note.data)


def _rank(severity: str) -> int:
    return {"error": 0, "warning": 1, "info": 2}.get(severity, 3)


def _count(value: int | None) -> str | None:
    return None if value is None else f"{value:,}"


def _arrow(before: str | None, after: str | None, status: str) -> str:
    if status == "resolved":
        return before or ""
    if status == "new":
        return after or ""
    return before or "" if before == after else f"{before or '—'} → {after or '—'}"


def feasibility_table(report: ProgressReport) -> HTML:
    """Each use case's best-model metric with both 95 % intervals, the difference, the noise and the judgement."""
    if not report.feasibility:
        return display.section_note("No use case is in both runs.")
    frame = pd.DataFrame([{
        "use case": m.use_case, "metric": metric_label(m.metric), "before [95% interval]": estimate_text(m.metric,
                                                                                                        m.before),
        "after [95% interval]": estimate_text(m.metric, m.after),
        "change": _shown_change(m),
        "noise (±)": m.noise, "judged": JUDGED[m.direction] + (f" ({m.reason})" if m.reason else ""),
        "verdict": _arrow(m.verdict_before, m.verdict_after, "persisting"),
    } for m in report.feasibility])
    return display.table(frame, number_format="{:,.3g}")


def _shown_change(m: MetricChange) -> float | None:
    before, after = shown_estimate(m.metric, m.before)[0], shown_estimate(m.metric, m.after)[0]
    return None if before is None or after is None else after - before


def feasibility_chart(report: ProgressReport) -> HTML:
    """The intervals of each use case's metric, before and after, one panel per use case."""
    if not any(m.before[0] is not None and m.after[0] is not None for m in report.feasibility):
        return HTML("")
    return figure_html(metric_intervals(report.feasibility, title="Model metric with its 95% interval"))


def ethics_table(report: ProgressReport) -> HTML:
    """Every ethics traffic light that changed colour."""
    if not report.lights:
        return HTML('<div class="rd-empty">No ethics traffic light changed.</div>')
    frame = pd.DataFrame([{"use case": x.use_case, "check": x.check.replace("_", " "),
                           "before": x.before or "not assessed", "after": x.after or "not assessed",
                           "judged": JUDGED[x.direction]} for x in report.lights])
    return display.table(frame)


def roi_table(report: ProgressReport) -> HTML:
    """Each use case's NPV, risk-adjusted NPV and P(NPV > 0) before and after, and why they moved."""
    if not report.roi:
        return display.section_note("One of the runs has no ROI result, so no money figure can be compared.")
    rows = []
    for r in report.roi:
        row: dict[str, Any] = {"use case": r.title}
        for figure, label in FIGURES.items():
            row[label] = (f"{money_text(figure, r.before[figure], r.currency)} → "
                          f"{money_text(figure, r.after[figure], r.currency)}")
        row["moved"] = ", ".join(FIGURES[f] for f in r.moved) or ("valued differently" if r.causes else "no")
        row["why"] = "; ".join(r.causes)
        rows.append(row)
    return display.table(pd.DataFrame(rows))


def unmatched_table(report: ProgressReport) -> HTML:
    """What could not be matched between the runs, and why."""
    if not report.unmatched:
        return HTML('<div class="rd-empty">Every table, use case and stage result is in both runs.</div>')
    frame = pd.DataFrame([{"stage": STAGE_WORDS.get(u.stage, u.stage), "table or use case": u.subject,
                           "why": u.reason} for u in report.unmatched])
    return display.table(frame)


def rules(report: ProgressReport) -> HTML:
    """How each kind of change is judged, with this report's thresholds."""
    share = report.roi_share
    items = [
        f"A 0-100 score (readiness index and dimensions, data quality) changed when it moved by at least "
        f"{report.material_points:g} point{'s' if report.material_points != 1 else ''}.",
        f"A use case's model metric is {NOISE_RULE}.",
        f"An NPV moved when it changed by at least {share:.0%} of the larger of its two values; P(NPV > 0) when it "
        f"changed by at least {share * 100:.0f} points. The reasons compare the inputs the ROI notebook read in "
        "each run (run.json), the feasibility verdict and P(success), and the threshold and confusion counts.",
        "Findings are matched within a table or use case by code and column (and the checklist item, kind or rule "
        "their evidence names). Warnings and errors resolved or new count as changes; info findings are listed "
        "only; a finding repeated word for word in several use cases (the one ethics checklist) counts once.",
        "The verdict: improved (only changes for the better), worse (only for the worse), mixed (both), unchanged "
        "(neither), incomplete (nothing could be compared). The score is the share of counted changes that are "
        "for the better.",
    ]
    return HTML('<ul class="rd-summary">' + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
