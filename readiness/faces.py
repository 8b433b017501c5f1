"""A stage package's face: its public names, each imported from its module on first use.

A stage's ``__init__`` lists its public names as ordinary imports under ``if TYPE_CHECKING:``
(what type checkers, editors and readers see) and ends with
``__getattr__, __dir__ = lazy_face(__name__)``. Importing one module of the package, its
parameter model for instance, then no longer imports the whole stage and what it needs
(scikit-learn, SciPy, fairlearn): ``readiness run`` plans every stage from their parameter
models, and that process starts about two seconds sooner.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def face_names(package: str) -> dict[str, str]:
    """``{public name: module it comes from}``, read from the package's ``if TYPE_CHECKING:`` imports."""
    source = Path(sys.modules[package].__file__ or "").read_text(encoding="utf-8")
    names: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom) and stmt.module:
                    names.update({alias.asname or alias.name: stmt.module for alias in stmt.names})
    return names


def lazy_face(package: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package whose face is imported on first use.

    A public name that is also the name of one of the package's modules (``verdict`` of
    ``feasibility/verdict.py``, ``run_checks`` of ``quality/run_checks.py``) is bound at once,
    after importing that module: importing a module sets its package's attribute of that name to
    the module, so it must happen before the name is bound, never after.
    """
    module = sys.modules[package]
    names = face_names(package)
    folder = Path(module.__file__ or "").parent
    for name, source in names.items():
        if (folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists():
            importlib.import_module(f"{package}.{name}")
            setattr(module, name, getattr(importlib.import_module(source), name))

    def __getattr__(name: str) -> Any:
        source = names.get(name)
        if source is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        setattr(module, name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(module), *names})

    return __getattr__, __dir__
