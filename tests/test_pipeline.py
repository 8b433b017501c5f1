"""The runner: parallel notebooks, atomic output, failures isolated and reported."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from readiness import pipeline, planning
from readiness.engagement import load_engagement

pytestmark = pytest.mark.slow


def make_engagement(folder: Path) -> Path:
    frame = pd.DataFrame({"id": [f"A{i}" for i in range(30)], "amount": [str(i + 1) for i in range(30)]})
    frame.to_csv(folder / "a.csv", index=False)
    frame.head(10).to_csv(folder / "b.csv", index=False)
    doc = {
        "client": "Rerun Client",
        "as_of": "2026-06-30",
        "currency": "EUR",
        "tables": {"items": {"path": "a.csv", "key": "id"}, "more": {"path": "b.csv", "key": "id"}},
    }
    (folder / "engagement.yaml").write_text(yaml.safe_dump(doc))
    return folder / "engagement.yaml"


def failing_notebook(folder: Path, *, fail_for: str) -> Path:
    """A stand-in stage notebook that fails for one table and writes a valid result for others."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('table = ""\nresults_dir = "."')
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        "from readiness.results import StageResult\n"
        f"if table == {fail_for!r}:\n"
        "    raise ValueError('stage broke on purpose')\n"
        "StageResult('quality', table, 'ready', 90.0).save(f'{results_dir}/{table}.json')"
    )
    nb.cells = [params, body]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "failing.ipynb"
    nbformat.write(nb, path)
    return path


def test_plan_jobs_translates_engagement_into_direct_parameters(tmp_path: Path) -> None:
    engagement = load_engagement(make_engagement(tmp_path))
    jobs = pipeline.plan_jobs(engagement, results_root=tmp_path / "work")
    assert [(j.stage, j.subject, j.rel_base) for j in jobs] == [
        ("quality", "items", "quality/items"),
        ("quality", "more", "quality/more"),
        ("summary", "readiness", "summary"),  # an engagement without use cases still gets its scorecard
    ]
    params = jobs[0].parameters
    assert params["data_path"] == str((tmp_path / "a.csv").resolve())
    assert params["key"] == "id" and params["as_of"] == "2026-06-30"
    assert params["results_dir"] == str(tmp_path / "work" / "quality")
    json.dumps(params)  # papermill needs plain JSON values


def test_failed_notebook_is_reported_and_earlier_report_kept(tmp_path: Path, monkeypatch) -> None:
    engagement = make_engagement(tmp_path)
    out = tmp_path / "out"
    lines: list[str] = []
    first = pipeline.run_engagement(engagement, out=out, jobs=2, echo=lines.append)
    assert first.ok and first.report_dir == out / "rerun-client"
    assert len(lines) == 3 and all(": ok in " in line for line in lines)
    good_index = (first.report_dir / "index.html").read_text()

    broken = str(failing_notebook(tmp_path, fail_for="items"))
    stand_in = dataclasses.replace(planning.STAGES["quality"], notebook=broken)
    monkeypatch.setitem(planning.STAGES, "quality", stand_in)
    lines.clear()
    second = pipeline.run_engagement(engagement, out=out, jobs=2, echo=lines.append)
    assert [o.subject for o in second.failed] == ["items"]
    assert "ValueError: stage broke on purpose" in second.failed[0].error
    assert any("FAILED" in line for line in lines) and any(": ok in " in line for line in lines)
    # the earlier good report is untouched; the failed run is kept beside it for inspection
    assert (out / "rerun-client" / "index.html").read_text() == good_index
    assert second.report_dir == out / "rerun-client.failed"
    failed_page = (second.report_dir / "quality" / "items.html").read_text()
    assert "stage broke on purpose" in failed_page
    index = (second.report_dir / "index.html").read_text()
    assert "failed" in index.lower()
    record = json.loads((second.report_dir / "run.json").read_text())
    assert record["status"] == "failed"
    assert [n["status"] for n in record["notebooks"]] == ["failed", "ok", "ok"]


