"""Copy the bundled sample client out, so people can study and rerun a complete engagement."""

from __future__ import annotations

import shutil
from pathlib import Path

from readiness.errors import PipelineError
from readiness.resources import sample_dir

SAMPLE_SUFFIXES = (".csv", ".yaml", ".md")  # the extracts, the engagement and answers, and their README


def copy_sample(folder: str | Path) -> list[Path]:
    """Copy the sample client's extracts, engagement, answers and README into ``folder``.

    Parameters
    ----------
    folder : path
        Created if needed; a file that already exists there is never overwritten.

    Returns
    -------
    list of Path
        The files written, in name order.

    Raises
    ------
    PipelineError
        A file of the sample already exists in ``folder``, or the folder cannot be written.
    """
    source, folder = sample_dir(), Path(folder)
    files = sorted(p for p in source.iterdir() if p.is_file() and p.suffix in SAMPLE_SUFFIXES)
    clashes = [p.name for p in files if (folder / p.name).exists()]
    if clashes:
        raise PipelineError(f"{folder}: {', '.join(clashes[:3])} already exist(s); choose an empty folder so nothing "
                            "is overwritten")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return [Path(shutil.copy2(p, folder / p.name)) for p in files]
    except OSError as exc:
        raise PipelineError(f"{folder}: cannot copy the sample client ({exc.strerror}); choose another folder") from exc
