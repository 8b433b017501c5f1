"""Run a whole engagement: execute each stage notebook with papermill, render reports, write the index.

Output is built in a temporary folder beside the destination and moved into place only when the
run is complete, so an interrupted or failed run never damages an earlier report.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import hashlib
import json
import os
import platform
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from readiness import __version__
from readiness.engagement import Engagement, check_columns, check_spark_path, is_spark, load_engagement, with_engine
from readiness.errors import ConfigError, DataError, PipelineError
from readiness.kernels import KernelPool, kill_live_kernels, limit_threads
from readiness.notebooks import NOTEBOOKS_DIR, NotebookJob, execute_job
from readiness.planning import plan_jobs
from readiness.resources import sample_engagement
from readiness.results import StageResult
from readiness.tables import load_table

SAMPLE_ENGAGEMENT = sample_engagement()


@dataclass
class JobOutcome:
    """What happened to one notebook."""

    stage: str
    subject: str
    title: str
    status: str  # "ok" | "failed"
    seconds: float
    html: str
    verdict: str | None = None
    score: float | None = None
    findings: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunSummary:
    """The result of :func:`run_engagement`."""

    report_dir: Path
    outcomes: list[JobOutcome]
    seconds: float

    @property
    def failed(self) -> list[JobOutcome]:
        return [o for o in self.outcomes if o.status != "ok"]

    @property
    def ok(self) -> bool:
        return not self.failed


def default_jobs() -> int:
    """Parallel notebooks by default: one per core, at most 4 (each kernel needs ~300 MB)."""
    return max(1, min(4, os.cpu_count() or 1))


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_engagement(engagement: Engagement, *, gaps: list[str] | None = None) -> dict[str, int]:
    """Load every table of the engagement and check everything a run would stumble on.

    Checks that every column the engagement names exists (tables and use cases), that each use
    case's positive label, kind, domain and decision effect can be used, and that every stage's
    notebook parameters validate. A table file larger than the engagement's ``max_table_mb`` is
    refused here, before it is loaded. The stage notebooks load tables themselves without that
    limit (their parameters do not carry it), so this check, which every run makes first, is what
    enforces it.

    Parameters
    ----------
    engagement : Engagement
    gaps : list, optional
        When given, filled with what would leave part of a report empty without failing it (e.g. a
        use case whose protected attributes are neither given nor found in the data).

    Returns
    -------
    dict
        Rows per table. Raises :class:`~readiness.errors.ReadinessError` on the first problem
        (all of them in its ``problems``).
    """
    from readiness.engagement.usecases import use_case_gaps, use_case_problems

    rows: dict[str, int] = {}
    columns: dict[str, list[str]] = {}
    frames: dict[str, Any] = {}
    decimals: dict[str, str] = {}
    used = {case.table for case in engagement.use_cases}
    for name, spec in engagement.tables.items():
        if is_spark(spec):  # never loaded whole here: the path must exist (URLs are Spark's), columns checked by Spark
            check_spark_path(engagement, name)
            continue
        loaded = load_table(spec.path, sheet=spec.sheet, name=name, max_bytes=engagement.max_table_bytes)
        rows[name] = len(loaded.frame)
        columns[name] = [str(c) for c in loaded.frame.columns]
        if name in used:
            frames[name], decimals[name] = loaded.frame, loaded.decimal
    check_columns(engagement, columns)
    problems = use_case_problems(engagement, frames)
    if problems:
        more = f" ({len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        error = DataError(problems[0] + more)
        error.problems = problems
        raise error
    plan_jobs(engagement, results_root=Path("reports"))  # every notebook's parameters validate
    if gaps is not None:
        gaps += use_case_gaps(engagement, frames, decimal=decimals)
    return rows


def _read_result(path: Path) -> StageResult | None:
    try:
        return StageResult.load(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _versions() -> dict[str, str]:
    names = ["pandas", "numpy", "scikit-learn", "great-expectations", "papermill", "nbconvert", "pyarrow"]
    found = {"python": platform.python_version(), "readiness": __version__}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _swap_into_place(work_dir: Path, final_dir: Path) -> None:
    """Replace ``final_dir`` by ``work_dir`` with two renames on the same filesystem."""
    old = final_dir.with_name(f".{final_dir.name}.old-{os.getpid()}")
    if final_dir.exists():
        final_dir.rename(old)
    work_dir.rename(final_dir)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def run_engagement(
    engagement_path: str | Path | None = None,
    *,
    out: str | Path = "reports",
    jobs: int | None = None,
    engine: str | None = None,
    spark_master: str | None = None,
    baseline: str | Path | None = None,
    echo: Callable[[str], None] = print,
) -> RunSummary:
    """Assess one client: execute every stage notebook, render the reports and the index.

    Parameters
    ----------
    engagement_path : path, optional
        The engagement YAML. ``None`` runs the bundled sample client.
    out : path
        Folder that receives ``<client-slug>/``.
    jobs : int, optional
        Notebooks executed in parallel (default: one per core, at most 4).
    baseline : path, optional
        An earlier report folder of the same client: the run adds the progress report
        (``progress.html`` / ``progress.json``, notebook ``07_progress.ipynb``) comparing itself
        with it, linked from the index page and the summary.
    echo : callable
        Receives one progress line per notebook.

    Returns
    -------
    RunSummary
        ``report_dir`` is where the reports are. If any notebook failed and an earlier report
        exists, the new one goes to ``<client-slug>.failed/`` and the earlier one is kept.
    """
    started = time.perf_counter()
    engagement = with_engine(load_engagement(engagement_path or SAMPLE_ENGAGEMENT), engine=engine,
                             spark_master=spark_master)
    jobs = jobs or default_jobs()
    if jobs < 1:
        raise PipelineError(f"--jobs: expected a positive number of parallel notebooks, got {jobs}")
    limit_threads(jobs)  # before any kernel starts: kernels inherit the thread limits
    with KernelPool() as kernels:
        return _checked_run(engagement, Path(out).resolve(), jobs=jobs, baseline=baseline, echo=echo,
                            kernels=kernels, started=started)


def _checked_run(engagement: Engagement, out_root: Path, *, jobs: int, baseline: str | Path | None,
                 echo: Callable[[str], None], kernels: KernelPool, started: float) -> RunSummary:
    """:func:`run` once its arguments are read: check, plan, execute on ``kernels``, write, swap into place."""
    _refuse_overlap(engagement, out_root)
    final_dir = out_root / engagement.slug
    baseline_dir = None if baseline is None else check_baseline(baseline, engagement, replaced=final_dir)
    table_rows = check_engagement(engagement)

    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PipelineError(f"{out_root}: cannot create the output folder ({exc.strerror}); choose --out") from exc
    with _run_lock(out_root, engagement.slug):
        _remove_stale_work_dirs(out_root, engagement.slug)
        work_dir = out_root / f".{engagement.slug}.tmp-{os.getpid()}"
        try:  # whatever interrupts the run from here on, its temporary folder goes
            _abandoned.add(work_dir)  # until the run ends well (see remove_abandoned_work_dirs)
            work_dir.mkdir(parents=True)
            kernels.prestart(jobs)  # input checked: the kernels start (and import) while the run is planned
            planned = plan_jobs(engagement, results_root=work_dir)
            if baseline_dir is not None:
                planned = _summary_links_progress(planned, engagement)
            render = functools.partial(_render, engagement, work_dir)
            outcomes = _execute_all(planned, work_dir, jobs, echo, kernels, render=render,
                                    total=len(planned) + (baseline_dir is not None))
            if baseline_dir is not None:  # the comparison reads this run's run.json: write it first, then again
                _write_run_json(engagement, outcomes, work_dir, table_rows, time.perf_counter() - started, jobs)
                outcomes.append(_compare_with_baseline(engagement, baseline_dir, work_dir, len(outcomes) + 1, echo))
                render(outcomes[-1])
            seconds = time.perf_counter() - started
            _write_run_json(engagement, outcomes, work_dir, table_rows, seconds, jobs)
            _write_index(engagement, outcomes, work_dir, seconds)
            target = final_dir
            if any(o.status != "ok" for o in outcomes) and final_dir.exists():
                target = final_dir.with_name(f"{final_dir.name}.failed")
                shutil.rmtree(target, ignore_errors=True)
            _swap_into_place(work_dir, target)
            _abandoned.discard(work_dir)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
    return RunSummary(report_dir=target, outcomes=outcomes, seconds=time.perf_counter() - started)


_abandoned: set[Path] = set()  # temporary folders of runs that did not end well


def remove_abandoned_work_dirs() -> None:
    """Remove the temporary folders of interrupted runs again, just before the process exits.

    A run removes its folder as soon as it is interrupted, but a notebook thread still finishing
    (papermill saving a notebook whose kernel was killed, a report being rendered) can write into
    it, and so make it again, until the process is gone.
    """
    for work_dir in list(_abandoned):
        shutil.rmtree(work_dir, ignore_errors=True)


@contextmanager
def _run_lock(out_root: Path, slug: str) -> Iterator[None]:
    """One run at a time per client and output folder: a second one is refused, not interleaved.

    The lock is an advisory ``flock`` on ``.<slug>.lock``; the kernel releases it when the
    process ends, however it ends, so a killed run never leaves a stale lock behind.
    """
    lock_path = out_root / f".{slug}.lock"
    handle = lock_path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise PipelineError(
            f"{out_root / slug}: another readiness run is writing this report right now; "
            "wait for it to finish or choose another --out"
        ) from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _remove_stale_work_dirs(out_root: Path, slug: str) -> None:
    """Temporary folders left by runs that were killed (we hold the lock, so none is live)."""
    for stale in out_root.glob(f".{slug}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out_root.glob(f".{slug}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _refuse_overlap(engagement: Engagement, out_root: Path) -> None:
    """Refuse an output folder that would overwrite the client's input files."""
    for name, spec in engagement.tables.items():
        data = Path(spec.path).resolve()
        if data.is_relative_to(out_root / engagement.slug):
            raise PipelineError(
                f"{engagement.source.name}: tables.{name}.path lies inside the output folder "
                f"{out_root / engagement.slug}; choose another --out so reruns cannot overwrite client data"
            )