def test_sample_plan_orders_stages_in_waves_and_scans_each_table_once(tmp_path: Path) -> None:
    from conftest import SAMPLE_DIR

    engagement = load_engagement(SAMPLE_DIR / "engagement.yaml")
    jobs = pipeline.plan_jobs(engagement, results_root=tmp_path)
    waves = {(job.stage, job.wave) for job in jobs}
    assert waves == {("quality", 0), ("feasibility", 0), ("ethics", 1), ("roi", 1), ("summary", 2)}
    assert [job.wave for job in jobs] == sorted(job.wave for job in jobs)
    ethics = {job.subject: job.parameters for job in jobs if job.stage == "ethics"}
    # invoices is read by no use case: scanned once, in the first use case's run
    assert {name: set(p["tables"]) for name, p in ethics.items()} == {
        "no_show": {"invoices"}, "churn": set(), "demand_forecast": set(), "ticket_triage": set(),
    }
    assert ethics["no_show"]["predictions_path"] == str(tmp_path / "feasibility" / "no_show.predictions.parquet")
    roi = next(job for job in jobs if job.stage == "roi")
    assert [case["id"] for case in roi.parameters["use_cases"]] == ["no_show", "churn", "demand_forecast",
                                                                     "ticket_triage"]
    assert roi.rel_base == "roi" and roi.parameters["draws"] == 10_000
    summary = jobs[-1]
    assert summary.stage == "summary" and summary.parameters["expected"]["quality"] == list(engagement.tables)


def test_optional_inputs_missing_after_earlier_waves_are_emptied(tmp_path: Path) -> None:
    from readiness.notebooks import NotebookJob

    present = tmp_path / "there.parquet"
    present.write_bytes(b"x")
    job = NotebookJob("ethics", "a", tmp_path / "nb.ipynb", {"p": str(present), "q": str(tmp_path / "gone")},
                      "ethics/a", optional_inputs=("p", "q"))
    assert job.without_missing_inputs().parameters == {"p": str(present), "q": ""}


