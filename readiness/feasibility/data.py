"""Turn a loaded table into a model-ready frame: the target, the features and what was left out, and why.

Columns are typed with the data-quality profile (so blanks and ``N/A`` tokens are missing, numbers
stored as text are numbers). Dates never enter a model raw: the time column becomes calendar
features (day of week, hour, month) and other dates become "days before the outcome time" when
they are known before it; dates recorded after it are flagged as post-outcome and dropped.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from readiness.errors import ConfigError, DataError
from readiness.feasibility import codes
from readiness.feasibility.text import clean_text
from readiness.privacy import name_tokens
from readiness.profiling import profile_and_type
from readiness.profiling.detect import positive_class, row_id_column
from readiness.profiling.infer import is_id_like, spreadsheet_damage
from readiness.profiling.profile import TableProfile
from readiness.results import Finding

KINDS = ("classification", "regression", "forecast", "text_classification")
MAX_CLASSES = 20  # a numeric target with more distinct values than this is a regression target
MIN_LEVEL_ROWS = 20  # categories rarer than this are pooled by the encoders
POST_OUTCOME_SHARE = 0.5  # a date later than the outcome time on this share of rows is post-outcome
UNPARSEABLE_SHARE = 0.5
ID_MIN_VALUES, ID_MIN_SHARE = 100, 0.01  # an id-named category is an identifier with this many distinct values
ALMOST_EMPTY = 0.99  # a column empty on this share of rows tells a model next to nothing
MISSING = "(missing)"


@dataclass
class Prepared:
    """The labelled rows, ready for cross-validation.

    Attributes
    ----------
    kind : str
        ``classification``, ``regression`` or ``text_classification`` (forecasts are built from ``typed``).
    X : DataFrame
        Model features (numeric float columns and categorical text columns), labelled rows only.
    y : ndarray
        0/1 for a binary target, label text for multiclass, floats for regression.
    classes : list of str
        Label text of each class (binary: negative first, positive second).
    positive : str or None
        The positive label of a binary target.
    numeric, categorical : list of str
        Feature columns of ``X`` by encoding.
    text : str or None
        The free-text column of a text classification.
    row_id : ndarray of str
        The table's identifier of each labelled row (its key, else its 0-based position).
    row : ndarray of int
        0-based position of each labelled row in the file.
    groups : ndarray or None
        Group of each row (e.g. customer), kept in one fold.
    times : ndarray or None
        datetime64 outcome time of each row: folds follow time when given.
    rows_total, labelled : int
        Rows in the table; rows with a label.
    parameters : int
        Candidate model parameters (numeric features + category levels - 1), for events-per-variable.
    excluded : dict
        Column -> reason it is not a feature.
    findings : list of Finding
    blocked : bool
        A blocking finding ends the assessment before any model.
    """

    kind: str
    X: pd.DataFrame
    y: np.ndarray
    classes: list[str]
    positive: str | None
    numeric: list[str]
    categorical: list[str]
    text: str | None
    row_id: np.ndarray
    row: np.ndarray
    groups: np.ndarray | None
    times: np.ndarray | None
    rows_total: int
    labelled: int
    parameters: int = 0
    excluded: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    blocked: bool = False

    @property
    def features(self) -> list[str]:
        """Every feature column, numeric first."""
        return [*self.numeric, *self.categorical] + ([self.text] if self.text else [])

    def take(self, positions: np.ndarray) -> Prepared:
        """The same use case on a subset of its labelled rows (positions into ``X``/``y``)."""
        pick = np.asarray(positions)
        return replace(self, X=self.X.iloc[pick].reset_index(drop=True), y=self.y[pick], row_id=self.row_id[pick],
                       row=self.row[pick], groups=None if self.groups is None else self.groups[pick],
                       times=None if self.times is None else self.times[pick], excluded=dict(self.excluded),
                       findings=list(self.findings))

    def drop_features(self, names: Iterable[str], reason: str) -> None:
        """Remove features (e.g. leaks) and record why."""
        names = [n for n in names if n in self.X.columns]
        self.X = self.X.drop(columns=names)
        self.numeric = [c for c in self.numeric if c not in names]
        self.categorical = [c for c in self.categorical if c not in names]
        self.excluded.update({n: reason for n in names})


def column_names(value: Iterable[str] | str | None) -> list[str]:
    """A parameter that names columns as a list ("" and None mean none)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def require_columns(frame: pd.DataFrame, named: list[tuple[str, str]], *, where: str) -> None:
    """Raise DataError for the first (parameter, column) whose column is not in ``frame``."""
    columns = [str(c) for c in frame.columns]
    for param, column in named:
        if column not in columns:
            close = difflib.get_close_matches(str(column), columns, n=3, cutoff=0.4)
            hint = f"the closest columns are {', '.join(repr(c) for c in close)}; " if close else ""
            raise DataError(f"{where}: `{param}` names column '{column}', which is not in the table; {hint}"
                            f"columns are: {', '.join(columns[:30])}; fix `{param}`.")


