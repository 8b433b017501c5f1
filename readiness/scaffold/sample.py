"""Copy the bundled sample client out, so people can study and rerun a complete engagement."""

from __future__ import annotations

import shutil
from pathlib import Path

from readiness.errors import PipelineError
from readiness.resources import sample_dir

SAMPLE_SUFFIXES = (".csv", ".yaml", ".md")  # the extracts, the engagement and answers, and their README


def sample_files(source: Path) -> list[Path]:
    """The sample's files to copy, relative to ``source``, subfolders included, in path order.

    The later extract (``later/``) and the pilot log (``pilot/``) are part of the sample; the generator,
    caches and hidden files are not.

    Parameters
    ----------
    source : Path
        The sample client's folder.

    Returns
    -------
    list of Path
        Relative paths such as ``engagement.yaml`` and ``later/engagement.yaml``.
    """
    found = (p.relative_to(source) for p in source.rglob("*") if p.is_file() and p.suffix in SAMPLE_SUFFIXES)
    return sorted(p for p in found if not any(part.startswith((".", "__")) for part in p.parts))


def copy_sample(folder: str | Path) -> list[Path]:
    """Copy the sample client's extracts, engagement, answers and README into ``folder``.

    Subfolders (the later extract in ``later/``, the pilot log in ``pilot/``) keep their place, so each
    engagement file there runs as it is.

    Parameters
    ----------
    folder : path
        Created if needed; a file that already exists there is never overwritten.

    Returns
    -------
    list of Path
        The files written, in path order.

    Raises
    ------
    PipelineError
        A file of the sample already exists in ``folder``, or the folder cannot be written.
    """
    source, folder = sample_dir(), Path(folder)
    files = sample_files(source)
    clashes = [p.as_posix() for p in files if (folder / p).exists()]
    if clashes:
        raise PipelineError(f"{folder}: {', '.join(clashes[:3])} already exist(s); choose an empty folder so nothing "
                            "is overwritten")
    try:
        written = []
        for rel in files:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            written.append(Path(shutil.copy2(source / rel, folder / rel)))
        return written
    except OSError as exc:
        raise PipelineError(f"{folder}: cannot copy the sample client ({exc.strerror}); choose another folder") from exc
