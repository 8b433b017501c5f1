"""Data-quality checks: each turns part of a :class:`TableProfile` into :class:`Finding` objects.

Every finding has a stable code (the constants below). Severities: ``error`` blocks use of the
table until fixed, ``warning`` lowers trust, ``info`` is context. Messages give counts and
shares and never a raw personal value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from readiness.findings import (
    DQ_CONSTANT_COLUMN,
    DQ_DISGUISED_NULLS,
    DQ_DUPLICATE_KEY,
    DQ_DUPLICATE_ROWS,
    DQ_FUTURE_DATE,
    DQ_INCONSISTENT_FORMAT,
    DQ_INVALID_EMAIL,
    DQ_INVALID_PHONE,
    DQ_MISSING_CONCENTRATED,
    DQ_MISSING_VALUES,
    DQ_MIXED_DATE_FORMATS,
    DQ_NEAR_DUPLICATE_RECORDS,
    DQ_NEGATIVE_QUANTITY,
    DQ_NON_POSITIVE_AMOUNT,
    DQ_NULL_KEY,
    DQ_NUMBER_AS_TEXT,
    DQ_ORPHAN_REFERENCE,
    DQ_OUTLIERS,
    DQ_PERSONAL_DATA,
    DQ_PII_IN_TEXT,
    DQ_RULE_FAILED,
    DQ_SENTINEL_VALUE,
    DQ_SPREADSHEET_DAMAGE,
    DQ_STALE_TABLE,
    DQ_UNPARSEABLE_DATE,
    codes_of,
)
from readiness.privacy import safe_text
from readiness.profiling.infer import DATE_TYPES, NUMBER_TYPES, is_amount_column, is_count_column
from readiness.profiling.profile import ColumnProfile, TableProfile
from readiness.results import Finding
from readiness.sources.base import LevelCounts, ParentKeys, PersonalCounts
from readiness.sources.pandas import PandasRows

CODES = codes_of("quality")

MISSING_WARNING, MISSING_ERROR = 0.05, 0.50
DOMINANT_FORMAT_MIN = 0.90
CONCENTRATION_RATIO, CONCENTRATION_GAP, CONCENTRATION_MIN_ROWS = 3.0, 0.10, 5
GROUP_MAX_LEVELS = 20
ZERO_MEANS_NONE = 0.5


def _pct(share: float) -> str:
    """A share as a percentage that never shows a real problem as 0.0%."""
    return "<0.1%" if 0 < share < 0.001 else f"{share:.1%}"


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _finding(severity: str, code: str, message: str, column: str | None = None, **evidence: Any) -> Finding:
    return Finding(severity, code, message, column, evidence)  # type: ignore[arg-type]


def check_keys(profile: TableProfile) -> list[Finding]:
    """Exact duplicate rows, near-duplicate records, duplicated and missing key values."""
    out, rows, key = [], profile.rows, profile.key
    if profile.duplicate_rows:
        n = profile.duplicate_rows
        out.append(_finding("warning", DQ_DUPLICATE_ROWS,
                            f"{n:,} rows ({_pct(_share(n, rows))}) are exact copies of an earlier row.",
                            rows=n, share=_share(n, rows)))
    if key and profile.duplicate_key_rows:
        n = profile.duplicate_key_rows
        out.append(_finding("error", DQ_DUPLICATE_KEY,
                            f"Key column '{key}' is not unique: {n:,} rows ({_pct(_share(n, rows))}) reuse "
                            "a key value already used by an earlier row.", key, rows=n, share=_share(n, rows)))
    if key and profile.null_key_rows:
        n = profile.null_key_rows
        out.append(_finding("error", DQ_NULL_KEY,
                            f"{n:,} rows ({_pct(_share(n, rows))}) have no value in key column '{key}'.",
                            key, rows=n, share=_share(n, rows)))
    if profile.near_duplicate_rows:
        n = profile.near_duplicate_rows
        ignored = f" (ignoring key '{key}')" if key else ""
        out.append(_finding("warning", DQ_NEAR_DUPLICATE_RECORDS,
                            f"{n:,} rows ({_pct(_share(n, rows))}) repeat an earlier record once letter case and "
                            f"spacing are ignored{ignored}.", rows=n, share=_share(n, rows)))
    return out


def check_columns(profile: TableProfile, *, references: Iterable[str] = ()) -> list[Finding]:
    """Every per-column check that needs only the profile.

    ``references`` are the columns that refer to another table's key: spreadsheet damage there (as
    on the key) is an error, since the rows no longer join.
    """
    out: list[Finding] = []
    joined = {profile.key, *references} - {None}
    for col in profile.columns.values():
        for check in (_missing, _disguised_nulls, _constant, _number_as_text, _amounts, _sentinel,
                      _negative_quantity, _outliers, _invalid_values, _format, _date_quality, _personal):
            out.extend(check(col, profile))
        out.extend(_spreadsheet_damage(col, joined=col.name in joined))
    return out


DAMAGE_WORDS = {
    "scientific_notation": "are written in scientific notation ({examples}): a spreadsheet kept only their first "
                           "digits, so the rest are lost and different values may have become one",
    "lost_leading_zeros": "are codes that lost their leading zeros ({examples}), as a spreadsheet drops them when "
                          "it reads a code as a number; they no longer match the codes written in full",
    "float_suffix": "are whole numbers turned into decimals ({examples}), as a spreadsheet or a float column "
                    "writes them; they no longer match the values written as integers, and digits beyond the 15th "
                    "are lost",
    "date_serial": "are spreadsheet day numbers instead of dates ({examples}), counted from 1899-12-30, so they "
                   "are not read as dates",
}


def _spreadsheet_damage(col: ColumnProfile, *, joined: bool) -> list[Finding]:
    damage = col.spreadsheet_damage
    if not damage:
        return []
    role = " It is the key or a reference column, so these rows no longer join." if joined else ""
    what = DAMAGE_WORDS[damage["kind"]].format(examples=", ".join(damage["examples"]))
    return [_finding("error" if joined else "warning", DQ_SPREADSHEET_DAMAGE,
                     f"Column '{col.name}': {damage['rows']:,} values ({_pct(damage['share'])}) {what}.{role} "
                     "Re-export the column from the source system as text (not through a spreadsheet), or "
                     "format it as text before saving.", col.name, **damage)]


def _sentinel(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    if col.sentinel_value is None or col.semantic_type not in NUMBER_TYPES:
        return []
    n, value = col.sentinel_rows, col.sentinel_value
    share = _share(n, col.non_null)
    shown = str(int(value)) if value == int(value) else str(value)
    return [_finding("warning", DQ_SENTINEL_VALUE,
                     f"Column '{col.name}': {shown} on {n:,} rows ({_pct(share)}) looks like a code for 'none' "
                     "rather than a number; it is left out of the column's range, mean, quantiles and outliers. "
                     "Recode it as missing (with a yes/no column if 'none' matters) before modelling.", col.name,
                     value=value, rows=n, share=share)]


def _negative_quantity(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    if col.semantic_type not in NUMBER_TYPES or not is_count_column(col.name):
        return []
    n = col.non_positive - col.zeros
    if n <= 0:
        return []
    share = _share(n, col.non_null)
    marker = col.negative_marker
    because = ""
    if marker:
        rows, column, shown = marker["rows"], marker["column"], marker["marker"]
        who = "all of them" if rows == n else f"{rows:,} of them ({_pct(_share(rows, n))})"
        if marker["kind"] == "prefix":
            article = "an" if column[:1].lower() in "aeiou" else "a"
            mark = f"{article} {column} starting with '{shown}'"
        else:
            mark = f"{column} '{shown}'"
        because = (f"; {who} have {mark}: probably cancellation or return lines, to keep apart (or net off) "
                   "before the quantities are used")
    return [_finding("warning", DQ_NEGATIVE_QUANTITY,
                     f"Column '{col.name}' counts things but {n:,} values ({_pct(share)}) are negative{because}.",
                     col.name, rows=n, share=share, marker=dict(marker) if marker else None)]


def _missing(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    if not col.null_total:
        return []
    severity = "error" if col.null_share >= MISSING_ERROR else "warning"
    severity = severity if col.null_share >= MISSING_WARNING else "info"
    return [_finding(severity, DQ_MISSING_VALUES,
                     f"Column '{col.name}' is empty in {col.null_total:,} of {col.rows:,} rows "
                     f"({_pct(col.null_share)}), counting blanks and null tokens.", col.name,
                     rows=col.null_total, share=col.null_share)]


def _disguised_nulls(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    if not col.blank and not col.null_tokens:
        return []
    parts = [f"{col.blank:,} blank values"] if col.blank else []
    parts += [f"'{token}' x {n:,}" for token, n in col.null_tokens.items()]
    total = col.blank + sum(col.null_tokens.values())
    return [_finding("warning", DQ_DISGUISED_NULLS,
                     f"Column '{col.name}' hides {total:,} missing values as text ({', '.join(parts)}); "
                     "they are counted as missing.", col.name, blank=col.blank, tokens=dict(col.null_tokens))]


def _constant(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    if col.semantic_type != "constant":
        return []
    return [_finding("info", DQ_CONSTANT_COLUMN,
                     f"Column '{col.name}' holds the same value in all {col.non_null:,} non-empty rows; "
                     "it carries no information.", col.name, rows=col.non_null)]


def _number_as_text(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    if col.semantic_type != "number_as_text":
        return []
    nulls = col.blank + sum(col.null_tokens.values())
    parts = [f"{col.non_plain_numbers:,} values are not plain numbers"] if col.non_plain_numbers else []
    parts += [f"{nulls:,} are blanks or null tokens"] if nulls else []
    return [_finding("warning", DQ_NUMBER_AS_TEXT,
                     f"Column '{col.name}' holds numbers stored as text: {' and '.join(parts)}; "
                     "they are read as numbers, with blanks and tokens as missing.", col.name,
                     rows=col.non_plain_numbers + nulls, non_plain=col.non_plain_numbers,
                     disguised_nulls=nulls, blank=col.blank,
                     tokens=dict(col.null_tokens), non_numeric=col.non_numeric)]


def non_positive_amounts(col: ColumnProfile) -> int:
    """Zero or negative values of a money column; only negatives where 0 is the usual value.

    A fee that is mostly 0 (a late-cancellation fee, a discount) uses 0 for "not charged".
    """
    if col.semantic_type not in NUMBER_TYPES or not is_amount_column(col.name):
        return 0
    return col.non_positive - col.zeros if col.zeros >= ZERO_MEANS_NONE * col.non_null else col.non_positive


def _amounts(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    n = non_positive_amounts(col)
    if not n:
        return []
    share = _share(n, col.non_null)
    what = "negative" if n < col.non_positive else "zero or negative"
    return [_finding("warning", DQ_NON_POSITIVE_AMOUNT,
                     f"Column '{col.name}' looks like a money amount but {n:,} values ({_pct(share)}) are {what}.",
                     col.name, rows=n, share=share)]


def _outliers(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    if col.semantic_type not in NUMBER_TYPES or not col.outliers or col.personal_kind:
        return []
    share = _share(col.outliers, col.non_null)
    return [_finding("info", DQ_OUTLIERS,
                     f"Column '{col.name}': {col.outliers:,} values ({_pct(share)}) lie more than 3 x IQR "
                     f"beyond the quartiles (range {col.min:g} to {col.max:g}).", col.name,
                     rows=col.outliers, share=share)]


def _invalid_values(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    out = []
    for n, code, what in ((col.invalid_emails, DQ_INVALID_EMAIL, "e-mail addresses"),
                          (col.invalid_phones, DQ_INVALID_PHONE, "phone numbers")):
        if n:
            share = _share(n, col.non_null)
            out.append(_finding("warning", code, f"Column '{col.name}': {n:,} of {col.non_null:,} values "
                                f"({_pct(share)}) are not valid {what}.", col.name, rows=n, share=share))
    return out


def _format(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    share = col.dominant_format_share
    if not col.formats or share is None or share >= DOMINANT_FORMAT_MIN:
        return []
    shape, count = next(iter(col.formats.items()))
    return [_finding("warning", DQ_INCONSISTENT_FORMAT,
                     f"Column '{col.name}' is written in {len(col.formats)}{'+' if len(col.formats) >= 5 else ''} "
                     "formats: the commonest "
                     f"({shape}) covers only {share:.0%} of values.", col.name,
                     rows=col.off_format, formats=dict(col.formats), dominant_share=share)]


def _date_quality(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    if col.semantic_type not in DATE_TYPES:
        return []
    out, name = [], col.name
    if col.future_dates and profile.as_of is not None:
        share = _share(col.future_dates, col.non_null)
        out.append(_finding("error", DQ_FUTURE_DATE,
                            f"Column '{name}': {col.future_dates:,} dates ({_pct(share)}) are after the "
                            f"assessment date {profile.as_of.isoformat()}.", name,
                            rows=col.future_dates, share=share, as_of=profile.as_of.isoformat()))
    if col.unparseable_dates:
        share = _share(col.unparseable_dates, col.non_null)
        out.append(_finding("warning", DQ_UNPARSEABLE_DATE,
                            f"Column '{name}': {col.unparseable_dates:,} values ({_pct(share)}) cannot be read "
                            "as dates.", name, rows=col.unparseable_dates, share=share))
    if len(col.date_formats) > 1:
        listed = ", ".join(f"{fmt} ({n:,})" for fmt, n in col.date_formats.items())
        out.append(_finding("warning", DQ_MIXED_DATE_FORMATS,
                            f"Column '{name}' mixes {len(col.date_formats)} date formats: {listed}.", name,
                            rows=col.off_format, formats=dict(col.date_formats)))
    return out


def _personal(col: ColumnProfile, profile: TableProfile) -> list[Finding]:
    if not col.personal_kind:
        return []
    example = f", e.g. {col.top_values[0][0]}" if col.top_values else ""
    return [_finding("info", DQ_PERSONAL_DATA,
                     f"Column '{col.name}' holds personal data ({col.personal_kind.replace('_', ' ')}); "
                     f"reports show it masked{example}.", col.name, kind=col.personal_kind)]


def check_freshness(profile: TableProfile, *, freshness_days: int = 90) -> list[Finding]:
    """DQ_STALE_TABLE when the newest date (not after as_of) is older than ``freshness_days``."""
    newest = newest_date(profile)
    if newest is None or profile.as_of is None:
        return []
    column, latest = newest
    days = (profile.as_of - latest).days
    if days <= freshness_days:
        return []
    return [_finding("warning", DQ_STALE_TABLE,
                     f"The newest date in the table ('{column}', {latest.isoformat()}) is {days:,} days before "
                     f"{profile.as_of.isoformat()}; more than the {freshness_days}-day freshness window.",
                     None, days=days, newest=latest.isoformat(), date_column=column,
                     freshness_days=freshness_days)]


def newest_date(profile: TableProfile) -> tuple[str, date] | None:
    """(column, date) of the newest date not after as_of across the table's dates (birth dates excluded)."""
    found = [(c.latest_date.date(), c.name) for c in timeliness_columns(profile) if c.latest_date is not None]
    if not found:
        return None
    latest, column = max(found)
    return column, latest


