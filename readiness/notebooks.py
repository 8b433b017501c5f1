"""Execute stage notebooks with papermill, on warm kernels of this same environment.

A :class:`NotebookJob` says which notebook runs with which parameters and what it waits for;
:func:`execute_job` runs it on a kernel of a :class:`readiness.kernels.KernelPool` and masks
personal values in what the executed notebook shows.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness.hardening import mask_notebook_outputs, scrub_output_text
from readiness.kernels import Kernel, KernelPool
from readiness.resources import notebooks_dir

NOTEBOOKS_DIR = notebooks_dir()


@dataclass
class NotebookJob:
    """One notebook execution: which stage, for which subject, with which parameters.

    ``rel_base`` (e.g. ``"quality/customers"``) is where ``.ipynb``/``.html``/``.json`` go,
    relative to the report root; ``wave`` orders jobs that read other jobs' results: a job
    starts once the jobs of earlier waves it ``reads`` are done (their ``rel_base``, or a folder
    such as ``"feasibility/"``; None: every job of an earlier wave). ``optional_inputs`` names
    path parameters written by an earlier job that may be absent (that stage failed or had
    nothing to write): they are emptied before the notebook starts, so it runs without them.
    """

    stage: str
    subject: str
    notebook: Path
    parameters: dict[str, Any]
    rel_base: str
    title: str = ""
    wave: int = 0
    optional_inputs: tuple[str, ...] = ()
    reads: tuple[str, ...] | None = None

    def waits_for(self, other: NotebookJob) -> bool:
        """Whether this job must wait for ``other`` (an earlier wave's job whose results it reads)."""
        if other.wave >= self.wave:
            return False
        return self.reads is None or any(
            other.rel_base == r or (r.endswith("/") and other.rel_base.startswith(r)) for r in self.reads)

    def without_missing_inputs(self) -> NotebookJob:
        """This job with every absent optional input path replaced by an empty string."""
        params = dict(self.parameters)
        for name in self.optional_inputs:
            if params.get(name) and not Path(params[name]).exists():
                params[name] = ""
        return dataclasses.replace(self, parameters=params)



def execute_job(job: NotebookJob, work_dir: Path, pool: KernelPool | None = None) -> tuple[str, float, str | None]:
    """Execute one notebook; return ``(status, seconds, one-line error or None)``.

    On a warm kernel of ``pool`` when given, else on a kernel of its own. Never raises for a
    notebook's own failure: a failing cell, a dead kernel or a timeout becomes
    ``("failed", seconds, "Name: message")`` so the other notebooks go on. The executed notebook
    keeps full tracebacks, but e-mail addresses, phone numbers and card-like numbers in its error
    and stream outputs, and in the returned message, are masked.
    """
    out_ipynb = work_dir / f"{job.rel_base}.ipynb"
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    Path(job.parameters["results_dir"]).mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    own = pool is None
    with KernelPool() if own else contextlib.nullcontext(pool) as kernels:
        status, error = "failed", None
        kernel = None
        try:
            kernel = kernels.acquire()
            status, error = _execute(job, out_ipynb, kernel)
        except Exception as exc:  # the kernel would not start or reset: report, keep going
            error = f"{type(exc).__name__}: {_first_line(str(exc))}"
        finally:
            if kernel is not None:
                kernels.release(kernel, failed=status != "ok")
    _mask_outputs(out_ipynb)
    return status, time.perf_counter() - start, None if error is None else scrub_output_text(error)


def _execute(job: NotebookJob, out_ipynb: Path, kernel: Kernel) -> tuple[str, str | None]:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(job.notebook),
            str(out_ipynb),
            parameters=job.parameters,
            kernel_name="python3",
            cwd=os.getcwd(),  # relative paths mean what they mean where readiness was started
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            km=kernel.manager,
        )
    except PapermillExecutionError as exc:
        return "failed", f"{exc.ename}: {_first_line(exc.evalue)}"
    except Exception as exc:  # kernel died, timeout, missing kernelspec: report, keep going
        return "failed", f"{type(exc).__name__}: {_first_line(str(exc))}"
    return "ok", None


def _mask_outputs(out_ipynb: Path) -> None:
    """Mask personal values quoted by tracebacks and printed lines before anything reads the notebook.

    A notebook that cannot be read back is deleted rather than published unmasked.
    """
    if not out_ipynb.exists():
        return
    try:
        mask_notebook_outputs(out_ipynb)
    except (OSError, ValueError):
        out_ipynb.unlink(missing_ok=True)


def _first_line(text: str) -> str:
    text = (text or "").strip()
    return text.splitlines()[0][:300] if text else ""
