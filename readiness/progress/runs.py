"""Reading one run's report folder: its ``run.json`` and every stage result, through typed contracts.

A report folder is what ``readiness run`` writes: ``run.json`` (the client, the date the data is
judged against, each notebook's status and parameters) beside ``quality/*.json``,
``feasibility/*.json``, ``ethics/*.json``, ``roi.json`` and ``summary.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from readiness.errors import ConfigError
from readiness.results import StageResult

SUBJECT_STAGES = ("quality", "feasibility", "ethics")  # one result per table or use case, in a folder each
RUN_RECORD = "run.json"


class NotebookRecord(BaseModel):
    """One notebook of a run as ``run.json`` records it."""

    model_config = ConfigDict(extra="allow")

    stage: str = ""
    subject: str = ""
    status: str = "ok"
    error: str | None = None
    parameters: dict[str, Any] = {}


class InputRecord(BaseModel):
    """One input file of a run: where it was read, its SHA-256 and rows."""

    model_config = ConfigDict(extra="allow")

    path: str | None = None
    sha256: str | None = None
    rows: int | None = None


class RunRecord(BaseModel):
    """What ``run.json`` says about a run: whose data, as of when, and what ran with which parameters."""

    model_config = ConfigDict(extra="allow")

    client: str = ""
    slug: str = ""
    as_of: str = ""
    status: str = "ok"
    inputs: dict[str, InputRecord] = {}
    notebooks: list[NotebookRecord] = []

    def parameters_of(self, stage: str, subject: str | None = None) -> dict[str, Any]:
        """The parameters a stage's notebook (for ``subject``, or the first one) ran with; {} when none ran."""
        for notebook in self.notebooks:
            if notebook.stage == stage and (subject is None or notebook.subject == subject):
                return notebook.parameters
        return {}


@dataclass
class RunFolder:
    """A run's report folder, read: its record and its stage results by stage and subject.

    ``failed`` names the results that cannot be compared (the notebook failed, or the file cannot be
    read), with the reason, by ``(stage, subject)``.
    """

    path: Path
    record: RunRecord
    results: dict[str, dict[str, StageResult]] = field(default_factory=dict)
    failed: dict[tuple[str, str], str] = field(default_factory=dict)

    def subjects(self, stage: str) -> dict[str, StageResult]:
        """The readable results of one stage, by subject (``roi`` and ``summary`` have one subject each)."""
        return self.results.get(stage, {})

    def one(self, stage: str) -> StageResult | None:
        """The single result of ``roi`` or ``summary``, or None."""
        found = list(self.subjects(stage).values())
        return found[0] if found else None

    @property
    def label(self) -> str:
        """How reports name this run: by the date its data is judged against."""
        return f"as of {self.record.as_of}" if self.record.as_of else self.path.name


def read_run(folder: str | Path, *, role: str = "report folder") -> RunFolder:
    """Read a run's report folder.

    Parameters
    ----------
    folder : path
        A folder written by ``readiness run`` (holding ``run.json``).
    role : str
        How error messages name the folder (``"baseline"``, ``"later run"``).

    Returns
    -------
    RunFolder

    Raises
    ------
    ConfigError
        The folder does not exist, or holds no readable ``run.json``.
    """
    path = Path(folder)
    if not path.is_dir():
        raise ConfigError(f"{role} {path}: folder not found; give a report folder written by `readiness run` "
                          "(e.g. reports/<client-slug>)")
    record_path = path / RUN_RECORD
    try:
        record = RunRecord.model_validate(json.loads(record_path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ConfigError(f"{record_path}: not found, so {path} is not a report folder written by `readiness "
                          "run`; give the folder that holds run.json and index.html") from None
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigError(f"{record_path}: cannot be read ({type(exc).__name__}); run `readiness run` again to "
                          "rewrite the report folder") from None
    run = RunFolder(path=path, record=record)
    failed_notebooks = {(n.stage, n.subject): n.error or "the notebook failed"
                        for n in record.notebooks if n.status != "ok"}
    for stage, files in _result_files(path).items():
        for file in files:
            _add_result(run, stage, file, failed_notebooks)
    for (stage, subject), why in failed_notebooks.items():
        run.failed.setdefault((stage, subject), f"failed in this run ({why})")
        run.results.get(stage, {}).pop(subject, None)
    return run


def _result_files(path: Path) -> dict[str, list[Path]]:
    files = {stage: sorted(p for p in (path / stage).glob("*.json") if "." not in p.stem)
             for stage in SUBJECT_STAGES}
    files["roi"] = [path / "roi.json"] if (path / "roi.json").is_file() else []
    files["summary"] = [path / "summary.json"] if (path / "summary.json").is_file() else []
    return files


def _add_result(run: RunFolder, stage: str, file: Path, failed: dict[tuple[str, str], str]) -> None:
    try:
        result = StageResult.load(file)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        run.failed[(stage, file.stem)] = f"{file.name} cannot be read ({type(exc).__name__})"
        return
    if (stage, result.subject) not in failed:
        run.results.setdefault(stage, {})[result.subject] = result


def same_client(baseline: RunFolder, later: RunFolder) -> None:
    """Refuse two runs of different clients, naming both ``run.json`` files.

    Raises
    ------
    ConfigError
        The two records name different clients (``client`` or ``slug``).
    """
    a, b = baseline.record, later.record
    if (a.slug or a.client) and (b.slug or b.client) and (a.slug != b.slug or a.client != b.client):
        raise ConfigError(
            f"{later.path / RUN_RECORD}: client {b.client!r} ({b.slug}) is not the baseline's {a.client!r} "
            f"({a.slug}) in {baseline.path / RUN_RECORD}; compare two runs of the same client")