def timeliness_columns(profile: TableProfile) -> list[ColumnProfile]:
    """The date columns that say how current the table is (dates of birth do not)."""
    return [c for c in profile.columns.values()
            if c.semantic_type in DATE_TYPES and c.personal_kind != "date_of_birth"]


def concentration_columns(profile: TableProfile) -> tuple[list[str], list[str]]:
    """The columns :func:`missing_concentrated` compares: those with some empty rows, and the category
    columns whose levels might hold them."""
    targets = [c.name for c in profile.columns.values() if 2 <= c.null_total < c.rows]
    groups = [c.name for c in profile.columns.values()
              if c.semantic_type in ("category", "boolean") and 2 <= c.distinct <= GROUP_MAX_LEVELS
              and not c.personal_kind]
    return targets, groups


def missing_concentrated(profile: TableProfile, levels: Iterable[LevelCounts]) -> list[Finding]:
    """DQ_MISSING_CONCENTRATED: a column's nulls pile up in one level of a category column.

    ``levels`` are the rows and nulls per level the table's source counted
    (:meth:`readiness.sources.base.Rows.nulls_by_level`). A level qualifies when it has at least 5
    rows and 2 nulls, its null rate is at least 3 x the rate in the other rows and at least 10
    points above it. Only the strongest level (largest gap) is reported for each column.
    """
    best: dict[str, tuple[float, str, str, float, float, int]] = {}
    for counted in levels:
        level_rows = counted.rows
        for target, level_nulls in counted.nulls.items():
            rest_rows = level_rows.sum() - level_rows
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = level_nulls / level_rows
                rest = (level_nulls.sum() - level_nulls) / rest_rows
            ok = ((level_rows >= CONCENTRATION_MIN_ROWS) & (level_nulls >= 2) & (rest_rows > 0)
                  & (rate >= CONCENTRATION_RATIO * rest) & (rate - rest >= CONCENTRATION_GAP))
            for i in np.flatnonzero(ok):
                gap = float(rate[i] - rest[i])
                if gap > best.get(target, (-1.0,))[0]:
                    best[target] = (gap, counted.group, safe_text(counted.levels[i]), float(rate[i]),
                                    float(rest[i]), int(level_nulls[i]))
    return [_finding("warning", DQ_MISSING_CONCENTRATED,
                     f"Column '{name}' is missing far more often when '{group}' is '{level}': "
                     f"{rate:.0%} of those rows versus {rest:.0%} of the others.", name,
                     rows=profile.columns[name].null_total, group_rows=in_group, group_column=group, group=level,
                     group_null_rate=rate, other_null_rate=rest)
            for name, (_, group, level, rate, rest, in_group) in best.items()]