def _execute_all(
    job_list: list[NotebookJob], work_dir: Path, jobs: int, echo: Callable[[str], None], kernels: KernelPool, *,
    render: Callable[[JobOutcome], None] | None = None, total: int | None = None,
) -> list[JobOutcome]:
    """Run the jobs in parallel, each as soon as the earlier jobs it reads are done (:meth:`NotebookJob.waits_for`).

    Of the jobs ready to start, those others wait for and those on larger files go first
    (:func:`_priority`). ``render(outcome)`` is called in the worker thread as soon as a notebook is
    done, so its HTML is written while the other workers' kernels go on.
    """
    def run(job: NotebookJob) -> JobOutcome:
        outcome = _outcome(job, work_dir, *execute_job(job, work_dir, kernels))
        if render is not None:
            render(outcome)
        return outcome

    waits = {i: {j for j, other in enumerate(job_list) if job.waits_for(other)} for i, job in enumerate(job_list)}
    awaited = {j for i, job in enumerate(job_list) if job.reads is not None for j in waits[i]}
    pending = sorted(range(len(job_list)), key=lambda i: _priority(job_list[i], awaited=i in awaited))
    outcomes: dict[int, JobOutcome] = {}
    running: dict[Future, int] = {}
    total = total or len(job_list)  # the progress lines' denominator: more when a notebook follows these
    pool = ThreadPoolExecutor(max_workers=jobs)  # one warm kernel of ``kernels`` per worker thread
    try:
        while pending or running:
            for i in [i for i in pending if waits[i] <= outcomes.keys()][:max(0, jobs - len(running))]:
                pending.remove(i)
                job_list[i] = job_list[i].without_missing_inputs()  # inputs exist (or not) only now
                running[pool.submit(run, job_list[i])] = i
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                i = running.pop(future)
                outcomes[i] = future.result()
                echo(_progress_line(len(outcomes), total, outcomes[i]))
    except BaseException:  # interrupted: stop queued notebooks and kill running kernels
        pool.shutdown(wait=False, cancel_futures=True)
        kill_live_kernels()
        raise
    pool.shutdown(wait=True)
    return [outcomes[i] for i in range(len(job_list))]