def check_kind(kind: str | None) -> str:
    """The kind as given ("" and None mean auto); raises ConfigError for an unknown kind."""
    kind = (kind or "auto").strip().lower()
    if kind not in (*KINDS, "auto"):
        close = difflib.get_close_matches(kind, KINDS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(f"feasibility parameter `kind` is '{kind}'{hint}; use one of {', '.join(KINDS)} or auto.")
    return kind


def detect_kind(profile: TableProfile, target: str, *, text_column: str | None, time_column: str | None) -> str:
    """The use case's kind from its target when not given.

    A text column makes it text classification; an identifier target with a time column is a
    forecast of rows per period; a number with more than 20 distinct values is regression;
    anything else is classification.
    """
    col = profile.columns[target]
    if text_column:
        return "text_classification"
    if col.semantic_type == "identifier" and time_column:
        return "forecast"
    if col.semantic_type in ("number", "number_as_text") and col.distinct > MAX_CLASSES:
        return "regression"
    return "classification"


def resolve_kind(frame: pd.DataFrame, *, target: str, kind: str | None = "auto", time_column: str | None = None,
                 text_column: str | None = None, decimal: str = ".") -> str:
    """The kind :func:`readiness.feasibility.assess_feasibility` will assess, decided from the target column alone.

    Cheap enough to call before the assessment, e.g. to aggregate a forecast's rows on the
    whole table with Spark while ``frame`` is a sample of it.

    Examples
    --------
    >>> resolve_kind(pd.DataFrame({"visit_id": ["V1", "V2", "V3"]}), target="visit_id", time_column="at")
    'forecast'
    """
    kind = check_kind(kind)
    if kind != "auto":
        return kind
    require_columns(frame, [("target", target)], where="feasibility")
    profile, _ = type_table(frame[[target]], time_column=None, decimal=decimal)
    return detect_kind(profile, target, text_column=text_column or None, time_column=time_column or None)


def type_table(frame: pd.DataFrame, *, time_column: str | None, decimal: str) -> tuple[TableProfile, pd.DataFrame]:
    """Profile and type every column, reading the time column as dates."""
    dates = [time_column] if time_column else []
    profile, typed = profile_and_type(frame, date_columns=dates, decimal=decimal)
    return profile, typed


def group_findings(frame: pd.DataFrame, group_column: str | None) -> list[Finding]:
    """FEAS_GROUP_COLUMN_DAMAGED when the group column shows spreadsheet damage (its ids collapsed)."""
    if not group_column:
        return []
    damage = spreadsheet_damage(frame[group_column], group_column, key=True)
    if damage is None:
        return []
    shown = ", ".join(damage.examples)
    return [Finding("error", codes.FEAS_GROUP_COLUMN_DAMAGED,
                    f"The group column '{group_column}' went through a spreadsheet: {damage.rows:,} values "
                    f"({damage.share:.1%}) show {damage.kind.replace('_', ' ')} ({shown}), so different customers "
                    "may share one value and the folds cannot keep each one together; re-export the column as "
                    "text before trusting the scores.", group_column, damage.evidence())]


def time_findings(frame: pd.DataFrame, typed: pd.DataFrame, time_column: str | None) -> list[Finding]:
    """FEAS_TIME_UNPARSEABLE when most filled values of the time column are not dates."""
    if not time_column:
        return []
    raw = frame[time_column].astype("string").str.strip()
    filled = int((raw.notna() & (raw != "")).sum())
    bad = int((typed[time_column].isna() & raw.notna() & (raw != "")).sum())
    if filled and bad / filled <= UNPARSEABLE_SHARE:
        return []
    return [Finding("error", codes.FEAS_TIME_UNPARSEABLE,
                    f"The time column '{time_column}' does not read as dates ({bad:,} of {filled:,} filled values "
                    "unparseable), so folds cannot follow time; fix the column or give another `time_column`.",
                    time_column, {"unparseable": bad, "filled": filled})]


def label_text(frame: pd.DataFrame, typed: pd.DataFrame, target: str) -> pd.Series:
    """The target as stripped text, NA where the profile found it missing (blank, 'N/A', ...)."""
    text = frame[target].astype("string").str.strip()
    return text.where(typed[target].notna() & (text != ""))


def choose_positive(classes: list[str], positive_label: str | None, *, target: str,
                    counts: dict[str, int] | None = None) -> str:
    """The positive class of a binary target: as given (case-insensitive), else a yes-like word, else the rarer."""
    if positive_label not in (None, ""):
        wanted = str(positive_label).strip()
        for c in classes:
            if c == wanted or c.casefold() == wanted.casefold():
                return c
        raise ConfigError(f"feasibility parameter `positive_label` is '{wanted}', which is not a value of "
                          f"'{target}'; its values are: {', '.join(classes)}.")
    return positive_class(counts or {c: 1 for c in classes})[0]


def _row_ids(frame: pd.DataFrame, profile: TableProfile) -> np.ndarray:
    name = row_id_column(profile)
    if name is not None:
        return frame[name].astype("string").str.strip().to_numpy(dtype=object)
    return np.arange(len(frame)).astype(str).astype(object)


def calendar_features(times: pd.Series, name: str) -> dict[str, pd.Series]:
    """Day of week and month as categories, hour as a number when the times carry clock times."""
    out = {f"{name}_dow": times.dt.dayofweek.astype("Float64").astype(str).str.removesuffix(".0"),
           f"{name}_month": times.dt.month.astype("Float64").astype(str).str.removesuffix(".0")}
    if (times.dt.hour.fillna(0) != 0).any():
        out[f"{name}_hour"] = (times.dt.hour + times.dt.minute / 60).astype(float)
    for key in (f"{name}_dow", f"{name}_month"):
        out[key] = out[key].where(times.notna())
    return out


def _exclusion(name: str, col: Any, rows: int) -> tuple[str, str] | None:
    """(code, reason) when an auto-selected column must not be a feature, else None."""
    semantic = col.semantic_type
    if semantic in ("constant", "empty") or col.distinct <= 1:
        return codes.FEAS_CONSTANT_COLUMN, "constant"
    many = col.distinct > max(ID_MIN_VALUES, ID_MIN_SHARE * rows)  # a week number (1-53) is not an id
    if semantic == "identifier" or (semantic == "category" and many
                                    and (is_id_like(name) or col.distinct > 0.5 * rows)):
        return codes.FEAS_IDENTIFIER_COLUMN, "identifier"
    if semantic in ("email", "phone") or (col.personal_kind and semantic not in ("category", "boolean", "number")):
        return codes.FEAS_COLUMN_EXCLUDED, "personal data"
    if semantic == "free_text":
        return codes.FEAS_COLUMN_EXCLUDED, "free text"
    if semantic == "category" and col.distinct > 1000:
        return codes.FEAS_COLUMN_EXCLUDED, "too many categories"
    if col.null_share >= ALMOST_EMPTY:
        return codes.FEAS_COLUMN_EXCLUDED, "almost always empty"
    return None


def _date_feature(name: str, values: pd.Series, times: pd.Series | None,
                  time_column: str | None) -> tuple[dict[str, pd.Series], Finding | None]:
    """Days between a date and the outcome time, or a post-outcome finding; days since it without a time."""
    if times is None:
        days = (values.max() - values).dt.total_seconds() / 86400
        return {f"{name}_days_before_latest": days.astype(float)}, None
    both = values.notna() & times.notna()
    after = int((values[both] > times[both]).sum())
    if both.any() and after / int(both.sum()) > POST_OUTCOME_SHARE:
        return {}, Finding(
            "error", codes.FEAS_POST_OUTCOME_FEATURE,
            f"'{name}' is later than the outcome time '{time_column}' on {after:,} of {int(both.sum()):,} rows: "
            "it is recorded after the outcome, so it was left out of every model.",
            name, {"rows_after": after, "rows": int(both.sum())})
    days = (times - values).dt.total_seconds() / 86400
    return {f"{name}_days_before_{time_column}": days.astype(float)}, None


MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                           "nov", "dec"))}


