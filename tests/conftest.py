"""Shared fixtures: paths to the sample client, one end-to-end run reused by several tests, one Spark session."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = PROJECT_ROOT / "sample_data" / "harbour_physio"
LATER_DIR = SAMPLE_DIR / "later"
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules holding slow end-to-end tests run first, their slow tests leading; the rest follow in file order.

    pytest-xdist gives each worker a contiguous part of this list and lets an idle worker take the
    end of another's queue. With the long tests first, the session ends on short ones instead of one
    worker running a minute-long Spark test alone while the other waits (a whole run on two
    workers: 707 s -> 645 s, both busy to the end). Modules stay whole, so a module's fixtures are
    still set up once per worker.
    """
    first = {}
    for i, item in enumerate(items):
        first.setdefault(item.path, i)
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: (item.path not in slow, first[item.path], item.get_closest_marker("slow") is None))


def any_of(values: Iterable[str]) -> re.Pattern[str]:
    """One pattern that finds any of ``values`` in a text, as ``any(v in text for v in values)`` would.

    The values are laid out as a trie (one branch per shared prefix), so a search walks each text
    once instead of once per value: thousands of planted values across a run's outputs take well
    under a second instead of a minute.
    """
    trie: dict = {}
    for value in values:
        node = trie
        for char in value:
            node = node.setdefault(char, {})
        node[""] = {}  # a value ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if "" not in node:
            return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + "|".join(branches) + ")?" if branches else ""

    if not trie:
        return re.compile(r"(?!)")  # finds nothing
    return re.compile(pattern(trie))


def require_pyspark(*, module: bool = False) -> None:
    """Skip when PySpark is missing; under CI fail instead, since CI runs every Spark test."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI runs the Spark tests but PySpark is missing: pip install -e '.[dev,spark]'", pytrace=False)
        pytest.skip("PySpark is not installed (pip install 'readiness[spark]')", allow_module_level=module)


@pytest.fixture(scope="session")
def spark():
    """One local Spark session shared by every Spark test (starting one costs about 5 s)."""
    require_pyspark()
    from readiness.sources.spark import spark_session

    session = spark_session(master="local[2]", driver_memory="2g")
    yield session
    session.stop()


@dataclass
class CliRun:
    """A finished ``readiness`` command."""

    returncode: int
    stdout: str
    stderr: str
    out_dir: Path


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run the real console entry point in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "readiness.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


def shared_run(tmp_path_factory: pytest.TempPathFactory, name: str, *args: str,
               prepare: Callable[[Path], list[str]] | None = None) -> CliRun:
    """``readiness ARGS --out <folder>`` once per test session, however many workers the session has.

    With pytest-xdist each worker has a session of its own; the first worker to ask runs the
    command under a lock, the others wait and read its outcome from ``<name>/outcome.json``.
    ``prepare(folder)``, when given, writes what the command reads into ``folder`` and returns
    the arguments that go before ``ARGS``.
    """
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = root / name, root / name / "outcome.json"
    with _exclusive(root / f"{name}.lock"):
        if not done.exists():
            out = folder / "reports"
            out.mkdir(parents=True, exist_ok=True)
            first = prepare(folder) if prepare is not None else []
            proc = run_cli(*first, *args, "--out", str(out))
            done.write_text(json.dumps({"returncode": proc.returncode, "stdout": proc.stdout,
                                        "stderr": proc.stderr, "out_dir": str(out)}))
    found = json.loads(done.read_text())
    return CliRun(found["returncode"], found["stdout"], found["stderr"], Path(found["out_dir"]))


@contextlib.contextmanager
def _exclusive(path: Path, timeout_s: float = 1800) -> Iterator[None]:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} held for {timeout_s:.0f} s") from None
            time.sleep(0.5)
    try:
        yield
    finally:
        os.close(handle)
        path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> CliRun:
    """``readiness run`` on the bundled sample client (no engagement argument), once per session."""
    return shared_run(tmp_path_factory, "sample-run", "run", "--jobs", "2")


@pytest.fixture(scope="session")
def sample_report_dir(sample_run: CliRun) -> Path:
    """The sample client's report folder (``<out>/harbour-physio-group``)."""
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    return sample_run.out_dir / "harbour-physio-group"


@pytest.fixture(scope="session")
def later_run(tmp_path_factory: pytest.TempPathFactory, sample_report_dir: Path) -> CliRun:
    """The sample client six months on, as the README's cycle runs it, once per session.

    ``readiness run`` on the later extract (``sample_data/harbour_physio/later``) with the first
    run as ``--baseline``, and the no-show pilot's log (``pilot/no_show_pilot.csv``) named in its
    use case, so one run has every stage, the pilot review and the progress report.
    """
    import yaml

    def prepare(folder: Path) -> list[str]:
        client = folder / "client"
        shutil.copytree(LATER_DIR, client)
        shutil.copytree(SAMPLE_DIR / "pilot", client / "pilot")
        doc = yaml.safe_load((client / "engagement.yaml").read_text(encoding="utf-8"))
        next(c for c in doc["use_cases"] if c["id"] == "no_show")["pilot"] = {"log": "pilot/no_show_pilot.csv"}
        (client / "engagement.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        return ["run", str(client / "engagement.yaml")]

    return shared_run(tmp_path_factory, "later-run", "--jobs", "2", "--baseline", str(sample_report_dir),
                      prepare=prepare)


@pytest.fixture(scope="session")
def later_report_dir(later_run: CliRun) -> Path:
    """The later run's report folder (``<out>/harbour-physio-group``)."""
    assert later_run.returncode == 0, later_run.stderr[-3000:]
    return later_run.out_dir / "harbour-physio-group"
