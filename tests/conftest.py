"""Shared fixtures: paths to the sample client, one end-to-end run reused by several tests, one Spark session."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = PROJECT_ROOT / "sample_data" / "harbour_physio"
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


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


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> CliRun:
    """``readiness run`` on the bundled sample client (no engagement argument), once per session."""
    out = tmp_path_factory.mktemp("reports")
    proc = run_cli("run", "--out", str(out), "--jobs", "2")
    return CliRun(proc.returncode, proc.stdout, proc.stderr, out)


@pytest.fixture(scope="session")
def sample_report_dir(sample_run: CliRun) -> Path:
    """The sample client's report folder (``<out>/harbour-physio-group``)."""
    assert sample_run.returncode == 0, sample_run.stderr[-3000:]
    return sample_run.out_dir / "harbour-physio-group"