def _date_part(values: pd.Series, part: str) -> pd.Series:
    """A year, month or day column as numbers (month names read as months), NaN where it is not one."""
    if part == "month" and not pd.api.types.is_numeric_dtype(values):
        text = values.astype("string").str.strip().str.lower().str[:3]
        return text.map(MONTHS).astype(float)
    return pd.to_numeric(values, errors="coerce").astype(float)


def composite_event_date(typed: pd.DataFrame) -> tuple[str, pd.Series] | None:
    """A row's own date spread over three columns (``arrival_date_year``, ``_month``, ``_day_of_month``).

    Returns the date's name (the shared prefix) and its values, or None when the table has no such
    triple filled on most rows. Dates of birth are not event dates.
    """
    by_prefix: dict[str, dict[str, str]] = {}
    for name in typed.columns:
        tokens = name_tokens(name)
        for part, ends in (("year", (["year"],)), ("month", (["month"],)),
                           ("day", (["day", "of", "month"], ["day"], ["dom"]))):
            for end in ends:
                if len(tokens) > len(end) and tokens[-len(end):] == end:
                    by_prefix.setdefault("_".join(tokens[:-len(end)]), {}).setdefault(part, name)
                    break
    for prefix, parts in by_prefix.items():
        if len(parts) < 3 or "birth" in prefix or "dob" in prefix:
            continue
        numbers = {part: _date_part(typed[column], part) for part, column in parts.items()}
        dates = pd.to_datetime(pd.DataFrame(numbers), errors="coerce")
        if dates.notna().mean() >= 0.9:
            return prefix, dates
    return None