def check_missing_concentrated(profile: TableProfile, typed: pd.DataFrame) -> list[Finding]:
    """:func:`missing_concentrated` counted on a typed pandas frame."""
    return missing_concentrated(profile, PandasRows(typed).nulls_by_level(*concentration_columns(profile)))


def text_columns(profile: TableProfile) -> list[str]:
    """The text columns :func:`pii_in_text` reads: free text and categories not already known personal."""
    return [c.name for c in profile.columns.values()
            if c.semantic_type in ("free_text", "category") and not c.personal_kind and c.text_source]


def pii_in_text(profile: TableProfile, found: Mapping[str, PersonalCounts]) -> list[Finding]:
    """DQ_PII_IN_TEXT: personal data inside free-text or category columns.

    E-mail addresses and phone numbers, and identifiers (card numbers passing the Luhn check,
    IBANs, US social security and UK National Insurance numbers) written into text, as the
    table's source counted them (:meth:`readiness.sources.base.Rows.personal_values`).
    """
    out = []
    for name in (c for c in profile.columns if c in found):
        col, counts = profile.columns[name], found[name]
        share = _share(counts.rows, col.non_null)
        evidence: dict[str, Any] = {"rows": counts.rows, "share": share, "emails": counts.emails,
                                    "phones": counts.phones}
        more = ""
        if counts.identifiers:
            evidence["identifiers"] = counts.identifiers
            more = f", {counts.identifiers:,} with card, bank account or national identity numbers"
        what = "personal data" if counts.identifiers else "personal contact details"
        out.append(_finding("warning", DQ_PII_IN_TEXT,
                            f"Text column '{name}' contains {what} in {counts.rows:,} rows ({_pct(share)}): "
                            f"{counts.emails:,} with e-mail addresses, {counts.phones:,} with phone numbers{more}.",
                            name, **evidence, examples=counts.examples))
    return out


