"""Build step: ship the stage notebooks and the sample client inside the wheel.

``notebooks/`` and ``sample_data/`` stay at the top of the repository, where users and the README
know them; building a wheel copies them into ``readiness/_notebooks`` and ``readiness/_sample``
(see ``readiness/resources.py``), so an installed package runs ``readiness run`` anywhere. A sample
client's ``later/`` (the extract six months on) and ``pilot/`` (the pilot's decision log) folders are
copied with it.
Everything else is configured in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SAMPLE_SUFFIXES = (".csv", ".yaml", ".md")
SAMPLE_PARTS = ("later", "pilot")  # a client's later extract and pilot log, shipped beside its first extract


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
            copy_sample_files(client, target / "_sample" / client.name)
            for part in sorted(p for p in client.iterdir() if p.is_dir() and p.name in SAMPLE_PARTS):
                copy_sample_files(part, target / "_sample" / client.name / part.name)


def copy_sample_files(source: Path, folder: Path) -> None:
    """Copy the extracts, YAML files and READMEs of one sample folder (not its generator or caches)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.is_file() and path.suffix in SAMPLE_SUFFIXES:
            shutil.copy2(path, folder / path.name)


setup(cmdclass={"build_py": BuildWithNotebooks})
