"""The built wheel runs outside the checkout: notebooks and the sample client ship inside it.

The wheel is built from the checkout and installed, without its dependencies, into a fresh virtual
environment whose only other packages are this environment's (a ``.pth`` file points at them, and
``JUPYTER_PATH`` at their data files such as nbconvert's templates), then
``readiness run`` is started from a folder outside the checkout, as a user of the installed package
would. Its results must equal those of the checkout's own run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the built wheel installed; returns its ``bin`` folder."""
    root = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(PROJECT_ROOT), "-w",
                            str(root / "dist")], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((root / "dist").glob("readiness-*.whl"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # the dependencies come from this environment; the editable checkout is not on that path
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin"


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    # the dependencies' data files (nbconvert's templates, the kernel spec) live beside them, not in the new venv
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return subprocess.run([str(bin_dir / "readiness"), *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=900)


def test_the_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "python"), "-c", "import readiness.resources as r; "
                            "print(r.PACKAGE_DIR); print(r.notebooks_dir()); print(r.sample_engagement())"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout.split()
    assert not Path(where[0]).is_relative_to(PROJECT_ROOT)
    assert Path(where[1]).is_relative_to(where[0]) and Path(where[2]).is_relative_to(where[0])


def test_readiness_run_works_outside_the_checkout(installed: Path, tmp_path: Path, sample_report_dir: Path) -> None:
    done = _run(installed, "run", "--out", str(tmp_path / "reports"), "--jobs", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = tmp_path / "reports" / "harbour-physio-group"
    assert (report / "index.html").is_file()
    def results(folder: Path) -> list[Path]:  # not run.json (times) nor the Great Expectations project (its ids)
        found = (p.relative_to(folder) for p in folder.rglob("*.json"))
        return sorted(p for p in found if p.name != "run.json" and "gx" not in p.parts)

    ours, theirs = results(sample_report_dir), results(report)
    assert ours == theirs
    for rel in ours:  # the packaged sample gives the checkout's results
        assert json.loads((report / rel).read_text()) == json.loads((sample_report_dir / rel).read_text()), rel


def test_new_sample_copies_the_sample_client_out(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, "new", "study", "--sample", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    names = {p.name for p in (tmp_path / "study").iterdir()}
    assert {"engagement.yaml", "customers.csv", "appointments.csv", "survey.yaml"} <= names
    checked = _run(installed, "check", "study/engagement.yaml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
