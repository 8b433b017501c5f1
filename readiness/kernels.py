"""Warm Jupyter kernels for a run: started, cleared between notebooks, replaced, killed.

A run keeps one warm kernel per parallel worker (:class:`KernelPool`): a kernel's start and the
heavy imports (pandas, scikit-learn, Great Expectations) are paid once per worker, not once per
notebook. Between notebooks the kernel's namespace is cleared and its execution counter reset, so
each notebook starts as on a fresh kernel with its modules already imported; a kernel that died
or grew past :data:`MAX_KERNEL_MB` is replaced. Kernels talk over Unix sockets in a private
temporary folder, which leaves nothing behind when it is removed.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
    """Kill every kernel still running (on interrupt), so no stray process outlives the run.

    A plain SIGKILL to each kernel's process: a graceful shutdown would talk to the kernel
    manager that a notebook thread may be using at that moment, and can wait on it.
    """
    with _live_lock:
        managers = list(_live_kernels)
    for km in managers:
        _kill(km)
    return len(managers)


def _kill(km: Any) -> None:
    process = getattr(getattr(km, "provisioner", None), "process", None)
    with contextlib.suppress(AttributeError, OSError):
        os.kill(process.pid, signal.SIGKILL)


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

        def client(self, **kw: Any) -> Any:
            # papermill leaves the client it makes on a kernel it does not own open; close it later
            kc = super().client(**kw)
            self.clients.append(kc)
            return kc

        def close_clients(self) -> None:
            while self.clients:
                with contextlib.suppress(Exception):
                    self.clients.pop().stop_channels()

    # the connection file beside the sockets, so removing the folder leaves nothing behind
    km = QuietKernelManager(kernel_name="python3", transport="ipc", ip=str(socket_dir / "kernel"),
                            connection_file=str(socket_dir / "kernel.json"))
    km.clients = []
    return km


MAX_KERNEL_MB = 1500  # a kernel holding more than this after a notebook is replaced, not reused
# A new history session too: numbering cells from 1 again in the old one makes IPython complain.
# What survives a reset (modules, their caches) is frozen out of the cyclic collector's reach, so
# later resets and the notebooks' own collections no longer walk every object of pandas, GX and
# scikit-learn: a reset took about 0.6 s with those imported, 0.1 s after the first freeze.
_RESET = "get_ipython().reset(new_session=True)\nimport gc as _gc; _gc.collect(); _gc.freeze(); del _gc"
# What a new kernel of a run imports before its first notebook (in a function: the namespace stays empty).
_WARM_UP = """def _warm_up():
    import matplotlib.pyplot, numpy, pandas, pyarrow, scipy.stats, sklearn.ensemble, sklearn.linear_model
    import sklearn.model_selection, sklearn.pipeline, sklearn.preprocessing
