"""The progress report: two runs of one client compared, on hand-made report folders and on the sample."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import papermill
import pytest
import yaml

from conftest import PROJECT_ROOT, SAMPLE_DIR, any_of, run_cli
from readiness.cli import main
from readiness.errors import ConfigError
from readiness.findings import CATALOGUE, codes_of
from readiness.metrics import FeasibilityScores, ProgressMetrics
from readiness.progress import ProgressParams, compare_runs, index_progress, match_findings
from readiness.progress.inline import execute_in_process
from readiness.progress.measures import MetricChange, compare_metric
from readiness.progress.money import has_moved
from readiness.render import assert_offline, render_notebook, write_index
from readiness.results import Finding, StageResult
from readiness.sync import notebook_parameters_source, readme_section

CLIENT, SLUG = "Harbour Physio Group", "harbour-physio-group"
LATER_DIR = SAMPLE_DIR / "later"


# ---------------------------------------------------------------- hand-made report folders


def estimate(mean: float, half: float) -> dict[str, Any]:
    return {"mean": mean, "std": half, "ci": [mean - half, mean + half], "folds": [mean] * 5}


def feasibility(case: str, mean: float, half: float, *, verdict: str = "go",
                confusion: dict[str, float] | None = None) -> StageResult:
    metrics = {"use_case": case, "title": case.replace("_", " "), "kind": "classification",
               "primary_metric": "roc_auc", "best_model": "linear",
               "models": {"baseline": {"roc_auc": estimate(0.5, 0.0)}, "linear": {"roc_auc": estimate(mean, half)}},
               "lift": {**estimate(mean - 0.5, half), "metric": "roc_auc", "model": "linear", "baseline": 0.5},
               "threshold": 0.3, "confusion_matrix": confusion or {"tp": 40, "fp": 60, "fn": 10, "tn": 890}}
    return StageResult("feasibility", case, verdict, 70.0, metrics=metrics)


def quality(table: str, findings: list[Finding], overall: float = 90.0) -> StageResult:
    scores = {"completeness": 95.0, "validity": overall, "uniqueness": 100.0, "overall": overall}
    return StageResult("quality", table, "needs_work", overall, metrics={"rows": 100, "scores": scores},
                       findings=findings)


def ethics(case: str, checks: dict[str, str | None]) -> StageResult:
    return StageResult("ethics", case, "amber", 60.0, metrics={"checks": checks})


def roi(figures: dict[str, dict[str, float]], verdicts: dict[str, str]) -> StageResult:
    return StageResult("roi", "portfolio", "invest", 70.0, metrics={
        "currency": "EUR", "use_cases": figures, "titles": {c: c.replace("_", " ") for c in figures},
        "p_success": {c: {"value": {"go": 0.8, "pilot": 0.6}[v], "source": "feasibility verdict",
                          "feasibility_verdict": v} for c, v in verdicts.items()},
        "horizon_years": 3, "discount_rate": 0.08, "draws": 1000, "seed": 42})


def summary(index: float | None, technology: float = 60.0) -> StageResult:
    dims = {"technology": {"title": "Technology", "score": technology}, "organisation": {"title": "Organisation",
                                                                                         "score": 50.0}}
    return StageResult("summary", "readiness", "needs_work", index, metrics={
        "readiness_index": index, "dimensions": dims, "executive_summary": ["x"]})


def write_run(folder: Path, results: list[StageResult], *, client: str = CLIENT, slug: str = SLUG,
              as_of: str = "2026-03-31", roi_cases: list[dict[str, Any]] | None = None,
              failed: tuple[tuple[str, str], ...] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    notebooks = []
    for r in results:
        base = {"roi": "roi", "summary": "summary"}.get(r.stage, f"{r.stage}/{r.subject}")
        r.save(folder / f"{base}.json")
        parameters = {"use_cases": roi_cases or [], "horizon_years": 3} if r.stage == "roi" else {}
        notebooks.append({"stage": r.stage, "subject": r.subject, "status": "ok", "parameters": parameters})
    for stage, subject in failed:
        notebooks.append({"stage": stage, "subject": subject, "status": "failed", "error": "ValueError: boom"})
    record = {"client": client, "slug": slug, "as_of": as_of, "status": "ok", "notebooks": notebooks,
              "inputs": {"customers": {"path": "customers.csv", "sha256": as_of, "rows": 100}}}
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def codes(result: StageResult) -> list[str]:
    return [f.code for f in result.findings]


EMAIL = Finding("warning", "DQ_INVALID_EMAIL", "Column 'email': 3 values are not valid e-mail addresses.",
                column="email", evidence={"rows": 3})
DUPLICATE_KEY = Finding("error", "DQ_DUPLICATE_KEY", "Key column 'customer_id' is not unique.",
                        column="customer_id", evidence={"rows": 20})
PHONE = Finding("warning", "DQ_INVALID_PHONE", "Column 'phone': 4 values are not phone numbers.", column="phone",
                evidence={"rows": 4})
OUTLIERS = Finding("info", "DQ_OUTLIERS", "Column 'visits': 2 values lie far out.", column="visits")


# ---------------------------------------------------------------- findings


def test_a_finding_resolved_one_new_and_one_persisting(tmp_path: Path) -> None:
    before = write_run(tmp_path / "before", [quality("customers", [EMAIL, DUPLICATE_KEY, OUTLIERS]),
                                             summary(50.0)])
    after = write_run(tmp_path / "after", [quality("customers", [DUPLICATE_KEY, PHONE, OUTLIERS]), summary(50.0)],
                      as_of="2026-09-30")
    report = compare_runs(before, after)
    by_status = {s: [(c.code, c.subject, c.column) for c in report.findings if c.status == s]
                 for s in ("resolved", "new", "persisting")}
    assert by_status["resolved"] == [("DQ_INVALID_EMAIL", "customers", "email")]
    assert by_status["new"] == [("DQ_INVALID_PHONE", "customers", "phone")]
    assert set(by_status["persisting"]) == {("DQ_DUPLICATE_KEY", "customers", "customer_id"),
                                            ("DQ_OUTLIERS", "customers", "visits")}
    result = report.result
    assert result.stage == "progress" and result.subject == SLUG
    assert {"PROG_FINDING_RESOLVED", "PROG_FINDING_NEW", "PROG_STILL_OPEN"} <= set(codes(result))
    assert result.verdict == "mixed" and result.score == 50.0  # one change for the better, one for the worse
    assert result.metrics["counts"]["resolved"] == 1 and result.metrics["counts"]["still_open"] == 1
    persisting = {c.code: c for c in report.findings if c.status == "persisting"}
    assert persisting["DQ_DUPLICATE_KEY"].rows_before == 20 and persisting["DQ_DUPLICATE_KEY"].rows_after == 20
    ProgressMetrics.model_validate(result.to_dict()["metrics"])  # the contract the index and summary read


def test_findings_sharing_code_and_column_are_told_apart_by_their_evidence() -> None:
    item = lambda i: Finding("warning", "ETH_CHECKLIST_NO", f"Checklist {i} answered no.",  # noqa: E731
                             evidence={"item": i})
    changes = match_findings("ethics", "churn", [item("C3"), item("S3")], [item("S3"), item("S4")])
    assert sorted((c.status, c.detail) for c in changes) == [("new", "S4"), ("persisting", "S3"),
                                                             ("resolved", "C3")]


def test_info_findings_are_listed_but_not_counted(tmp_path: Path) -> None:
    before = write_run(tmp_path / "before", [quality("customers", [OUTLIERS])])
    after = write_run(tmp_path / "after", [quality("customers", [])])
    report = compare_runs(before, after)
    assert [c.status for c in report.findings] == ["resolved"]
    assert report.result.verdict == "unchanged" and report.result.score is None
    assert "PROG_FINDING_RESOLVED" not in codes(report.result)


# ---------------------------------------------------------------- the noise rule


def test_a_metric_change_outside_the_noise_counts(tmp_path: Path) -> None:
    before = write_run(tmp_path / "before", [feasibility("churn", 0.70, 0.02)])
    after = write_run(tmp_path / "after", [feasibility("churn", 0.78, 0.02)])
    report = compare_runs(before, after)
    (metric,) = report.feasibility
    assert metric.overlap is False and metric.beyond_noise and metric.direction == "better"
    assert "PROG_MEASURE_BETTER" in codes(report.result)
    assert report.result.verdict == "improved" and report.result.score == 100.0


def test_a_metric_change_inside_the_noise_does_not(tmp_path: Path) -> None:
    before = write_run(tmp_path / "before", [feasibility("churn", 0.70, 0.03)])
    after = write_run(tmp_path / "after", [feasibility("churn", 0.72, 0.03)])
    report = compare_runs(before, after)
    (metric,) = report.feasibility
    assert metric.noise == pytest.approx((2 * 0.03**2) ** 0.5)
    assert metric.direction == "within_noise"
    assert "PROG_WITHIN_NOISE" in codes(report.result)
    assert report.result.verdict == "unchanged"
    saved = report.result.to_dict()["metrics"]["feasibility"]["churn"]
    assert saved["before"]["ci"] == pytest.approx([0.67, 0.73]) and saved["beyond_noise"] is False


def test_overlapping_intervals_can_still_differ_beyond_the_noise() -> None:
    scores = lambda m: FeasibilityScores(primary_metric="roc_auc", best_model="linear",  # noqa: E731
                                         models={"linear": {"roc_auc": estimate(m, 0.03)}})
    change = compare_metric("churn", scores(0.70), scores(0.75))
    assert change.overlap is True  # [0.67, 0.73] and [0.72, 0.78]
    assert change.beyond_noise and change.direction == "better"  # 0.05 > sqrt(0.03² + 0.03²) = 0.042
    worse = MetricChange("x", "x", "neg_mean_absolute_error", "a", "a", (-4.0, -4.1, -3.9), (-5.0, -5.1, -4.9))
    assert worse.direction == "worse"  # higher is better for a negated error too


def test_a_changed_primary_metric_is_not_comparable(tmp_path: Path) -> None:
    other = feasibility("churn", 0.8, 0.02)
    other.metrics["primary_metric"] = "f1_macro"
    report = compare_runs(write_run(tmp_path / "b", [feasibility("churn", 0.7, 0.02)]),
                          write_run(tmp_path / "a", [other]))
    assert report.feasibility[0].direction == "not_comparable"
    assert "primary metric changed" in report.feasibility[0].reason


# ---------------------------------------------------------------- runs that do not match


def test_runs_of_different_clients_are_refused(tmp_path: Path) -> None:
    before = write_run(tmp_path / "before", [summary(50.0)])
    after = write_run(tmp_path / "after", [summary(55.0)], client="Acme Gym", slug="acme-gym")
    with pytest.raises(ConfigError, match=r"after/run.json: client 'Acme Gym' \(acme-gym\) is not the baseline's "
                                          r"'Harbour Physio Group'.*same client"):
        compare_runs(before, after)


def test_the_command_line_says_so_in_one_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    before = write_run(tmp_path / "before", [summary(50.0)])
    after = write_run(tmp_path / "after", [summary(55.0)], client="Acme Gym", slug="acme-gym")
    assert main(["compare", str(before), str(after)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("readiness: error: ") and err.count("\n") == 1 and "same client" in err
    assert not (after / "progress.html").exists()
    assert main(["compare", str(tmp_path / "nowhere"), str(after)]) == 2
    assert "folder not found" in capsys.readouterr().err
    assert main(["compare", str(tmp_path), str(after)]) == 2
    assert "run.json: not found" in capsys.readouterr().err


def test_a_baseline_is_checked_before_a_run_starts(tmp_path: Path) -> None:
    from readiness.engagement import load_engagement
    from readiness.pipeline import check_baseline

    engagement = load_engagement(SAMPLE_DIR / "engagement.yaml")
    other = write_run(tmp_path / "other", [summary(50.0)], client="Acme Gym", slug="acme-gym")
    with pytest.raises(ConfigError, match=r"--baseline .*other: its run.json is for client 'Acme Gym', not "
                                          r"'Harbour Physio Group'"):
        check_baseline(other, engagement)
    same = write_run(tmp_path / "reports" / SLUG, [summary(50.0)])
    with pytest.raises(ConfigError, match="is the folder this run replaces; copy it first"):
        check_baseline(same, engagement, replaced=tmp_path / "reports" / SLUG)
    assert check_baseline(same, engagement, replaced=tmp_path / "elsewhere" / SLUG) == same.resolve()


def test_a_missing_table_and_a_new_use_case_are_listed_as_unmatched(tmp_path: Path) -> None:
    before = write_run(tmp_path / "before", [quality("customers", [EMAIL]), quality("invoices", [PHONE]),
                                             feasibility("churn", 0.7, 0.02)])
    after = write_run(tmp_path / "after", [quality("customers", [EMAIL]), feasibility("churn", 0.7, 0.02),
                                           feasibility("no_show", 0.6, 0.02)])
    report = compare_runs(before, after)
    unmatched = {(u.stage, u.subject): u.reason for u in report.unmatched}
    assert set(unmatched) == {("quality", "invoices"), ("feasibility", "no_show")}
    assert "only in the baseline" in unmatched[("quality", "invoices")]
    assert "only in the later run" in unmatched[("feasibility", "no_show")]
    assert codes(report.result).count("PROG_UNMATCHED") == 2
    assert {(u["stage"], u["subject"]) for u in report.result.metrics["unmatched"]} == set(unmatched)
    # what does match is still compared; the invoices finding is neither resolved nor new
    assert [c.subject for c in report.findings] == ["customers"]


def test_a_notebook_failed_in_one_run_is_not_compared(tmp_path: Path) -> None:
    before = write_run(tmp_path / "before", [feasibility("churn", 0.7, 0.02)])
    after = write_run(tmp_path / "after", [feasibility("churn", 0.9, 0.02)], failed=(("feasibility", "churn"),))
    report = compare_runs(before, after)
    assert report.feasibility == []
    assert [(u.stage, u.subject) for u in report.unmatched] == [("feasibility", "churn")]
    assert "failed in the later run" in report.unmatched[0].reason
    assert report.result.verdict == "incomplete" and report.result.score is None


def test_a_baseline_dated_after_the_later_run_is_flagged(tmp_path: Path) -> None:
    before = write_run(tmp_path / "before", [summary(50.0)], as_of="2026-12-31")
    after = write_run(tmp_path / "after", [summary(50.0)], as_of="2026-06-30")
    assert "PROG_BASELINE_NEWER" in codes(compare_runs(before, after).result)


# ---------------------------------------------------------------- readiness, ethics, money


def test_readiness_index_and_dimensions_before_and_after(tmp_path: Path) -> None:
    report = compare_runs(write_run(tmp_path / "b", [summary(50.0, technology=60.0)]),
                          write_run(tmp_path / "a", [summary(50.4, technology=70.0)]))
    judged = {c.subject: c.direction for c in report.readiness}
    assert judged == {"Readiness index": "same", "Technology": "better", "Organisation": "same"}
    assert report.result.metrics["readiness_index"] == {"before": 50.0, "after": 50.4, "change": pytest.approx(0.4)}
    assert report.result.verdict == "unchanged"  # dimensions are shown; only the index itself is counted


def test_ethics_lights_that_changed(tmp_path: Path) -> None:
    before = write_run(tmp_path / "b", [ethics("churn", {"personal_data": "red", "proxies": "green",
                                                         "model_fairness": None})])
    after = write_run(tmp_path / "a", [ethics("churn", {"personal_data": "amber", "proxies": "red",
                                                        "model_fairness": "green"})])
    report = compare_runs(before, after)
    assert [(x.check, x.direction) for x in report.lights] == [
        ("personal_data", "better"), ("proxies", "worse"), ("model_fairness", "not_comparable")]
    assert report.result.verdict == "mixed"
    severities = {f.evidence["check"]: f.severity for f in report.result.findings if f.code == "PROG_LIGHT_CHANGED"}
    assert severities == {"personal_data": "info", "proxies": "warning", "model_fairness": "info"}


def test_roi_moves_are_explained_by_the_inputs_that_changed(tmp_path: Path) -> None:
    case = {"id": "no_show", "title": "No-shows", "costs": {"build": [8000, 12000, 20000]},
            "value": {"true_positive": 30}, "protected": ["gender"]}
    cheaper = {**case, "costs": {"build": [6000, 10000, 15000]}, "protected": ["age_band"]}
    money = lambda npv, ra, p: {"no_show": {"npv": npv, "risk_adjusted_npv": ra, "prob_npv_positive": p}}  # noqa: E731
    before = write_run(tmp_path / "b", [feasibility("no_show", 0.64, 0.01, verdict="pilot"),
                                        roi(money(35000.0, 12000.0, 0.76), {"no_show": "pilot"})], roi_cases=[case])
    after = write_run(tmp_path / "a", [feasibility("no_show", 0.64, 0.01, verdict="go",
                                                   confusion={"tp": 45, "fp": 55, "fn": 5, "tn": 895}),
                                       roi(money(39000.0, 25000.0, 0.77), {"no_show": "go"})], roi_cases=[cheaper])
    report = compare_runs(before, after)
    (moved,) = report.roi
    assert moved.moved == ("npv", "risk_adjusted_npv") and moved.direction == "better"
    causes = "\n".join(moved.causes)
    assert "input costs.build: 8,000 / 12,000 / 20,000 → 6,000 / 10,000 / 15,000" in causes
    assert "feasibility verdict: pilot → go" in causes and "P(success): 60% → 80%" in causes
    assert "confusion counts at the threshold: TP 40 → 45" in causes
    assert "protected" not in causes  # inputs that do not price the use case are not reasons
    assert "PROG_ROI_MOVED" in codes(report.result)
    assert not has_moved("npv", 10000, 10400, share=0.05) and has_moved("prob_npv_positive", 0.5, 0.56, share=0.05)


# ---------------------------------------------------------------- the report, the index and the summary


def test_compare_writes_an_offline_report_and_its_result(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    before = write_run(tmp_path / "before", [quality("customers", [EMAIL, DUPLICATE_KEY]), summary(50.0),
                                             feasibility("churn", 0.70, 0.02)])
    after = write_run(tmp_path / "after", [quality("customers", [DUPLICATE_KEY], overall=96.0), summary(54.0),
                                           feasibility("churn", 0.78, 0.02)], as_of="2026-09-30")
    assert main(["compare", str(before), str(after), "--out", str(tmp_path / "out")]) == 0
    assert "verdict improved" in capsys.readouterr().out
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["progress.html", "progress.ipynb", "progress.json"]
    result = StageResult.load(out / "progress.json")
    assert result.stage == "progress" and result.subject == SLUG and result.verdict == "improved"
    assert result.metrics["before"]["path"] == "../before" and result.metrics["after"]["path"] == "."
    html = (out / "progress.html").read_text(encoding="utf-8")
    assert_offline(html)
    assert "Progress since the last assessment" in html and "DQ_INVALID_EMAIL" in html
    assert html.count("data:image/png;base64") == 2  # the scores at a glance and the model intervals
    assert "import " not in html and "baseline_dir" not in html  # no code, no parameters
    box = index_progress(out / "progress.json")
    assert box["verdict"] == "improved" and box["resolved"] == 1 and box["since"] == "2026-03-31"
    assert (box["index_before"], box["index_after"]) == (50.0, 54.0)


def test_the_index_page_links_the_progress_report(tmp_path: Path) -> None:
    progress = {"href": "progress.html", "verdict": "improved", "headline": "Improved since <then>.",
                "since": "2026-03-31", "resolved": 3, "new": 1, "index_before": 50.0, "index_after": 55.4}
    path = write_index(tmp_path, client="Acme", as_of="2026-09-30", generated_on="2026-10-01", run_seconds=1.0,
                       entries=[{"stage": "progress", "subject": "acme", "title": "Progress", "status": "ok",
                                 "verdict": "improved", "score": 75.0, "html": "progress.html"}],
                       progress=progress)
    html = path.read_text(encoding="utf-8")
    assert '<a href="progress.html">Open the progress report</a>' in html
    assert "Progress since the assessment as of 2026-03-31" in html and "50 → 55" in html
    assert "Improved since &lt;then&gt;." in html and 'rd-badge rd-green">Improved' in html
    assert "Progress since the last assessment" in html  # the stage's group in the table of reports


def test_the_summary_links_the_progress_report_beside_it(tmp_path: Path) -> None:
    from readiness.scorecard import SummaryParams
    from readiness.scorecard.entry import progress_link

    folder = write_run(tmp_path / "run", [summary(50.0)])
    params = SummaryParams.from_mapping({"reports_dir": str(folder), "results_dir": str(folder)})
    assert progress_link(params).data == ""
    planned = SummaryParams.from_mapping({"reports_dir": str(folder), "results_dir": str(folder),
                                          "expected": {"progress": [SLUG]}})
    assert '<a href="progress.html">progress report</a>' in progress_link(planned).data
    compare_runs(write_run(tmp_path / "before", [summary(40.0)]), folder).result.save(folder / "progress.json")
    text = progress_link(params).data
    assert "as of 2026-03-31" in text and "readiness index 40.0 → 50.0" in text and 'href="progress.html"' in text


def test_a_failing_cell_stops_the_in_process_notebook(tmp_path: Path) -> None:
    source = {"cells": [
        {"cell_type": "code", "execution_count": None, "id": "p", "metadata": {"tags": ["parameters"]},
         "outputs": [], "source": "x: int = 1"},
        {"cell_type": "code", "execution_count": None, "id": "a", "metadata": {}, "outputs": [], "source": "x * 2"},
        {"cell_type": "code", "execution_count": None, "id": "b", "metadata": {}, "outputs": [],
         "source": "print('mail jane.doe@example.com')\nraise ValueError('no baseline for jane.doe@example.com')"},
        {"cell_type": "code", "execution_count": None, "id": "c", "metadata": {}, "outputs": [], "source": "3"}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(json.dumps(source))
    status, _, error = execute_in_process(notebook, {"x": 21}, tmp_path / "out.ipynb")
    assert status == "failed" and error.startswith("ValueError: no baseline for") and "jane.doe@" not in error
    cells = nbformat.read(tmp_path / "out.ipynb", as_version=4)["cells"]  # valid, as papermill would write it
    assert cells[1]["metadata"]["tags"] == ["injected-parameters"] and cells[1]["source"].endswith("x = 21")
    assert cells[2]["outputs"][0]["data"]["text/plain"] == "42"
    assert [o["output_type"] for o in cells[3]["outputs"]] == ["stream", "error"]
    assert cells[3]["outputs"][1]["ename"] == "ValueError" and "jane.doe@" not in json.dumps(cells[3]["outputs"])
    assert cells[4]["outputs"] == []
    render_notebook(tmp_path / "out.ipynb", tmp_path / "out.html", title="t", status=status, error=error,
                    generated_on="2026-01-01")


# ---------------------------------------------------------------- the catalogue, the notebook and the README


def test_progress_codes_are_catalogued_and_documented() -> None:
    from readiness.progress import CODES
    from readiness.sync import findings_table

    assert set(codes_of("progress")) == set(CODES)
    assert all(code.startswith("PROG_") and CATALOGUE[code].stage == "progress" for code in CODES)
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_section(text, "findings:progress") == findings_table("progress")
    assert readme_section(text, "parameters:progress") == ProgressParams.markdown_table()
    assert "## Measure progress" in text


def test_the_notebook_parameters_are_the_models() -> None:
    path = PROJECT_ROOT / "notebooks" / ProgressParams.notebook
    assert notebook_parameters_source(path) == ProgressParams.parameters_cell()
    found = papermill.inspect_notebook(str(path))
    assert list(found) == list(ProgressParams.model_fields)
    for name, field in ProgressParams.model_fields.items():
        assert found[name]["help"] == field.description
        assert ast.literal_eval(found[name]["default"]) == field.get_default()


# ---------------------------------------------------------------- end to end on the sample


def personal_values(folder: Path) -> set[str]:
    customers = pd.read_csv(folder / "customers.csv", dtype=str, keep_default_na=False)
    values = {v.strip() for column in ("full_name", "email", "phone") for v in customers[column]
              if len(v.strip()) >= 6}
    planted = yaml.safe_load((folder / "planted.yaml").read_text())
    return values | {str(v) for v in planted.get("personal_values", [])}


def progress_outputs(folder: Path) -> dict[str, str]:
    return {name: (folder / name).read_text(encoding="utf-8")
            for name in ("progress.html", "progress.json", "progress.ipynb") if (folder / name).exists()}


@pytest.mark.slow
def test_a_run_with_a_baseline_reports_fixes_links_them_and_masks_them(sample_report_dir: Path, later_run: Any,
                                                                       later_report_dir: Path, tmp_path: Path) -> None:
    """The later extract fixed the first one's invalid e-mail addresses (among other things)."""
    later = later_report_dir
    counted = re.findall(r"^\[\s*(\d+)/(\d+)\] (\w+)/", later_run.stdout, flags=re.M)
    assert [(int(n), int(of)) for n, of, _ in counted] == [(n, 16) for n in range(1, 17)]  # 15 notebooks + progress
    assert counted[-1][2] == "progress"
    result = StageResult.load(later / "progress.json")
    resolved = {(f["code"], f["subject"], f["column"]) for f in result.metrics["findings"]["resolved"]}
    assert ("DQ_INVALID_EMAIL", "customers", "email") in resolved
    assert result.verdict in ("improved", "mixed")
    assert '<a href="progress.html">Open the progress report</a>' in (later / "index.html").read_text()
    assert 'href="progress.html"' in (later / "summary.html").read_text()
    assert json.loads((later / "run.json").read_text())["notebooks"][-1]["stage"] == "progress"
    # the same comparison from the command line, into another folder
    cmp = run_cli("compare", str(sample_report_dir), str(later), "--out", str(tmp_path / "cmp"))
    assert cmp.returncode == 0, cmp.stderr[-3000:]
    again = StageResult.load(tmp_path / "cmp" / "progress.json")
    assert again.metrics["findings"] == result.metrics["findings"] and again.verdict == result.verdict
    # and the notebook on its own, on a kernel, as an analyst would run it with papermill
    papermill.execute_notebook(str(PROJECT_ROOT / "notebooks" / ProgressParams.notebook), str(tmp_path / "pm.ipynb"),
                               parameters={"baseline_dir": str(sample_report_dir), "reports_dir": str(later),
                                           "results_dir": str(tmp_path / "pm")}, kernel_name="python3",
                               progress_bar=False, cwd=str(PROJECT_ROOT))
    assert StageResult.load(tmp_path / "pm" / "progress.json").to_dict() == again.to_dict()
    outputs = {**progress_outputs(later), **{f"cmp/{k}": v for k, v in progress_outputs(tmp_path / "cmp").items()},
               "index.html": (later / "index.html").read_text(), "terminal": cmp.stdout + cmp.stderr}
    values = personal_values(SAMPLE_DIR) | personal_values(LATER_DIR)
    planted = any_of(values)
    for name, text in outputs.items():
        leaked = planted.search(text)
        assert not leaked, f"{name} shows personal data, e.g. {leaked.group(0)[:2]}***"
        assert_offline(text) if name.endswith(".html") else None


