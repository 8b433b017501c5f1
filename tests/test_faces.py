"""Stage packages' faces: every public name is the object its module defines, imported on first use."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import pytest

from readiness.faces import face_names

STAGES = ["quality", "feasibility", "ethics", "roi", "scorecard", "pilot", "progress"]


@pytest.mark.parametrize("stage", STAGES)
def test_every_public_name_is_its_modules_object_never_a_module(stage: str) -> None:
    package = importlib.import_module(f"readiness.{stage}")
    names = face_names(package.__name__)
    assert names and set(names) <= set(package.__all__)
    for name, source in names.items():
        importlib.import_module(source)
        importlib.import_module(f"readiness.{stage}.{name}") if name in _modules(stage) else None
        value = getattr(package, name)
        assert not isinstance(value, types.ModuleType), f"readiness.{stage}.{name} is a module"
        assert value is getattr(sys.modules[source], name)
    assert set(package.__all__) <= set(dir(package))


def _modules(stage: str) -> set[str]:
    import pkgutil

    package = importlib.import_module(f"readiness.{stage}")
    return {m.name for m in pkgutil.iter_modules(package.__path__)}


def test_planning_every_stage_imports_no_model_library() -> None:
    """``readiness run`` plans from the parameter models; scikit-learn, SciPy's statistics, fairlearn and
    Great Expectations are the kernels' business."""
    code = ("import sys, readiness.planning; "
            "print(sorted(m for m in ('sklearn', 'scipy.stats', 'scipy.optimize', 'fairlearn', 'great_expectations')"
            " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