def _tiny_notebook(path: Path, body: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('results_dir = ""\nlabel = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_a_pool_runs_notebooks_on_one_warm_kernel_each_starting_clean(tmp_path: Path) -> None:
    from readiness.kernels import KernelPool
    from readiness.notebooks import NotebookJob, execute_job

    notebook = _tiny_notebook(tmp_path / "probe.ipynb", (
        "import os, json\n"
        "leftover = 'seen' in globals()\n"
        "seen = True\n"
        "json.dump({'pid': os.getpid(), 'leftover': leftover, 'count': get_ipython().execution_count},\n"
        "          open(os.path.join(results_dir, label + '.json'), 'w'))"))
    failing = _tiny_notebook(tmp_path / "fails.ipynb", "import os\nraise ValueError('planted')")
    results = tmp_path / "results"

    def job(label: str, nb: Path = notebook) -> NotebookJob:
        return NotebookJob("quality", label, nb, {"results_dir": str(results), "label": label}, f"q/{label}")

    with KernelPool() as pool:
        outcomes = [execute_job(job(label), tmp_path / "work", pool) for label in ("a", "b")]
        failed = execute_job(job("c", failing), tmp_path / "work", pool)
        after_failure = execute_job(job("d"), tmp_path / "work", pool)
        live = [k.manager for k in pool._kernels]
    assert [status for status, _, _ in outcomes] == ["ok", "ok"] and after_failure[0] == "ok"
    assert failed[0] == "failed" and failed[2] == "ValueError: planted"
    seen = {label: json.loads((results / f"{label}.json").read_text()) for label in ("a", "b", "d")}
    assert seen["a"]["pid"] == seen["b"]["pid"]  # the second notebook reused the first one's kernel
    assert seen["d"]["pid"] != seen["a"]["pid"]  # a kernel that ran a failing notebook is replaced
    assert [seen[label]["leftover"] for label in ("a", "b", "d")] == [False, False, False]
    assert seen["b"]["count"] == seen["d"]["count"] == seen["a"]["count"]  # numbered as on a fresh kernel
    assert len(live) == 1 and not live[0].is_alive()  # leaving the pool stops its kernels


def test_a_prestarted_kernel_runs_the_first_notebook_with_its_libraries_imported_and_a_clean_namespace(
        tmp_path: Path) -> None:
    from readiness.kernels import KernelPool
    from readiness.notebooks import NotebookJob, execute_job

    notebook = _tiny_notebook(tmp_path / "probe.ipynb", (
        "import os, json, sys\n"
        "json.dump({'pid': os.getpid(), 'names': sorted(n for n in globals() if not n.startswith('_')),\n"
        "           'sklearn': 'sklearn.ensemble' in sys.modules, 'count': get_ipython().execution_count},\n"
        "          open(os.path.join(results_dir, label + '.json'), 'w'))"))
    results = tmp_path / "results"
    with KernelPool() as pool:
        pool.prestart(1)
        status, _, error = execute_job(NotebookJob("quality", "a", notebook, {"results_dir": str(results),
                                                                               "label": "a"}, "q/a"),
                                       tmp_path / "work", pool)
        pids = [k.manager.provisioner.process.pid for k in pool._kernels]
    assert status == "ok", error
    seen = json.loads((results / "a.json").read_text())
    assert pids == [seen["pid"]]  # the notebook ran on the prestarted kernel; no second one was started
    assert seen["sklearn"]  # imported before the notebook started
    assert "_warm_up" not in seen["names"] and "sklearn" not in seen["names"]  # nothing left in the namespace
    assert set(seen["names"]) >= {"json", "os", "sys", "results_dir", "label"}


def test_bad_input_starts_no_kernel(tmp_path: Path) -> None:
    import subprocess
    import sys

    # the file is there but lacks the key it is said to have: found when the run checks its tables
    pd.DataFrame({"id": range(20), "site": ["a", "b"] * 10}).to_csv(tmp_path / "visits.csv", index=False)
    (tmp_path / "engagement.yaml").write_text(yaml.safe_dump({
        "client": "No Kernel", "as_of": "2026-06-30", "currency": "EUR",
        "tables": {"visits": {"path": "visits.csv", "key": "visit_id"}}}))
    script = (  # in a process of its own, so a regression fails on the timeout instead of freezing the tests
        "import gc, sys, psutil\n"
        "from readiness import pipeline\n"
        "try:\n"
        f"    pipeline.run_engagement({str(tmp_path / 'engagement.yaml')!r}, out={str(tmp_path / 'out')!r}, jobs=2)\n"
        "except Exception as exc:\n"
        "    print('error:', exc)\n"
        "kids = psutil.Process().children(recursive=True)\n"
        "print('kernels:', sum('ipykernel' in ' '.join(p.cmdline()) for p in kids))\n"
        "gc.collect()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and len(lines) == 2, done.stdout + done.stderr[-2000:]
    assert lines[0].startswith("error:") and "visit_id" in lines[0]
    assert lines[1] == "kernels: 0"


def test_a_pool_left_by_an_error_frees_its_kernels_sockets(tmp_path: Path) -> None:
    # A request queued for a kernel that was killed before reading it used to freeze the process
    # that later garbage-collected its client (zmq's context waited for the message forever).
    import subprocess
    import sys

    script = (
        "import gc\n"
        "from readiness.kernels import KernelPool\n"
        "try:\n"
        "    with KernelPool() as pool:\n"
        "        pool.prestart(2)\n"
        "        raise RuntimeError('stop')\n"
        "except RuntimeError:\n"
        "    pass\n"
        "del pool\n"
        "gc.collect()\n"
        "print('collected')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "collected", done.stderr[-2000:]
