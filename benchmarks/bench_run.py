"""Benchmark a whole engagement run: every stage, every report, as ``readiness run`` does it.

Prints total wall seconds, seconds per notebook and per stage (from ``run.json``), the time
spent outside notebook execution (planning, HTML rendering, index, moving into place) and peak
memory: this process, the largest single kernel, and all processes together at their peak.

    python benchmarks/bench_run.py                  # the bundled sample client, 2 parallel notebooks
    python benchmarks/bench_run.py path/to/engagement.yaml --jobs 4 --keep

Only the stages the pipeline knows are run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path


class _MemorySampler:
    """Every 50 ms: resident memory of each child process, and of this process plus all children."""

    def __init__(self) -> None:
        self.peak_child = 0
        self.peak_total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.05):
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    rss = child.memory_info().rss
                    total += rss
                    self.peak_child = max(self.peak_child, rss)
            self.peak_total = max(self.peak_total, total)

    def __enter__(self) -> _MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def per_stage(notebooks: list[dict]) -> dict[str, dict[str, float]]:
    """Notebook count, summed seconds and slowest notebook per stage, in run order."""
    stages: dict[str, dict[str, float]] = defaultdict(lambda: {"notebooks": 0, "seconds": 0.0, "slowest": 0.0})
    for nb in notebooks:
        stage = stages[nb["stage"]]
        stage["notebooks"] += 1
        stage["seconds"] += nb["seconds"]
        stage["slowest"] = max(stage["slowest"], nb["seconds"])
    return dict(stages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engagement", nargs="?", type=Path, help="engagement YAML (default: the sample client)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run in parallel (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the reports and print where they are")
    args = parser.parse_args()

    started = time.perf_counter()
    from readiness.pipeline import run_engagement  # import cost is part of the bill

    import_s = time.perf_counter() - started
    out = Path(tempfile.mkdtemp(prefix="readiness-bench-run-"))
    try:
        with _MemorySampler() as memory:
            summary = run_engagement(args.engagement, out=out, jobs=args.jobs, echo=lambda line: None)
        wall = time.perf_counter() - started
        record = json.loads((summary.report_dir / "run.json").read_text(encoding="utf-8"))
        _print(record, wall=wall, import_s=import_s, jobs=args.jobs, memory=memory)
        if args.keep:
            print(f"\nreports kept in {summary.report_dir}")
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)


def _print(record: dict, *, wall: float, import_s: float, jobs: int, memory: _MemorySampler) -> None:
    notebooks = record["notebooks"]
    busy = sum(nb["seconds"] for nb in notebooks)
    print(f"client: {record['client']}  notebooks: {len(notebooks)}  jobs: {jobs}  status: {record['status']}")
    print(f"total wall: {wall:.1f} s (import readiness.pipeline {import_s:.1f} s, run.json says "
          f"{record['seconds']:.1f} s)")
    print(f"notebook seconds summed: {busy:.1f} s; at {jobs} in parallel that is at least {busy / jobs:.1f} s of wall; "
          f"the rest ({max(0.0, record['seconds'] - busy / jobs):.1f} s at most) is checks, rendering, index and "
          "moving into place")
    print("\nper stage:")
    for stage, s in per_stage(notebooks).items():
        print(f"  {stage:<12} {int(s['notebooks']):>3} notebook(s) {s['seconds']:>7.1f} s summed, slowest "
              f"{s['slowest']:.1f} s")
    print("\nper notebook (slowest first):")
    for nb in sorted(notebooks, key=lambda n: -n["seconds"]):
        failed = "" if nb["status"] == "ok" else f"  FAILED: {nb.get('error')}"
        print(f"  {nb['stage'] + '/' + nb['subject']:<32} {nb['seconds']:>6.1f} s{failed}")
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory: this process {self_peak:.0f} MB, largest kernel {memory.peak_child / 2**20:.0f} MB, "
          f"everything at once {memory.peak_total / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
