"""Data-quality dimension scores (0-100) and the table's verdict.

Each dimension is a share of good cells or rows, so a score of 97 reads "3 % of what was
checked is wrong". The formulas are in each function's docstring and are tested on small
hand-computed tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

from readiness.profiling.infer import DATE_TYPES, NUMBER_TYPES
from readiness.profiling.profile import ColumnProfile, TableProfile
from readiness.quality.checks import newest_date, non_positive_amounts, timeliness_columns
from readiness.results import Finding

READY_MIN, NEEDS_WORK_MIN = 85.0, 60.0
VALIDATED_TYPES = (*NUMBER_TYPES, *DATE_TYPES, "email", "phone")


@dataclass(frozen=True)
class QualityScores:
    """The five data-quality dimensions (0-100) and their mean; timeliness is None without dates."""

    completeness: float
    validity: float
    uniqueness: float
    consistency: float
    timeliness: float | None
    overall: float

    def as_dict(self) -> dict[str, float | None]:
        """The scores rounded to one decimal, for metrics and display."""
        return {k: (None if v is None else round(v, 1)) for k, v in asdict(self).items()}


def completeness(profile: TableProfile) -> float:
    """completeness = 100 x (1 - null cells / all cells).

    Null cells are empty fields ('' or NA), whitespace-only values and null tokens such as
    'N/A'. A table without cells scores 0.
    """
    cells = profile.rows * len(profile.columns)
    nulls = sum(c.null_total for c in profile.columns.values())
    return 100.0 * (1 - nulls / cells) if cells else 0.0


def validity(
    profile: TableProfile,
    *,
    extra_invalid: Mapping[str, int] | None = None,
    extra_columns: Iterable[str] = (),
) -> float:
    """validity = 100 x (1 - invalid cells / checked cells).

    Checked cells are the non-null cells of typed columns: numbers (also stored as text),
    dates, e-mails, phones, and the columns in ``extra_columns`` (rule and reference columns).
    Invalid cells are: values that do not parse as numbers or dates, malformed e-mails or
    phones, future dates, zero or negative amounts in money columns (only negative ones where
    most amounts are 0, as in a fee charged now and then), and the violations in
    ``extra_invalid`` (rule failures, orphan references), each column capped at its checked
    cells. 100 when nothing is checked.
    """
    extra_invalid = dict(extra_invalid or {})
    extra = set(extra_columns) | set(extra_invalid)
    checked = invalid = 0
    for col in profile.columns.values():
        if not (col.semantic_type in VALIDATED_TYPES or col.personal_kind in ("email", "phone")
                or col.name in extra):
            continue
        checked += col.non_null
        invalid += min(col.non_null, _invalid_cells(col) + extra_invalid.get(col.name, 0))
    return 100.0 * (1 - invalid / checked) if checked else 100.0


def _invalid_cells(col: ColumnProfile) -> int:
    bad = col.invalid_emails + col.invalid_phones
    if col.semantic_type in NUMBER_TYPES:
        bad += col.non_numeric + non_positive_amounts(col)
    if col.semantic_type in DATE_TYPES:
        bad += col.unparseable_dates + col.future_dates
    return bad


def uniqueness(profile: TableProfile) -> float:
    """uniqueness = 100 x (1 - redundant rows / rows).

    Redundant rows are the union of exact duplicate rows, the extra rows of a duplicated key
    value, and near-duplicate records. An empty table scores 100.
    """
    return 100.0 * (1 - profile.redundant_rows / profile.rows) if profile.rows else 100.0


def consistency(profile: TableProfile) -> float:
    """consistency = 100 x (1 - off-format cells / checked cells).

    Checked cells are the non-null cells of phone, identifier, code, date and number
    columns. A cell is off-format when it is not in its column's dominant shape (phones,
    identifiers, codes) or dominant date format (unreadable dates included), or when it is a
    number stored as text that is not a plain number ('1,234', '€5'). 100 when nothing is
    checked.
    """
    checked = off = 0
    for col in profile.columns.values():
        if col.off_format is None:
            continue
        checked += col.non_null
        off += col.off_format
    return 100.0 * (1 - off / checked) if checked else 100.0


def timeliness(profile: TableProfile, *, freshness_days: int = 90) -> float | None:
    """timeliness = 100 x (1 - future-dated share) x freshness.

    Over the table's date columns (dates of birth excluded): the future-dated share is future
    dates / non-null dates; freshness is 1 when the newest date not after ``as_of`` is within
    ``freshness_days`` of it, falling linearly to 0 at 4 x ``freshness_days`` (0 when no date
    is on or before ``as_of``). None when the table has no date column or no ``as_of``.
    """
    columns = timeliness_columns(profile)
    if not columns or profile.as_of is None:
        return None
    dated = sum(c.non_null for c in columns)
    future_share = sum(c.future_dates for c in columns) / dated if dated else 0.0
    return 100.0 * (1 - future_share) * freshness(profile, freshness_days=freshness_days)


def freshness(profile: TableProfile, *, freshness_days: int = 90) -> float:
    """1 within ``freshness_days`` of as_of, linear down to 0 at 4 x ``freshness_days``."""
    newest = newest_date(profile)
    if newest is None or profile.as_of is None:
        return 0.0
    age = (profile.as_of - newest[1]).days
    if age <= freshness_days:
        return 1.0
    return max(0.0, 1 - (age - freshness_days) / (3 * freshness_days))


def quality_scores(
    profile: TableProfile,
    *,
    freshness_days: int = 90,
    extra_invalid: Mapping[str, int] | None = None,
    extra_columns: Iterable[str] = (),
) -> QualityScores:
    """All dimensions; overall = mean of the available ones (timeliness may be None).

    Examples
    --------
    >>> import pandas as pd
    >>> from readiness.profiling.profile import profile_table
    >>> s = pd.StringDtype("pyarrow")
    >>> frame = pd.DataFrame({"x": pd.Series(["1", "", "3", "4"], dtype=s)})
    >>> quality_scores(profile_table(frame)).completeness
    75.0
    """
    dims = {
        "completeness": completeness(profile),
        "validity": validity(profile, extra_invalid=extra_invalid, extra_columns=extra_columns),
        "uniqueness": uniqueness(profile),
        "consistency": consistency(profile),
        "timeliness": timeliness(profile, freshness_days=freshness_days),
    }
    available = [v for v in dims.values() if v is not None]
    return QualityScores(**dims, overall=sum(available) / len(available))


def quality_verdict(scores: QualityScores, findings: Iterable[Finding]) -> str:
    """"ready" (overall >= 85 and no error finding), "needs_work" (overall >= 60), else "not_ready"."""
    has_error = any(f.severity == "error" for f in findings)
    if scores.overall >= READY_MIN and not has_error:
        return "ready"
    return "needs_work" if scores.overall >= NEEDS_WORK_MIN else "not_ready"
