"""Safe reruns: locks, interrupted and killed runs, byte-identical results, runs without a network."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
import yaml

pytestmark = pytest.mark.slow


def small_engagement(folder: Path, rows: int = 300) -> Path:
    frame = pd.DataFrame(
        {
            "id": [f"R{i:05d}" for i in range(rows)],
            "amount": [f"{(i % 97) + 1}.50" for i in range(rows)],
            "visited_on": [f"2026-0{1 + i % 6}-1{i % 9}" for i in range(rows)],
            "site": [["North", "South", "East"][i % 3] for i in range(rows)],
        }
    )
    frame.to_csv(folder / "visits.csv", index=False)
    frame.head(50).to_csv(folder / "more.csv", index=False)
    doc = {
        "client": "Safety Client",
        "as_of": "2026-06-30",
        "currency": "EUR",
        "tables": {
            "visits": {"path": "visits.csv", "key": "id", "date_columns": ["visited_on"]},
            "more": {"path": "more.csv", "key": "id"},
        },
    }
    (folder / "engagement.yaml").write_text(yaml.safe_dump(doc))
    return folder / "engagement.yaml"


def start_run(engagement: Path, out: Path, *prefix: str, tmpdir: Path | None = None) -> subprocess.Popen:
    env = None if tmpdir is None else {**os.environ, "TMPDIR": str(tmpdir)}
    return subprocess.Popen(
        [*prefix, sys.executable, "-m", "readiness.cli", "run", str(engagement), "--out", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def kernel_leftovers(tmpdir: Path) -> list[str]:
    """Kernel folders and connection files a run left in its temporary directory."""
    return sorted(p.name for p in tmpdir.iterdir() if p.name.startswith("readiness-kernel-") or p.suffix == ".json")


def wait_for_kernels(proc: subprocess.Popen, timeout: float = 60) -> list[int]:
    """Pids of the run's kernel processes, once at least one is running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = [p for p in psutil.Process(proc.pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
        if kids:
            return [p.pid for p in kids]
        time.sleep(0.1)
    raise AssertionError("no kernel started")


def gone(pids: list[int], timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
        if not alive:
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def earlier_report(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    engagement = small_engagement(tmp_path)
    out = tmp_path / "out"
    first = start_run(engagement, out)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    report = out / "safety-client"
    snapshot = {str(p.relative_to(report)): p.read_bytes() for p in report.rglob("*") if p.is_file()}
    return engagement, out, snapshot


def unchanged(out: Path, snapshot: dict[str, bytes]) -> bool:
    report = out / "safety-client"
    now = {str(p.relative_to(report)): p.read_bytes() for p in report.rglob("*") if p.is_file()}
    return now == snapshot


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_killed_run_keeps_earlier_report_and_leaves_no_kernel(earlier_report, sig: int) -> None:
    engagement, out, snapshot = earlier_report
    # a short private temporary directory (kernel sockets have a path length limit)
    tmpdir = Path(tempfile.mkdtemp(prefix="rk"))
    proc = start_run(engagement, out, tmpdir=tmpdir)
    kernels = wait_for_kernels(proc)
    proc.send_signal(sig)
    status = proc.wait(timeout=60)
    assert status != 0
    if sig != signal.SIGKILL:
        assert status == 130, proc.stderr.read()
        assert not list(out.glob(".safety-client.tmp-*")), "temporary folder left behind"
        assert kernel_leftovers(tmpdir) == []
    assert gone(kernels), "a kernel outlived its run"
    assert unchanged(out, snapshot)
    # the next run cleans whatever a SIGKILL left (its folder and its kernels' sockets) and succeeds
    again = start_run(engagement, out, tmpdir=tmpdir)
    assert again.wait(timeout=300) == 0, again.stderr.read()
    assert not list(out.glob(".safety-client.tmp-*"))
    assert kernel_leftovers(tmpdir) == []
    shutil.rmtree(tmpdir)


def test_second_run_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    engagement = small_engagement(tmp_path)
    out = tmp_path / "out"
    first = start_run(engagement, out)
    wait_for_kernels(first)
    second = start_run(engagement, out)
    assert second.wait(timeout=60) == 2
    message = second.stderr.read()
    assert "another readiness run" in message and message.count("\n") == 1
    assert first.wait(timeout=300) == 0


def test_two_runs_give_byte_identical_results(tmp_path: Path) -> None:
    engagement = small_engagement(tmp_path)
    results = []
    for name in ("a", "b"):
        proc = start_run(engagement, tmp_path / name)
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
        report = tmp_path / name / "safety-client"
        # the stage results: not run.json (times) nor the Great Expectations project (its own random ids)
        results.append({p.name: p.read_bytes() for p in sorted(report.rglob("*.json"))
                         if p.name != "run.json" and "gx" not in p.relative_to(report).parts})
    assert len(results[0]) == 5  # two results, two suites and the summary
    assert results[0] == results[1]


def test_run_succeeds_with_no_network_at_all(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True) if unshare else None
    if probe is None or probe.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("`unshare -n` must work in CI to prove offline runs")
        pytest.skip("this user cannot create a network namespace (unshare -n)")
    engagement = small_engagement(tmp_path)
    proc = start_run(engagement, tmp_path / "out", unshare, "-n")
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    assert (tmp_path / "out" / "safety-client" / "index.html").is_file()


def test_a_folder_written_again_after_an_interrupt_is_removed_before_exit(tmp_path: Path, monkeypatch) -> None:
    """A notebook thread still finishing can write into the run's folder after the run removed it: the
    command removes it again just before the process exits (remove_abandoned_work_dirs)."""
    import threading

    from readiness import pipeline

    engagement = small_engagement(tmp_path)
    out = tmp_path / "out"
    late_writer: list[threading.Thread] = []

    def interrupted(job_list, work_dir, *args, **kwargs):
        def finish_late() -> None:  # papermill saving the notebook of a kernel that was killed
            time.sleep(0.5)
            (work_dir / "quality").mkdir(parents=True, exist_ok=True)
            (work_dir / "quality" / "visits.ipynb").write_text("{}")

        late_writer.append(threading.Thread(target=finish_late))
        late_writer[0].start()
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "_execute_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.run_engagement(engagement, out=out, jobs=1, echo=lambda line: None)
    late_writer[0].join()
    left = list(out.glob(".safety-client.tmp-*"))
    assert len(left) == 1  # the run removed its folder, the late write made it again
    pipeline.remove_abandoned_work_dirs()
    assert not list(out.glob(".safety-client.tmp-*"))
    # a run that ends well leaves nothing to remove later
    monkeypatch.undo()
    pipeline.run_engagement(engagement, out=out, jobs=1, echo=lambda line: None)
    assert not any(p.parent == out for p in pipeline._abandoned)