def _priority(job: NotebookJob, *, awaited: bool) -> tuple[int, bool, int]:
    """Earlier waves first; within one, jobs a named job waits for (``awaited``; the summary, which
    waits for everything, does not count), then larger input files (they take longest)."""
    path = job.parameters.get("data_path")
    size = Path(path).stat().st_size if isinstance(path, str) and path and Path(path).is_file() else 0
    return job.wave, not awaited, -size


def _outcome(job: NotebookJob, work_dir: Path, status: str, seconds: float, error: str | None) -> JobOutcome:
    outcome = JobOutcome(
        stage=job.stage,
        subject=job.subject,
        title=job.title,
        status=status,
        seconds=round(seconds, 2),
        html=f"{job.rel_base}.html",
        error=error,
        parameters=job.parameters,
    )
    result = _read_result(work_dir / f"{job.rel_base}.json")
    if result is None and status == "ok":
        outcome.status, outcome.error = "failed", "the notebook wrote no result file"
    if result is not None:
        outcome.verdict, outcome.score = result.verdict, result.score
        outcome.findings = result.count_by_severity()
    return outcome


def _progress_line(done: int, total: int, o: JobOutcome) -> str:
    width = len(str(total))
    head = f"[{done:>{width}}/{total}] {o.stage}/{o.subject}"
    if o.status == "ok":
        score = "n/a" if o.score is None else f"{o.score:.1f}/100"
        return f"{head}: ok in {o.seconds:.1f} s, verdict {o.verdict} ({score})"
    return f"{head}: FAILED in {o.seconds:.1f} s: {o.error}"


