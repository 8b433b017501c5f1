"""Read and check a pilot's decision log: one row per decision, with its score, decision and actual outcome.

The log is read with :func:`readiness.tables.load_table` and typed by the shared profile. Each
role (id, date, score, decision, outcome) is the column given, else one detected by its name and
values, and each detection is recorded as an :class:`~readiness.params.Assumption`. A column given
but absent, a score that is not a number, or a decision or outcome that is not yes/no stops the
review with one line naming the file, the column and the parameter to set.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from readiness.errors import ConfigError, DataError
from readiness.params import Assumption, is_none_word
from readiness.privacy import name_tokens, safe_text
from readiness.profiling import (
    DATE_TYPES,
    NUMBER_TYPES,
    TableProfile,
    detect_key,
    detect_targets,
    positive_class,
    profile_and_type,
)

__all__ = ["PilotLog", "as_yes_no", "read_pilot_log", "read_typed_table"]

# Names that mark each role, compared with the column name's tokens (``scored_at`` -> scored, at).
SCORE_WORDS = frozenset({"score", "probability", "prob", "proba", "risk", "likelihood", "propensity", "p"})
DECISION_WORDS = frozenset({"decision", "decided", "action", "acted", "flag", "flagged", "predicted", "prediction",
                            "pred", "intervention", "contacted", "treated"})
OUTCOME_WORDS = frozenset({"actual", "outcome", "observed", "truth", "true", "label", "result", "happened"})
DATE_WORDS = frozenset({"scored", "decided", "logged", "predicted", "decision", "score", "date", "created"})


@dataclass
class PilotLog:
    """The pilot's decision log, read and checked.

    Attributes
    ----------
    path : Path
        The file read.
    frame : DataFrame
        Every row as typed by the profile (numbers as floats, dates as dates, text trimmed).
    profile : TableProfile
    score, decision, outcome : ndarray
        One value per row: the score as a float; decision and outcome as 1.0 (positive), 0.0 or
        NaN (missing, e.g. an outcome not known yet).
    columns : dict
        Role (``id``, ``date``, ``score``, ``decision``, ``outcome``) -> column, None when absent.
    positive_label : str
        The outcome value counted as positive.
    assumed : list of Assumption
        Every role detected rather than given, and how the yes/no values were read.
    """

    path: Path
    frame: pd.DataFrame
    profile: TableProfile
    score: np.ndarray
    decision: np.ndarray
    outcome: np.ndarray
    columns: dict[str, str | None]
    positive_label: str
    assumed: list[Assumption] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Decisions logged."""
        return len(self.frame)

    @property
    def scored(self) -> np.ndarray:
        """Rows with a score and a decision: the decisions the review judges."""
        return np.isfinite(self.score) & np.isfinite(self.decision)

    @property
    def labelled(self) -> np.ndarray:
        """Judged rows whose outcome is known."""
        return self.scored & np.isfinite(self.outcome)

    @property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """First and last decision date, or None without a date column."""
        column = self.columns.get("date")
        if not column:
            return None
        dates = self.frame[column].dropna()
        return (dates.min(), dates.max()) if len(dates) else None


def read_typed_table(path: str | Path, *, sheet: str | None = None,
                     name: str | None = None) -> tuple[pd.DataFrame, TableProfile]:
    """Any client file read and typed by the shared profile: the typed frame and its profile."""
    from readiness.tables import load_table, resolve_input_path

    loaded = load_table(resolve_input_path(path), sheet=sheet or None, name=name)
    profile, typed = profile_and_type(loaded.frame, decimal=loaded.decimal)
    return typed, profile


