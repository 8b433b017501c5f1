"""Where the package finds its notebooks and the bundled sample client, in a checkout or an installed wheel.

In a checkout, ``notebooks/`` and ``sample_data/`` sit at the top of the repository, where users and
the README know them. A built wheel carries copies of both inside the package (``readiness/_notebooks``
and ``readiness/_sample``, written by the build step in ``setup.py``), so ``readiness run`` works
wherever the wheel is installed. The packaged copies win when present; nothing is copied in git.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent
SAMPLE_CLIENT = "harbour_physio"
SAMPLE_PREFIX = "sample_data"  # how notebooks and docs write the sample's paths: sample_data/harbour_physio/...


def notebooks_dir() -> Path:
    """The folder holding the stage notebooks (``01_data_quality.ipynb`` ...)."""
    packaged = PACKAGE_DIR / "_notebooks"
    return packaged if packaged.is_dir() else CHECKOUT_DIR / "notebooks"


def sample_root() -> Path:
    """The folder that plays ``sample_data/``: one subfolder per bundled client."""
    packaged = PACKAGE_DIR / "_sample"
    return packaged if packaged.is_dir() else CHECKOUT_DIR / SAMPLE_PREFIX


def sample_dir() -> Path:
    """The bundled sample client's folder (extracts, engagement, survey and checklist answers)."""
    return sample_root() / SAMPLE_CLIENT


def sample_engagement() -> Path:
    """The bundled sample client's ``engagement.yaml``, which ``readiness run`` uses without an argument."""
    return sample_dir() / "engagement.yaml"


def resolve_input_path(path: str | Path) -> Path:
    """A notebook's input path: as given (absolute or from the working folder), else from the checkout,
    else, for ``sample_data/...``, inside the installed package, so the notebooks' default sample paths
    work from any working folder and from a wheel."""
    candidate = Path(path).expanduser()
    if candidate.is_absolute() or candidate.exists():
        return candidate
    from_checkout = CHECKOUT_DIR / candidate
    if from_checkout.exists():
        return from_checkout
    parts = candidate.parts
    if parts and parts[0] == SAMPLE_PREFIX:
        packaged = sample_root().joinpath(*parts[1:])
        if packaged.exists():
            return packaged
    return candidate