def build_features(frame: pd.DataFrame, typed: pd.DataFrame, profile: TableProfile, *, target: str,
                   features: list[str] | None, exclude: list[str], time_column: str | None,
                   group_column: str | None) -> tuple[pd.DataFrame, dict[str, str], list[Finding]]:
    """Model features for every row, the columns left out (with reasons) and findings about them.

    ``features`` None means auto: every column but the target, the group column and ``exclude``,
    less identifiers, constants, personal data and free text. Explicit features skip those
    exclusions except constants. Without a time column, a row's own date spread over year, month
    and day columns (:func:`composite_event_date`) stands for the outcome time when dates are
    checked for being recorded after it.
    """
    skip = {target, *exclude} | ({group_column} if group_column else set())
    names = [c for c in (features if features is not None else frame.columns) if c not in skip]
    times = typed[time_column] if time_column else None
    if times is None and (event := composite_event_date(typed)) is not None:
        time_column, times = event
    out: dict[str, pd.Series] = {}
    excluded: dict[str, str] = {}
    findings: list[Finding] = []
    for name in names:
        col = profile.columns[name]
        reason = _exclusion(name, col, profile.rows)
        if reason and (features is None or reason[1] == "constant"):
            excluded[name] = reason[1]
            findings.append(Finding("info", reason[0], f"'{name}' was left out of the features ({reason[1]}).",
                                    name, {"reason": reason[1], "distinct": col.distinct}))
            continue
        values = typed[name]
        if name == time_column:
            out.update(calendar_features(values, name))
        elif pd.api.types.is_datetime64_any_dtype(values):
            derived, finding = _date_feature(name, values, times, time_column)
            out.update(derived)
            if finding:
                excluded[name] = "recorded after the outcome"
                findings.append(finding)
        elif pd.api.types.is_numeric_dtype(values):
            out[name] = values.astype(float)
        else:
            text = values.astype("string").str.strip()
            out[name] = text.astype(object).where(text.notna(), np.nan)  # scikit-learn wants NaN, not pd.NA
    return pd.DataFrame(out, index=frame.index), excluded, findings


def missing_findings(X: pd.DataFrame, profile: TableProfile) -> list[Finding]:
    """FEAS_MISSING_FEATURE_VALUES for each feature with empty cells on the labelled rows."""
    found = []
    for name in X.columns:
        missing = int(X[name].isna().sum())
        if not missing:
            continue
        numeric = pd.api.types.is_numeric_dtype(X[name])
        how = "filled with the training folds' median" if numeric else f"kept as their own category '{MISSING}'"
        as_text = name in profile.columns and profile.columns[name].semantic_type == "number_as_text"
        stored = " (the column holds numbers stored as text)" if as_text else ""
        found.append(Finding("info", codes.FEAS_MISSING_FEATURE_VALUES,
                             f"'{name}' is empty on {missing:,} labelled rows{stored}; these values are {how} "
                             "inside each fold.", name,
                             {"rows": missing, "share": missing / max(1, len(X)), "number_as_text": as_text}))
    return found


