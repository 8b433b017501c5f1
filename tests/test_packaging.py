"""environment.yml (conda) stays in step with pyproject.toml (pip)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from conftest import PROJECT_ROOT


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_matches_pyproject_dependencies() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))

    conda_specs = dict(_split(d.replace("=", "==", 1) if re.match(r"^[\w-]+=[^=]", d) else d) for d in conda)
    assert conda_specs.pop("python") == "==3.11"
    assert conda_specs.pop("pip") == ""
    assert conda_specs == dict(_split(d) for d in project["dependencies"])
    assert pip == ["-e .[dev]"]
    assert ">=3.11" in project["requires-python"]


def test_console_script_and_dev_extra() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"] == {"readiness": "readiness.cli:main"}
    assert {_split(d)[0] for d in project["optional-dependencies"]["dev"]} >= {"pytest", "selenium"}


def test_committed_notebooks_carry_no_outputs_and_the_python3_kernel() -> None:
    import nbformat

    notebooks = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3", path.name
        assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), path.name
        tags = [cell.metadata.get("tags", []) for cell in nb.cells]
        assert sum("parameters" in t for t in tags) == 1, path.name


def test_code_is_ruff_clean() -> None:
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    proc = subprocess.run([ruff, "check", "--output-format", "concise", str(PROJECT_ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_every_third_party_import_is_declared() -> None:
    import ast
    import sys

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    declared = {_split(d)[0] for d in project["dependencies"]}
    declared |= {_split(d)[0].split("[")[0] for d in project["optional-dependencies"]["spark"]}
    distribution = {"sklearn": "scikit-learn", "yaml": "pyyaml", "IPython": "ipython", "zmq": "pyzmq",
                    "great_expectations": "great-expectations"}
    found = set()
    for path in (PROJECT_ROOT / "readiness").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    third_party = {name for name in found if name not in sys.stdlib_module_names and name != "readiness"}
    missing = {name for name in third_party
               if distribution.get(name, name).lower().replace("_", "-") not in declared}
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"