def read_pilot_log(path: str | Path, *, id_column: str = "", date_column: str = "", score_column: str = "",
                   decision_column: str = "", outcome_column: str = "", positive_label: str = "",
                   target: str | None = None, sheet: str | None = None) -> PilotLog:
    """Read the decision log and find each column's role.

    Parameters
    ----------
    path : str or Path
        csv, tsv, txt, xlsx or parquet.
    id_column, date_column, score_column, decision_column, outcome_column : str
        The column of each role; empty means detect it; ``none`` (id and date only) that there is none.
    positive_label : str
        The outcome (and decision) value that counts as positive; empty takes a yes-like value,
        else the rarer one.
    target : str, optional
        The use case's target column in the assessed extract: a log column of that name is the outcome.
    sheet : str, optional
        Excel sheet name.

    Returns
    -------
    PilotLog

    Raises
    ------
    DataError
        A column given is not in the file; the score is not numeric; a decision or outcome column
        holds more than two values, or numbers other than 0 and 1.
    ConfigError
        A role that must be present (score, decision, outcome) is neither given nor found.
    """
    from readiness.tables import load_table, resolve_input_path

    loaded = load_table(resolve_input_path(path), sheet=sheet or None)
    profile, frame = profile_and_type(loaded.frame, decimal=loaded.decimal)
    file = Path(path).name
    assumed: list[Assumption] = []
    roles = {
        "score": _role(profile, "score", score_column, file, assumed, target=target),
        "decision": _role(profile, "decision", decision_column, file, assumed, target=target),
    }
    roles["outcome"] = _role(profile, "outcome", outcome_column, file, assumed, target=target,
                             taken=set(roles.values()))
    roles["date"] = _optional_role(profile, "date", date_column, file, assumed, taken=set(roles.values()))
    roles["id"] = _optional_role(profile, "id", id_column, file, assumed, taken=set(roles.values()))
    score = _score(frame[roles["score"]], loaded.frame[roles["score"]], profile.columns[roles["score"]], file)
    outcome, label = as_yes_no(frame[roles["outcome"]], positive_label, column=roles["outcome"], file=file,
                               parameter="outcome_column", assumed=assumed)
    decision, _ = as_yes_no(frame[roles["decision"]], positive_label or label, column=roles["decision"], file=file,
                            parameter="decision_column", assumed=assumed)
    left_out = int((~(np.isfinite(score) & np.isfinite(decision))).sum())
    if left_out:
        assumed.append(Assumption("rows left out", f"{left_out:,} of {len(frame):,}", "no score or no decision: "
                                  "they are left out of every figure", "fill in the log's score and decision"))
    return PilotLog(path=Path(path), frame=frame, profile=profile, score=score, decision=decision, outcome=outcome,
                    columns=roles, positive_label=label, assumed=assumed)


# ------------------------------------------------------------------------------------ roles

_CHANGE = {"id": "-p id_column COLUMN, or -p id_column none", "date": "-p date_column COLUMN, or -p date_column none",
           "score": "-p score_column COLUMN", "decision": "-p decision_column COLUMN",
           "outcome": "-p outcome_column COLUMN"}
_WHAT = {"score": "the model's score", "decision": "the decision taken (yes/no)",
         "outcome": "what actually happened (yes/no)"}


def _require_column(profile: TableProfile, column: str, role: str, file: str) -> str:
    if column in profile.columns:
        return column
    lower = {c.lower(): c for c in profile.columns}
    if column.lower() in lower:
        return lower[column.lower()]
    shown = ", ".join(safe_text(c) for c in list(profile.columns)[:15])
    raise DataError(f"{file}: column '{safe_text(column)}' given as `{role}_column` is not in the file; its columns "
                    f"are: {shown}; set {_CHANGE[role].split(',')[0]} to one of them.")


def _role(profile: TableProfile, role: str, given: str, file: str, assumed: list[Assumption], *,
          target: str | None, taken: Collection[str | None] = ()) -> str:
    if given.strip():
        return _require_column(profile, given.strip(), role, file)
    found = _detect(profile, role, target=target, taken=taken)
    if found is None:
        raise ConfigError(f"{file}: no column found for {_WHAT[role]}: none is named like it and holds such "
                          f"values; set {_CHANGE[role]} (the columns are: "
                          f"{', '.join(safe_text(c) for c in list(profile.columns)[:15])}).")
    column, reason = found
    assumed.append(Assumption(f"{role}_column", column, reason, _CHANGE[role]))
    return column


def _optional_role(profile: TableProfile, role: str, given: str, file: str, assumed: list[Assumption], *,
                   taken: Collection[str | None]) -> str | None:
    if is_none_word(given):
        return None
    if given.strip():
        return _require_column(profile, given.strip(), role, file)
    found = _detect(profile, role, target=None, taken=taken)
    if found is None:
        assumed.append(Assumption(f"{role}_column", "none", f"no {role} column was found", _CHANGE[role]))
        return None
    assumed.append(Assumption(f"{role}_column", found[0], found[1], _CHANGE[role]))
    return found[0]