def planted_changes() -> dict[str, list[tuple[str, str, str | None]]]:
    changes = (yaml.safe_load((LATER_DIR / "planted.yaml").read_text()) or {}).get("changes") or {}
    if isinstance(changes, list):  # a list of entries, each saying whether it was fixed or is new
        changes = {kind: [c for c in changes if c.get("change", c.get("kind")) == kind] for kind in ("fixed", "new")}
    return {kind: [(c["code"], c["table"], c.get("column")) for c in changes.get(kind, changes.get(alias, []))]
            for kind, alias in (("fixed", "resolved"), ("new", "added"))}


@pytest.mark.slow
def test_the_later_extract_shows_its_planted_changes(later_report_dir: Path) -> None:
    expected = planted_changes()
    assert expected["fixed"] or expected["new"], "later/planted.yaml has no `changes:` section"
    found = StageResult.load(later_report_dir / "progress.json").metrics["findings"]
    quality = {status: {(f["code"], f["subject"], f["column"]) for f in found[status] if f["stage"] == "quality"}
               for status in ("resolved", "new", "persisting")}
    for defect in expected["fixed"]:
        assert defect in quality["resolved"], f"{defect} was fixed in the later extract but is not resolved"
    for defect in expected["new"]:
        assert defect in quality["new"], f"{defect} is new in the later extract but is not listed as new"
    assert not set(expected["fixed"]) & (quality["new"] | quality["persisting"])
