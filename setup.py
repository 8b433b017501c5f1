"""Build step: ship the stage notebooks and the sample client inside the wheel.

``notebooks/`` and ``sample_data/`` stay at the top of the repository, where users and the README
know them; building a wheel copies them into ``readiness/_notebooks`` and ``readiness/_sample``
(see ``readiness/resources.py``), so an installed package runs ``readiness run`` anywhere.
Everything else is configured in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SAMPLE_SUFFIXES = (".csv", ".yaml", ".md")


class BuildWithNotebooks(build_py):
    """The usual build, plus the notebooks and the sample client's files as package data."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "readiness"
        notebooks = target / "_notebooks"
        notebooks.mkdir(parents=True, exist_ok=True)
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            shutil.copy2(path, notebooks / path.name)
        for client in sorted(p for p in (ROOT / "sample_data").iterdir() if p.is_dir()):
            folder = target / "_sample" / client.name
            folder.mkdir(parents=True, exist_ok=True)
            for path in sorted(client.iterdir()):
                if path.suffix in SAMPLE_SUFFIXES:
                    shutil.copy2(path, folder / path.name)


setup(cmdclass={"build_py": BuildWithNotebooks})
