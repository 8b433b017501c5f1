"""Write the progress report of two report folders: what ``readiness compare`` does.

The notebook runs in this process (:mod:`readiness.progress.inline`) and is rendered by the
``render`` function the caller passes (the command line passes
:func:`readiness.render.render_notebook`, the renderer of every report), so the stage does not
reach up to the rendering layer. ``readiness run --baseline`` runs the notebook the same way, once
the run's other results and ``run.json`` are written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from readiness.errors import PipelineError
from readiness.progress.entry import RESULT_FILE
from readiness.progress.inline import execute_in_process
from readiness.progress.params import ProgressParams
from readiness.progress.runs import read_run, same_client
from readiness.resources import notebooks_dir
from readiness.results import StageResult

TITLE = "Progress since the last assessment"
FILES = ("progress.ipynb", RESULT_FILE, "progress.html")


@dataclass
class ProgressRun:
    """What :func:`write_progress_report` wrote: the report, its status and result."""

    report_dir: Path
    status: str  # "ok" or "failed"
    seconds: float
    error: str | None = None
    result: StageResult | None = None

    @property
    def html(self) -> Path:
        """The progress report's page."""
        return self.report_dir / "progress.html"


def write_progress_report(before: str | Path, after: str | Path, *, out: str | Path | None = None,
                          render: Callable[..., Any], generated_on: str | None = None) -> ProgressRun:
    """Compare two report folders of one client; write ``progress.html``, ``.json`` and ``.ipynb`` into ``out``.

    Parameters
    ----------
    before, after : path
        The earlier and the later report folder, each written by ``readiness run``.
    out : path, optional
        Folder for the report (default: ``after``). The files are written in a temporary folder
        inside it, then moved into place, so a failure leaves no half-written report.
    render : callable
        ``render(ipynb, html, *, title, subtitle, status, error, generated_on)``, e.g.
        :func:`readiness.render.render_notebook`.
    generated_on : str, optional
        The date in the footer (default: today).

    Returns
    -------
    ProgressRun

    Raises
    ------
    ReadinessError
        A folder is not a report folder, the two runs are of different clients, or ``out``
        cannot be written.
    """
    started = time.perf_counter()
    baseline, later = read_run(before, role="BEFORE"), read_run(after, role="AFTER")
    same_client(baseline, later)
    out_dir = Path(out or after).resolve()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".progress-", dir=out_dir))
    except OSError as exc:
        raise PipelineError(f"{out_dir}: cannot write the progress report there ({exc.strerror}); choose --out") \
            from exc
    try:
        params = ProgressParams.from_mapping({"baseline_dir": str(baseline.path.resolve()),
                                              "reports_dir": str(later.path.resolve()), "results_dir": str(tmp)})
        status, _, error = execute_in_process(notebooks_dir() / params.notebook, params.notebook_parameters(),
                                              tmp / FILES[0])
        result = _result(tmp / RESULT_FILE)
        if result is None and status == "ok":
            status, error = "failed", "the notebook wrote no result file"
        subtitle = (f"{later.record.client} · data as of {later.record.as_of}, compared with the assessment as of "
                    f"{baseline.record.as_of}")
        render(tmp / FILES[0], tmp / FILES[2], title=TITLE, subtitle=subtitle, status=status, error=error,
               generated_on=generated_on or date.today().isoformat())
        for name in FILES:
            if (tmp / name).exists():
                os.replace(tmp / name, out_dir / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ProgressRun(out_dir, status, time.perf_counter() - started, error, result)


def _result(path: Path) -> StageResult | None:
    try:
        return StageResult.load(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None
