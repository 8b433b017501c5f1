"""Benchmark ``readiness compare`` on two runs of the sample client: the median wall time of the command.

Each repeat is a fresh ``python -m readiness.cli compare BEFORE AFTER --out TMP`` process, so start-up
and imports are part of the bill, as they are for an analyst. Without ``--before``/``--after`` the
two runs are made first (about two minutes): the bundled sample and its later extract
(``sample_data/harbour_physio/later/``, else the sample again). ``--kernel`` also times the other
way to build the same report: the notebook executed by papermill on a kernel, then rendered (what
``readiness run --baseline`` does inside a run).

    python benchmarks/bench_compare.py
    python benchmarks/bench_compare.py --before reports/2026-06/x --after reports/2026-12/x --repeat 9 --kernel
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "harbour_physio"
SLUG = "harbour-physio-group"


def make_runs(work: Path) -> tuple[Path, Path]:
    """The sample and its later extract, each through ``readiness run``."""
    later = SAMPLE / "later" / "engagement.yaml"
    runs = []
    for name, engagement in (("before", SAMPLE / "engagement.yaml"), ("after", later if later.is_file() else None)):
        engagement = engagement or SAMPLE / "engagement.yaml"
        print(f"readiness run {engagement.relative_to(ROOT)} ...", flush=True)
        subprocess.run([sys.executable, "-m", "readiness.cli", "run", str(engagement), "--out", str(work / name),
                        "--jobs", "2"], check=True, capture_output=True, text=True)
        runs.append(work / name / SLUG)
    return runs[0], runs[1]


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def kernel_command(before: Path, after: Path, out: Path) -> list[str]:
    """The same report built the ``--baseline`` way: papermill on a kernel, then the offline render."""
    script = (
        "import sys, papermill\n"
        "from pathlib import Path\n"
        "from readiness.render import render_notebook\n"
        "before, after, out = map(Path, sys.argv[1:4])\n"
        "papermill.execute_notebook(str(Path(sys.argv[4]) / '07_progress.ipynb'), str(out / 'progress.ipynb'),\n"
        "    parameters={'baseline_dir': str(before), 'reports_dir': str(after), 'results_dir': str(out)},\n"
        "    kernel_name='python3', progress_bar=False)\n"
        "render_notebook(out / 'progress.ipynb', out / 'progress.html', title='Progress', generated_on='bench')\n"
    )
    return [sys.executable, "-c", script, str(before), str(after), str(out), str(ROOT / "notebooks")]


def report(label: str, samples: list[tuple[float, float]]) -> float:
    walls = [w for w, _ in samples]
    cpus = [c for _, c in samples]
    median = statistics.median(walls)
    print(f"{label}: median {median:.2f} s wall (min {min(walls):.2f}, max {max(walls):.2f}; "
          f"median CPU {statistics.median(cpus):.2f} s) over {len(samples)} runs")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="the earlier report folder (default: run the sample)")
    parser.add_argument("--after", type=Path, help="the later report folder (default: run the later extract)")
    parser.add_argument("--repeat", type=int, default=7, help="compares to time (default 7)")
    parser.add_argument("--kernel", action="store_true", help="also time the notebook on a papermill kernel")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="readiness-bench-compare-"))
    try:
        before, after = (args.before, args.after) if args.before and args.after else make_runs(work)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        out = work / "out"
        command = [sys.executable, "-m", "readiness.cli", "compare", str(before), str(after), "--out", str(out)]
        timed(command)  # warm the file cache; not counted
        median = report("readiness compare", [timed(command) for _ in range(args.repeat)])
        if args.kernel:
            out.mkdir(exist_ok=True)
            report("papermill kernel + render", [timed(kernel_command(before, after, out))
                                                 for _ in range(max(3, args.repeat // 2))])
        print(f"compare {'meets' if median < 5 else 'MISSES'} the 5 s budget on this machine")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