def _detect(profile: TableProfile, role: str, *, target: str | None,
            taken: Collection[str | None]) -> tuple[str, str] | None:
    """(column, reason) of the best candidate for a role, or None."""
    if role == "id":
        key = detect_key(profile)
        return None if key is None or key.column in taken else (key.column, key.reason)
    candidates = []
    for position, (name, col) in enumerate(profile.columns.items()):
        if name in taken:
            continue
        tokens = set(name_tokens(name))
        if role == "score" and col.semantic_type in NUMBER_TYPES and tokens & SCORE_WORDS:
            candidates.append((position, name, "a numeric column named like a score"))
        elif role == "decision" and _two_valued(col) and tokens & DECISION_WORDS:
            candidates.append((position, name, "a yes/no column named like a decision"))
        elif role == "outcome" and _two_valued(col) and (name == target or tokens & OUTCOME_WORDS):
            why = "the use case's target" if name == target else "a yes/no column named like an outcome"
            candidates.append((position - 1000 if name == target else position, name, why))
        elif role == "date" and col.semantic_type in DATE_TYPES:
            named = bool(tokens & DATE_WORDS)
            candidates.append((position - (1000 if named else 0), name,
                               "a date column named like when a decision was made" if named
                               else "the first date column"))
    if not candidates and role == "outcome":
        # the outcome named as the target usually is (no_show, churned): the shared detection finds those
        found = [d for d in detect_targets(profile) if d.column not in taken and _two_valued(profile.columns[d.column])]
        return (found[0].column, found[0].reason) if found else None
    if not candidates:
        return None
    _, name, reason = min(candidates)
    return name, reason


def _two_valued(col) -> bool:
    # an empty column counts: a log whose outcomes are not known yet still names where they will go
    return col.semantic_type == "boolean" or (col.distinct <= 2 and col.semantic_type not in DATE_TYPES)


# ----------------------------------------------------------------------------------- values

def _score(typed: pd.Series, raw: pd.Series, col, file: str) -> np.ndarray:
    """The score as floats; text that is not a number (not a blank or a null token) stops the review."""
    values = pd.to_numeric(typed, errors="coerce")
    written = raw.astype("string").str.strip()
    unread = values.isna() & written.notna() & (written != "") & ~written.isin(list(col.null_tokens))
    if unread.any():
        example = safe_text(written[unread].iloc[0])
        raise DataError(f"{file}: column '{safe_text(col.name)}' is the score but {int(unread.sum()):,} of its values "
                        f"are not numbers (e.g. '{example}'); set -p score_column to the model's numeric score.")
    return values.to_numpy(dtype=float, na_value=np.nan)


def as_yes_no(series: pd.Series, positive_label: str, *, column: str, file: str, parameter: str,
              assumed: list[Assumption] | None = None) -> tuple[np.ndarray, str]:
    """A yes/no column as 1.0 / 0.0 / NaN (missing), and the value read as positive.

    Booleans and the numbers 0 and 1 read as themselves; text equal to ``positive_label``
    (case-insensitive) is positive; with no label given (or one the column never holds), a
    yes-like value, else the rarer of the two values, and that choice is added to ``assumed``.

    Examples
    --------
    >>> values, label = as_yes_no(pd.Series(["no", "yes", None]), "", column="c", file="f.csv", parameter="p")
    >>> values.tolist(), label
    ([0.0, 1.0, nan], 'yes')

    Raises
    ------
    DataError
        More than two distinct values, or numbers other than 0 and 1.
    """
    present = series.dropna()
    out = np.full(len(series), np.nan)
    mask = series.notna().to_numpy()
    if pd.api.types.is_bool_dtype(present.dtype) or (pd.api.types.is_numeric_dtype(present.dtype) and len(present)):
        numbers = present.astype(float)
        if not numbers.isin([0.0, 1.0]).all():
            example = safe_text(present[~numbers.isin([0.0, 1.0])].iloc[0])
            raise DataError(f"{file}: column '{safe_text(column)}' holds numbers other than 0 and 1 (e.g. {example}); "
                            f"it must be yes/no; set -p {parameter} to a yes/no column.")
        out[mask] = numbers.to_numpy()
        return out, "1"
    text = present.astype(str).str.strip()
    counts = text.value_counts().to_dict()
    if len(counts) > 2:
        shown = ", ".join(f"'{safe_text(v)}'" for v in list(counts)[:5])
        raise DataError(f"{file}: column '{safe_text(column)}' holds {len(counts)} distinct values ({shown}...); the "
                        f"pilot review needs yes/no values; set -p {parameter} to a yes/no column.")
    by_fold = {str(v).casefold(): str(v) for v in counts}
    label = by_fold.get(str(positive_label).strip().casefold())
    if label is None and not counts:
        label = str(positive_label)  # nothing to read yet
    elif label is None:
        label, why = positive_class(counts)
        if assumed is not None:
            assumed.append(Assumption(f"{parameter.removesuffix('_column')} positive", label, why,
                                      "-p positive_label VALUE"))
    out[mask] = (text.str.casefold() == label.casefold()).to_numpy(dtype=float)
    return out, label