def split_encodings(X: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(numeric, categorical) feature names."""
    numeric = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
    return numeric, [c for c in X.columns if c not in numeric]


def candidate_parameters(X: pd.DataFrame, numeric: list[str], categorical: list[str]) -> int:
    """Numeric features plus, per category, its levels with enough rows to be encoded, less one."""
    levels = sum(max(1, int((X[c].value_counts() >= MIN_LEVEL_ROWS).sum()) - 1) for c in categorical)
    return len(numeric) + levels


def usable(X: pd.DataFrame) -> list[str]:
    """Features that vary on the labelled rows."""
    return [c for c in X.columns if X[c].nunique(dropna=False) > 1]


def _target_values(frame: pd.DataFrame, typed: pd.DataFrame, profile: TableProfile, *, kind: str,
                   target: str) -> tuple[pd.Series | None, list[Finding]]:
    """The target per row (text for classes, float for regression), NA when unlabelled."""
    if kind != "regression":
        return label_text(frame, typed, target), []
    if profile.columns[target].semantic_type in ("number", "number_as_text"):
        return typed[target].astype(float), []
    return None, [Finding("error", codes.FEAS_TARGET_NOT_NUMERIC,
                          f"The regression target '{target}' holds text "
                          f"({profile.columns[target].semantic_type.replace('_', ' ')}), not numbers; "
                          "use kind classification, or give a numeric target.", target,
                          {"semantic_type": profile.columns[target].semantic_type})]


def _encode_target(values: pd.Series, kind: str, positive_label: str | None,
                   target: str) -> tuple[np.ndarray, list[str], str | None]:
    if kind == "regression":
        return values.to_numpy(dtype=float), [], None
    classes = sorted(values.dropna().unique().tolist())
    if len(classes) != 2 or kind == "text_classification":
        return values.to_numpy(dtype=object), [str(c) for c in classes], None
    counts = {str(k): int(v) for k, v in values.value_counts().items()}
    positive = choose_positive(classes, positive_label, target=target, counts=counts)
    negative = next(c for c in classes if c != positive)
    return (values == positive).to_numpy(dtype=int), [negative, positive], positive


def prepare(frame: pd.DataFrame, typed: pd.DataFrame, profile: TableProfile, *, kind: str, target: str,
            positive_label: str | None = None, features: list[str] | None = None, exclude: list[str] = (),
            time_column: str | None = None, group_column: str | None = None,
            text_column: str | None = None) -> Prepared:
    """The labelled rows of a classification, regression or text-classification use case.

    Parameters
    ----------
    frame, typed : DataFrame
        The table as loaded and as typed by :func:`type_table`.
    profile : TableProfile
    kind : str
        Not ``auto`` and not ``forecast``.
    target, positive_label, features, exclude, time_column, group_column, text_column
        As for :func:`readiness.feasibility.assess_feasibility`.

    Returns
    -------
    Prepared
        ``blocked`` when the target cannot be used (see its findings).
    """
    values, findings = _target_values(frame, typed, profile, kind=kind, target=target)
    findings = time_findings(frame, typed, time_column) + group_findings(frame, group_column) + findings
    if kind == "text_classification":
        X_all = pd.DataFrame({text_column: clean_text(typed[text_column].astype("string").fillna(""))})
        excluded: dict[str, str] = {}
    else:
        X_all, excluded, more = build_features(frame, typed, profile, target=target, features=features,
                                               exclude=list(exclude), time_column=time_column,
                                               group_column=group_column)
        findings += more
    mask = values.notna().to_numpy() if values is not None else np.zeros(len(frame), dtype=bool)
    y, classes, positive = _encode_target(values[mask], kind, positive_label, target) if values is not None \
        else (np.array([]), [], None)
    X = X_all[mask].reset_index(drop=True)
    if kind != "text_classification":
        findings += missing_findings(X, profile)
    numeric, categorical = ([], []) if kind == "text_classification" else split_encodings(X)
    times = typed[time_column][mask].to_numpy() if time_column and kind != "text_classification" else None
    groups = frame[group_column][mask].astype("string").fillna(MISSING).to_numpy(dtype=object) \
        if group_column else None
    blocked = any(f.code in codes.BLOCKING for f in findings)
    return Prepared(kind=kind, X=X, y=y, classes=classes, positive=positive, numeric=numeric,
                    categorical=categorical, text=text_column if kind == "text_classification" else None,
                    row_id=_row_ids(frame, profile)[mask], row=np.flatnonzero(mask), groups=groups, times=times,
                    rows_total=len(frame), labelled=int(mask.sum()),
                    parameters=candidate_parameters(X, numeric, categorical), excluded=excluded,
                    findings=findings, blocked=blocked)