def check_pii_in_text(profile: TableProfile, typed: pd.DataFrame) -> list[Finding]:
    """:func:`pii_in_text` counted on a typed pandas frame."""
    return pii_in_text(profile, PandasRows(typed).personal_values(text_columns(profile)))


def orphan_references(
    profile: TableProfile, typed: pd.DataFrame, reference_keys: Mapping[str, Iterable[Any]]
) -> dict[str, dict[str, Any]]:
    """For each referencing column of a typed pandas frame: rows whose value is not among the parent keys.

    Returns ``{column: {"rows": n, "distinct": k, "examples": [...]}}`` (examples masked when
    the column holds personal data). Values are compared as text, integers without '.0'.
    """
    rows = PandasRows(typed)
    return {column: rows.orphans(column, ParentKeys(listed=[], handle=keys),
                                 kind=profile.columns[column].personal_kind).as_dict()
            for column, keys in reference_keys.items()}


def check_orphans(profile: TableProfile, orphans: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    """DQ_ORPHAN_REFERENCE from :func:`orphan_references`."""
    out = []
    for column, found in orphans.items():
        if not found["rows"]:
            continue
        share = _share(found["rows"], profile.columns[column].non_null)
        out.append(_finding("error", DQ_ORPHAN_REFERENCE,
                            f"Column '{column}': {found['rows']:,} rows ({_pct(share)}) refer to "
                            f"{found['distinct']:,} values that are not in the parent table.", column,
                            share=share, **found))
    return out


def check_rules(expectations: pd.DataFrame | None) -> list[Finding]:
    """DQ_RULE_FAILED for each failed expectation that came from an analyst's rule."""
    if expectations is None or expectations.empty:
        return []
    failed = expectations[(expectations["origin"] == "rule") & ~expectations["success"].astype(bool)]
    out = []
    for row in failed.itertuples(index=False):
        count = 0 if pd.isna(row.unexpected_count) else int(row.unexpected_count)
        percent = 0.0 if pd.isna(row.unexpected_percent) else float(row.unexpected_percent)
        column = None if pd.isna(row.column) else str(row.column)
        where = f" on '{column}'" if column else ""
        out.append(_finding("error", DQ_RULE_FAILED,
                            f"Rule{where} failed: {row.description} ({count:,} rows, {percent:.1f}%).", column,
                            expectation=str(row.expectation), rows=count, percent=percent))
    return out


def rule_failure_counts(expectations: pd.DataFrame | None) -> dict[str, int]:
    """Failing rows per column across the analyst's rules (for the validity score)."""
    if expectations is None or expectations.empty:
        return {}
    rules = expectations[(expectations["origin"] == "rule") & expectations["column"].notna()]
    counts = pd.to_numeric(rules["unexpected_count"], errors="coerce").fillna(0)
    return {str(k): int(v) for k, v in counts.groupby(rules["column"]).sum().items()}


def run_checks(
    profile: TableProfile,
    typed: pd.DataFrame,
    *,
    freshness_days: int = 90,
    reference_keys: Mapping[str, Iterable[Any]] | None = None,
    expectations: pd.DataFrame | None = None,
) -> list[Finding]:
    """Every check on one table, in a stable order.

    Parameters
    ----------
    profile : TableProfile
        From :func:`readiness.profiling.profile_table` (its ``as_of`` dates the future/stale checks).
    typed : DataFrame
        From :func:`readiness.quality.typed_frame` for the same table.
    freshness_days : int
        Newest date older than this many days before ``as_of`` gives DQ_STALE_TABLE.
    reference_keys : mapping of column -> parent keys (set, list or Series), optional
        Values of ``column`` not among the parent keys give DQ_ORPHAN_REFERENCE.
    expectations : DataFrame, optional
        Great Expectations results; failed rules give DQ_RULE_FAILED.

    Returns
    -------
    list of Finding
    """
    findings = check_keys(profile) + check_columns(profile)
    findings += check_freshness(profile, freshness_days=freshness_days)
    findings += check_missing_concentrated(profile, typed)
    findings += check_pii_in_text(profile, typed)
    if reference_keys:
        findings += check_orphans(profile, orphan_references(profile, typed, reference_keys))
    return findings + check_rules(expectations)