_render_lock = threading.Lock()


def _render(engagement: Engagement, work_dir: Path, o: JobOutcome) -> None:
    """One executed notebook to its HTML report (one at a time: nbconvert is not known to be thread-safe)."""
    from readiness.render import render_notebook

    ipynb = work_dir / o.html.replace(".html", ".ipynb")
    if not ipynb.exists():
        return
    with _render_lock:
        render_notebook(
            ipynb,
            work_dir / o.html,
            title=o.title,
            subtitle=f"{engagement.client} · data as of {engagement.as_of.isoformat()}",
            status=o.status,
            error=o.error,
            generated_on=date.today().isoformat(),
        )


def _write_run_json(
    engagement: Engagement,
    outcomes: list[JobOutcome],
    work_dir: Path,
    table_rows: dict[str, int],
    seconds: float,
    jobs: int,
) -> None:
    inputs = {"engagement": {"path": str(engagement.source), "sha256": sha256_file(engagement.source)}}
    for name, path in (("survey", engagement.survey), ("checklist", engagement.checklist)):
        if path is not None and Path(path).is_file():  # the summary notebook finds its survey here when run alone
            inputs[name] = {"path": str(path), "sha256": sha256_file(Path(path))}
    for name, spec in engagement.tables.items():
        local_file = not spec.is_url and Path(spec.path).is_file()  # a folder of parts or a URL is not hashed
        inputs[name] = {"path": spec.location, "engine": spec.engine,
                        "sha256": sha256_file(Path(spec.path)) if local_file else None, "rows": table_rows.get(name)}
    record = {
        "client": engagement.client,
        "slug": engagement.slug,
        "as_of": engagement.as_of.isoformat(),
        "seed": engagement.seed,
        "jobs": jobs,
        "seconds": round(seconds, 2),
        "status": "ok" if all(o.status == "ok" for o in outcomes) else "failed",
        "versions": _versions(),
        "inputs": inputs,
        "notebooks": [_public_outcome(o, work_dir) for o in outcomes],
    }
    (work_dir / "run.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _public_outcome(o: JobOutcome, work_dir: Path) -> dict[str, Any]:
    data = asdict(o)
    # paths inside the temporary folder are meaningless after the move: make them report-relative
    inside = str(work_dir)
    data["parameters"] = {
        k: (os.path.relpath(v, work_dir) if isinstance(v, str) and v.startswith(inside) else v)
        for k, v in o.parameters.items()
    }
    return data


def _write_index(engagement: Engagement, outcomes: list[JobOutcome], work_dir: Path, seconds: float) -> None:
    from readiness.render import write_index
    from readiness.scorecard import index_scorecard

    entries = [
        {
            "stage": o.stage,
            "subject": o.subject,
            "title": o.title,
            "status": o.status,
            "verdict": o.verdict,
            "score": o.score,
            "findings": o.findings,
            "html": o.html,
            "seconds": o.seconds,
            "error": o.error,
        }
        for o in outcomes
    ]
    summary = work_dir / "summary.json"
    write_index(
        work_dir,
        client=engagement.client,
        as_of=engagement.as_of.isoformat(),
        entries=entries,
        generated_on=date.today().isoformat(),
        run_seconds=seconds,
        scorecard=index_scorecard(summary) if summary.exists() else None,
        progress=_index_progress(work_dir),
    )


def _index_progress(work_dir: Path) -> dict[str, Any] | None:
    """The progress box of the index page, when the run compared itself with a baseline."""
    path = work_dir / "progress.json"
    if not path.exists():
        return None
    from readiness.progress import index_progress

    return index_progress(path, href="progress.html")


# ---------------------------------------------------------------- progress between two runs


def check_baseline(baseline: str | Path, engagement: Engagement, *, replaced: Path | None = None) -> Path:
    """The ``--baseline`` folder, checked before any notebook runs: a report folder of this client.

    Raises
    ------
    ReadinessError
        It is not a report folder, its ``run.json`` names another client, or it is the folder
        this run replaces (its reports would be gone once the run ends).
    """
    from readiness.progress import read_run

    run = read_run(baseline, role="--baseline")
    if run.record.slug != engagement.slug or run.record.client != engagement.client:
        raise ConfigError(f"--baseline {baseline}: its run.json is for client {run.record.client!r}, not "
                          f"{engagement.client!r} of {engagement.source.name}; give an earlier report folder of the "
                          "same client")
    path = run.path.resolve()
    if replaced is not None and path == replaced.resolve():
        raise ConfigError(f"--baseline {baseline} is the folder this run replaces; copy it first (e.g. to "
                          f"{path.name}-{run.record.as_of or 'before'}) and pass the copy, or choose another --out")
    return path


def _summary_links_progress(planned: list[NotebookJob], engagement: Engagement) -> list[NotebookJob]:
    """The summary is told a progress report is planned (``expected``), so it links the report written after it."""
    return [dataclasses.replace(job, parameters={**job.parameters, "expected": {
        **job.parameters.get("expected", {}), "progress": [engagement.slug]}}) if job.stage == "summary" else job
        for job in planned]


def _compare_with_baseline(engagement: Engagement, baseline_dir: Path, work_dir: Path, number: int,
                           echo: Callable[[str], None]) -> JobOutcome:
    """The progress notebook, once every other result and run.json are written; run in this process like
    ``readiness compare`` (it only reads JSON files, so a kernel would mostly cost its start-up)."""
    from readiness.progress import TITLE, ProgressParams
    from readiness.progress.inline import execute_in_process

    params = ProgressParams.from_mapping({"baseline_dir": str(baseline_dir), "reports_dir": str(work_dir),
                                          "results_dir": str(work_dir)}, where="--baseline")
    job = NotebookJob(stage="progress", subject=engagement.slug, notebook=NOTEBOOKS_DIR / params.notebook,
                      parameters=params.notebook_parameters(), rel_base="progress", title=TITLE)
    outcome = _outcome(job, work_dir, *execute_in_process(job.notebook, job.parameters, work_dir / "progress.ipynb"))
    echo(_progress_line(number, number, outcome))
    return outcome


__all__ = ["SAMPLE_ENGAGEMENT", "JobOutcome", "RunSummary", "check_baseline", "check_engagement", "plan_jobs",
           "run_engagement"]
