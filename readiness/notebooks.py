"""Execute one stage notebook with papermill, on a private kernel of this same environment."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness.hardening import mask_notebook_outputs, scrub_output_text
from readiness.resources import notebooks_dir

NOTEBOOKS_DIR = notebooks_dir()


@dataclass
class NotebookJob:
    """One notebook execution: which stage, for which subject, with which parameters.

    ``rel_base`` (e.g. ``"quality/customers"``) is where ``.ipynb``/``.html``/``.json`` go,
    relative to the report root; ``wave`` orders jobs that read other jobs' results
    (all jobs of a wave run in parallel, waves run one after the other). ``optional_inputs``
    names path parameters written by an earlier wave that may be absent (that stage failed or
    had nothing to write): they are emptied before the notebook starts, so it runs without them.
    """

    stage: str
    subject: str
    notebook: Path
    parameters: dict[str, Any]
    rel_base: str
    title: str = ""
    wave: int = 0
    optional_inputs: tuple[str, ...] = ()

    def without_missing_inputs(self) -> NotebookJob:
        """This job with every absent optional input path replaced by an empty string."""
        params = dict(self.parameters)
        for name in self.optional_inputs:
            if params.get(name) and not Path(params[name]).exists():
                params[name] = ""
        return dataclasses.replace(self, parameters=params)


def limit_threads(jobs: int) -> None:
    """Share the cores between parallel kernels (they inherit this environment)."""
    per_job = str(max(1, (os.cpu_count() or 1) // max(1, jobs)))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = per_job
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PYTHONHASHSEED"] = "0"


_live_kernels: set[Any] = set()
_live_lock = threading.Lock()


def kill_live_kernels() -> int:
    """Stop every kernel still running (on interrupt), so no stray process outlives the run."""
    with _live_lock:
        managers = list(_live_kernels)
    for km in managers:
        with contextlib.suppress(Exception):
            km.shutdown_kernel(now=True)
    return len(managers)


def _kernel_manager(socket_dir: Path):
    """A kernel on Unix sockets (no TCP port, no plain-text warning) whose own log is discarded.

    The kernel process's stderr carries only ipykernel's housekeeping (e.g. a KeyboardInterrupt
    notice at shutdown); everything a cell prints is captured in the notebook itself.
    """
    from jupyter_client.manager import KernelManager

    class QuietKernelManager(KernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw["stderr"] = subprocess.DEVNULL
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager(kernel_name="python3", transport="ipc", ip=str(socket_dir / "kernel"))


def execute_job(job: NotebookJob, work_dir: Path) -> tuple[str, float, str | None]:
    """Execute one notebook; return ``(status, seconds, one-line error or None)``.

    Never raises for a notebook's own failure: a failing cell, a dead kernel or a timeout
    becomes ``("failed", seconds, "Name: message")`` so the other notebooks go on. The executed
    notebook keeps full tracebacks, but e-mail addresses, phone numbers and card-like numbers
    in its error and stream outputs, and in the returned message, are masked.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out_ipynb = work_dir / f"{job.rel_base}.ipynb"
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    Path(job.parameters["results_dir"]).mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    km = None
    try:
        with tempfile.TemporaryDirectory(prefix="readiness-kernel-") as sockets:
            km = _kernel_manager(Path(sockets))
            with _live_lock:
                _live_kernels.add(km)
            papermill.execute_notebook(
                str(job.notebook),
                str(out_ipynb),
                parameters=job.parameters,
                kernel_name="python3",
                cwd=os.getcwd(),  # relative paths mean what they mean where readiness was started
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                km=km,
            )
        status, error = "ok", None
    except PapermillExecutionError as exc:
        status, error = "failed", f"{exc.ename}: {_first_line(exc.evalue)}"
    except Exception as exc:  # kernel died, timeout, missing kernelspec: report, keep going
        status, error = "failed", f"{type(exc).__name__}: {_first_line(str(exc))}"
    finally:
        with _live_lock:
            _live_kernels.discard(km)
    _mask_outputs(out_ipynb)
    return status, time.perf_counter() - start, None if error is None else scrub_output_text(error)


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