_warm_up(); del _warm_up
""" + _RESET


@dataclass
class Kernel:
    """A kernel of a :class:`KernelPool`: its manager, its socket folder, how many notebooks it ran."""

    manager: Any
    sockets: tempfile.TemporaryDirectory
    used: int = 0
    clearing: tuple[Any, str] | None = None  # a request not yet answered (reset, warm-up): (client, message id)


class KernelPool:
    """Warm kernels, one per worker thread, reused notebook after notebook (see the module's docstring).

    Use it as a context manager: leaving it shuts every kernel down.
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._kernels: list[Kernel] = []
        self._lock = threading.Lock()
        self._spares: queue.Queue[Kernel | None] = queue.Queue()
        self._spares_promised = 0
        self._starters: list[threading.Thread] = []
        self._closed = False  # set on leaving: no kernel starts after that
        self._folders: list[str] = []  # every socket folder the pool made, removed for sure when it is left

    def prestart(self, n: int) -> None:
        """Start ``n`` kernels now, in the background, for the worker threads' first notebooks.

        Each imports the libraries every stage uses (:data:`_WARM_UP`) as soon as it is up, so the
        kernels' start overlaps whatever the caller does next (a run checks and plans first).
        """
        def start() -> None:
            try:
                kernel = self._launch()
                self._give_request(kernel, _send(kernel.manager, _WARM_UP))
            except Exception:  # the thread that takes it starts a kernel of its own
                kernel = None
            self._spares.put(kernel)

        for _ in range(n):
            with self._lock:
                self._spares_promised += 1
            thread = threading.Thread(target=start, name="start-kernel", daemon=True)
            self._starters.append(thread)
            thread.start()

    def _take_spare(self) -> Kernel | None:
        with self._lock:
            if not self._spares_promised:
                return None
            self._spares_promised -= 1
        return self._spares.get()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.shutdown()
        else:  # interrupted: kill, do not talk to kernels that notebook threads may still be using
            with self._lock:
                self._closed = True  # a notebook thread still going cannot start a kernel past this point
            for thread in self._starters:  # a spare still starting is killed too, once it is up
                thread.join(timeout=60)
            with self._lock:
                kernels, self._kernels = self._kernels, []
            for kernel in kernels:
                _kill(kernel.manager)
                with _live_lock:
                    _live_kernels.discard(kernel.manager)
                self._close_after_kill(kernel)
            # a notebook thread may still be retiring its kernel (it left the list, its folder not yet
            # removed) when the process exits: remove the folders here too
            for folder in self._folders:
                shutil.rmtree(folder, ignore_errors=True)

    def _close_after_kill(self, kernel: Kernel) -> None:
        """Close the sockets the pool itself holds for a killed kernel: a request no thread awaits,
        and the manager's control socket (notebook threads use clients of their own).

        Left to the garbage collector, a zmq context collected in one cycle with its sockets waits
        for them forever, freezing whichever long-running process (a notebook, a test run) collects it.
        """
        pending = self._take_request(kernel)
        if pending is not None:
            with contextlib.suppress(Exception):
                pending[0].context.destroy(linger=0)
        with contextlib.suppress(Exception):
            kernel.manager.cleanup_resources()
        with contextlib.suppress(Exception):
            kernel.sockets.cleanup()

    def _take_request(self, kernel: Kernel) -> tuple[Any, str] | None:
        """The kernel's pending request (see :func:`_send`), now owned by the caller alone."""
        with self._lock:
            pending, kernel.clearing = kernel.clearing, None
        return pending

    def _give_request(self, kernel: Kernel, request: tuple[Any, str]) -> None:
        with self._lock:
            kernel.clearing = request

    def acquire(self) -> Kernel:
        """This thread's kernel, started on first use or after it died, cleared when it ran a notebook before."""
        kernel = getattr(self._local, "kernel", None)
        if kernel is None:
            kernel = self._take_spare()
            self._local.kernel = kernel
        if kernel is not None and not kernel.manager.is_alive():
            self._retire(kernel)
            kernel = None
        if kernel is None:
            kernel = self._start()
            pending = None
        else:  # a reset sent after its last notebook, or a spare's first imports, still under way
            pending = self._take_request(kernel)
            if pending is None and kernel.used:
                pending = _send(kernel.manager, _RESET)
        if pending is not None:
            try:
                _await_reply(kernel.manager, *pending)
            except Exception:  # a kernel that cannot be cleared is not reused
                self._retire(kernel)
                kernel = self._start()
        kernel.used += 1
        return kernel

    def release(self, kernel: Kernel, *, failed: bool) -> None:
        """After a notebook: replace the kernel when the notebook failed or left it too large, else start
        clearing it (the reply is awaited by the next :meth:`acquire`, so the clearing overlaps the
        rendering of this notebook's report)."""
        kernel.manager.close_clients()
        if failed or _rss_mb(kernel.manager) > MAX_KERNEL_MB:
            self._retire(kernel)
            return
        try:
            self._give_request(kernel, _send(kernel.manager, _RESET))
        except Exception:
            self._retire(kernel)

    def shutdown(self) -> None:
        """Stop every kernel of the pool (spares still starting included)."""
        with self._lock:
            self._closed = True
        for thread in self._starters:
            thread.join()
        for kernel in list(self._kernels):
            self._retire(kernel)

    def _start(self) -> Kernel:
        """A new kernel for this thread."""
        kernel = self._launch()
        self._local.kernel = kernel
        return kernel

    def _launch(self) -> Kernel:
        """A new kernel, registered with the pool before it starts (so leaving the pool stops it too)."""
        _sweep_orphaned_socket_dirs()
        with self._lock:  # the folder too is made under the lock: leaving the pool sees every folder
            if self._closed:  # the run is being stopped: start nothing more
                raise RuntimeError("the kernel pool is closed")
            sockets = tempfile.TemporaryDirectory(prefix=SOCKET_DIR_PREFIX)
            (Path(sockets.name) / "owner").write_text(str(os.getpid()))
            self._folders.append(sockets.name)
            kernel = Kernel(_kernel_manager(Path(sockets.name)), sockets)
            self._kernels.append(kernel)
            with _live_lock:  # known before it starts, so an interrupt during its start kills it too
                _live_kernels.add(kernel.manager)
        kernel.manager.start_kernel()
        return kernel

    def _retire(self, kernel: Kernel) -> None:
        with self._lock:  # once only, whichever thread comes first
            if kernel not in self._kernels:
                return
            self._kernels.remove(kernel)
        kernel.manager.close_clients()
        with contextlib.suppress(Exception):
            kernel.manager.shutdown_kernel(now=True)
        with _live_lock:
            _live_kernels.discard(kernel.manager)
        with contextlib.suppress(Exception):
            kernel.sockets.cleanup()
        if getattr(self._local, "kernel", None) is kernel:
            self._local.kernel = None


SOCKET_DIR_PREFIX = "readiness-kernel-"


def _sweep_orphaned_socket_dirs() -> None:
    """Remove kernel folders whose run was killed outright (SIGKILL) and could not clean up.

    Each folder names the process that made it (``owner``); a folder whose owner is gone holds
    only dead sockets and a connection file.
    """
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKET_DIR_PREFIX}*"):
        try:
            owner = int((folder / "owner").read_text())
        except (OSError, ValueError):
            continue  # not one of ours, or still being made
        if owner != os.getpid() and not _process_exists(owner):
            shutil.rmtree(folder, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _send(km: Any, code: str) -> tuple[Any, str]:
    """Ask a kernel to run ``code`` (:data:`_RESET`, :data:`_WARM_UP`) silently, on a client of its own; do not wait.

    papermill talks to the kernel through a client it makes; a client made before that run no
    longer gets replies afterwards, so each request opens its own (closed by :func:`_await_reply`).
    The request is queued by the client's socket until it connects, so no handshake is awaited.
    """
    import zmq

    kc = km.client()
    # No heartbeat: one stopped while its thread is still starting spins, opening sockets until the
    # process runs out of files. Every other channel is started, so that stopping the client closes
    # them all (stopping one never started would open its socket and leave it open).
    kc.start_channels(hb=False)
    # A request the kernel never reads (it was killed first) must not hold the client's context
    # open: left to the garbage collector, that context would wait for the message forever,
    # freezing whichever long-running process (a notebook, a test run) happened to collect it.
    for channel in (kc.shell_channel, kc.iopub_channel, kc.stdin_channel, kc.control_channel):
        channel.socket.setsockopt(zmq.LINGER, 0)
    return kc, kc.execute(code, silent=True, store_history=False)


def _await_reply(km: Any, kc: Any, msg_id: str, *, timeout: float = 120) -> None:
    """Wait for the reply to :func:`_send`; raise when the code failed."""
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                reply = kc.get_shell_msg(timeout=1)
            except queue.Empty:  # no reply yet: go on waiting while the kernel lives, up to the timeout
                if not km.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError("the kernel did not answer") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                break
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"the kernel could not be cleared: {reply['content'].get('evalue', '')}")
    finally:
        km.close_clients()


def _rss_mb(km: Any) -> float:
    """A kernel process's resident memory in MB (0 where /proc is not there to say)."""
    try:
        pid = km.provisioner.process.pid
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (AttributeError, OSError, ValueError):
        pass
    return 0.0
