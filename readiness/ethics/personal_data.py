"""Personal-data scan: which columns hold personal data, of which kind, and how much of it.

A column is recognised from its name (``email``, ``dob``, ``nhs_number`` ...) or from its
values, each value checked by a validator from :mod:`readiness.ethics.validators`.
Free text is searched for the same kinds inside sentences. Columns whose names or values
touch the special categories of GDPR Article 9 (health, ethnicity, religion, ...) are flagged.

Work is done on distinct values, so a million-row column with a few thousand distinct values
costs a few thousand checks. Examples are always masked by :func:`mask_pii`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from readiness.ethics.validators import (
    ADDRESS_RE,
    VALIDATORS,
    iban_valid,
    ip_address_valid,
    is_address,
    is_date_text,
    looks_like_name,
    luhn_valid,
    mask_pii,
    nhs_number_valid,
    uk_ni_valid,
    us_ssn_valid,
)
from readiness.privacy import (
    CARD_RE,
    EMAIL_RE,
    IBAN_RE,
    NHS_NUMBER_RE,
    UK_NI_RE,
    US_SSN_RE,
    find_phones,
    name_tokens,
    personal_kind_from_name,
)

# Kinds of personal data, in the order a value is tested (the first that matches wins).
KINDS = ("email", "card", "iban", "us_ssn", "uk_ni", "nhs_number", "phone", "ip_address", "date_of_birth",
         "address", "name")
IDENTIFIER_KINDS = frozenset({"card", "iban", "us_ssn", "uk_ni", "nhs_number"})
VALUE_SHARE = 0.5  # a column holds a kind when at least half its non-null rows validate as it
# kinds whose values can be checked: a column named like one holds it only when its values agree
VERIFIABLE = frozenset({"email", "card", "iban", "us_ssn", "uk_ni", "nhs_number", "phone", "ip_address", "name"})
NUMBER_DIGITS = {"phone": (9, 15), "card": (13, 19), "nhs_number": (10, 10), "us_ssn": (9, 9)}
MAX_DISTINCT = 50_000  # distinct values checked per column; the rest are not scanned (said in the output)
EXAMPLES = 3

SCAN_COLUMNS = ["table", "column", "kind", "found_by", "rows", "share", "special_category", "examples"]

# ------------------------------------------------------------------------ special categories

SPECIAL_CATEGORY_NAMES = {
    "health": {"health", "medical", "diagnosis", "condition", "injury", "disability", "illness", "symptom",
               "symptoms", "medication", "prescription", "allergy", "allergies", "pregnancy", "pregnant"},
    "racial_or_ethnic_origin": {"race", "ethnic", "ethnicity", "ethnicities"},
    "religion_or_belief": {"religion", "religious", "faith", "belief", "beliefs", "denomination"},
    "sexual_orientation": {"sexuality", "orientation", "sexual"},
    "trade_union_membership": {"union"},
    "biometric": {"biometric", "biometrics", "fingerprint", "faceprint", "retina", "iris", "voiceprint"},
    "genetic": {"genetic", "dna", "genome", "genotype"},
    "political_opinion": {"political", "politics", "party"},
}
# Word stems that put a value (a category or free text) in a special category.
SPECIAL_CATEGORY_TERMS = {
    "health": r"diagnos|injur|pain|swell|sprain|fractur|surgery|operation|physio|therap|"
              r"pregnan|disab|symptom|medication|prescri|arthritis|asthma|diabet|cancer|anxiety|depress|"
              r"mental|pelvic|rehab|concussion",
    "racial_or_ethnic_origin": r"ethnic|racial|caucasian|hispanic|latino|asian-pac|amer-indian",
    "religion_or_belief": r"religio|catholic|protestant|muslim|islam|jewish|hindu|buddhis|christian|church|mosque|"
                          r"synagogue|atheist",
    "sexual_orientation": r"\bgay\b|lesbian|bisexual|homosexual|heterosexual|lgbt|sexual orientation",
    "trade_union_membership": r"trade union|union member",
    "biometric": r"fingerprint|biometric|face ?id|facial recognition|retina|iris scan|voiceprint",
    "genetic": r"genetic|\bdna\b|genom",
    "political_opinion": r"political|party member",
}
_SPECIAL_RES = {k: re.compile(rf"(?:{p})", re.IGNORECASE) for k, p in SPECIAL_CATEGORY_TERMS.items()}
SPECIAL_SHARE = 0.05  # a column is flagged when at least 5% of its rows mention a special category


def special_category_from_name(column: str) -> str | None:
    """The GDPR Article 9 category a column's name points to (``race`` -> racial or ethnic origin)."""
    tokens = set(name_tokens(column))
    if {"trade", "union"} <= tokens or tokens == {"union"} or "membership" in tokens and "union" in tokens:
        return "trade_union_membership"
    for category, words in SPECIAL_CATEGORY_NAMES.items():
        if category != "trade_union_membership" and tokens & words:
            if category == "political_opinion" and "political" not in tokens:
                continue  # "party" alone (party_size) is not a political opinion
            if category == "sexual_orientation" and not tokens & {"sexuality", "orientation"}:
                continue
            return category
    return None


def special_categories_in_values(values: pd.Series, counts: np.ndarray) -> dict[str, int]:
    """Rows whose value mentions each special category (``values`` distinct, ``counts`` their rows)."""
    out: dict[str, int] = {}
    text = values.astype(str)
    for category, regex in _SPECIAL_RES.items():
        hit = text.str.contains(regex, na=False).to_numpy(dtype=bool)
        if hit.any():
            out[category] = int(counts[hit].sum())
    return out

# ------------------------------------------------------------------------------- free text

_TEXT_PATTERNS: list[tuple[str, re.Pattern[str], Callable[[str], bool]]] = [
    ("email", EMAIL_RE, lambda s: True),
    ("iban", IBAN_RE, iban_valid),
    ("card", CARD_RE, luhn_valid),
    ("us_ssn", US_SSN_RE, us_ssn_valid),
    ("uk_ni", UK_NI_RE, uk_ni_valid),
    ("nhs_number", NHS_NUMBER_RE, nhs_number_valid),
    ("ip_address", re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])"), ip_address_valid),
    ("date_of_birth", re.compile(r"(?:\bborn\b(?: on)?|\bd\.?o\.?b\.?:?|date of birth:?)\s*"
                                 r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})", re.IGNORECASE),
     lambda s: True),
    ("address", ADDRESS_RE, lambda s: True),
]
_CANDIDATE = re.compile(r"@|\d{2}|\b(?:born|dob|date of birth)\b", re.IGNORECASE)


def find_personal_in_text(text: object) -> list[tuple[str, str]]:
    """Personal values inside free text, as ``(kind, value)`` pairs; each span is counted once.

    Examples
    --------
    >>> [k for k, _ in find_personal_in_text("Card 4111 1111 1111 1111, ring 087 555 1234")]
    ['card', 'phone']
    """
    if not isinstance(text, str) or not _CANDIDATE.search(text):
        return []
    found: list[tuple[str, str]] = []
    rest = text
    for kind, pattern, valid in _TEXT_PATTERNS:
        for match in list(pattern.finditer(rest)):
            if valid(match.group(0)):
                found.append((kind, match.group(0)))
                rest = rest.replace(match.group(0), " " * len(match.group(0)), 1)  # later kinds skip this span
    found.extend(("phone", p) for p in find_phones(rest))  # once identifiers are out of the way
    return found

# --------------------------------------------------------------------------- column scan

_NAME_HINTS = {
    "ssn": "us_ssn", "nhs": "nhs_number", "nino": "uk_ni", "ip": "ip_address", "iban": "iban", "ppsn": "other_id",
    "pps": "other_id", "passport": "other_id", "licence": "other_id", "license": "other_id",
}
KIND_WORDS = {
    "email": "e-mail addresses", "card": "payment card numbers", "iban": "IBANs", "us_ssn": "US social security "
    "numbers", "uk_ni": "UK National Insurance numbers", "nhs_number": "NHS numbers", "phone": "phone numbers",
    "ip_address": "IP addresses", "date_of_birth": "dates of birth", "address": "postal addresses",
    "name": "person names", "other_id": "national identifiers", "special_category": "special-category data",
}


def kind_from_name(column: str) -> str | None:
    """The kind of personal data a column name suggests, extending :func:`readiness.privacy.personal_kind_from_name`."""
    tokens = name_tokens(column)
    words = set(tokens)
    if {"national", "insurance"} <= words or "nino" in words or ("ni" in words and "number" in words):
        return "uk_ni"
    for word, kind in _NAME_HINTS.items():
        if word in words:
            return kind
    kind = personal_kind_from_name(column)
    return {"postcode": "address", "other": None}.get(kind, kind) if kind else None


def _text_mask(values: pd.Series, regex: str) -> np.ndarray:
    return values.str.contains(regex, regex=True, na=False).to_numpy(dtype=bool)


# A cheap vectorised test a value must pass before its validator runs (most values fail it).
_PREFILTERS = {
    "email": "@", "card": r"\d{4}", "iban": r"^[A-Za-z]{2}\d{2}", "us_ssn": r"\d{3}-", "uk_ni": r"^[A-Za-z]{2} ?\d",
    "nhs_number": r"\d{3}", "phone": r"^[+(]?0?\d", "ip_address": r"\d\.|:.*:", "address": r"\d",
}


def _validated(values: pd.Series, kinds: Iterable[str]) -> dict[str, np.ndarray]:
    """For each kind, which distinct values validate as it."""
    out = {}
    text = values.astype("string[pyarrow]")
    for kind in kinds:
        if kind == "name":
            check: Callable[[str], bool] = looks_like_name
        elif kind == "address":
            check = is_address
        elif kind == "date_of_birth":
            check = is_date_text
        else:
            check = VALIDATORS[kind]
        hit = np.zeros(len(values), dtype=bool)
        candidates = np.flatnonzero(_text_mask(text, _PREFILTERS[kind])) if kind in _PREFILTERS \
            else np.arange(len(values))
        hit[candidates] = [check(values.iloc[i]) for i in candidates]
        out[kind] = hit
    return out


def _distinct(series: pd.Series) -> tuple[pd.Series, np.ndarray, int]:
    counts = series.value_counts(dropna=True)
    counts = counts[counts.index.astype(str).str.strip() != ""]
    total = int(counts.sum())
    counts = counts.iloc[:MAX_DISTINCT]
    return pd.Series(counts.index.astype(str), dtype=object), counts.to_numpy(dtype=np.int64), total


def _row(table: str, column: str, kind: str, found_by: str, rows: int, total: int, examples: list[str],
         special: str | None = None) -> dict:
    return {"table": table, "column": column, "kind": kind, "found_by": found_by, "rows": rows,
            "share": rows / total if total else 0.0, "special_category": special or "",
            "examples": "; ".join(examples[:EXAMPLES])}


def _value_kinds(table: str, column: str, series: pd.Series, hinted: str | None) -> list[dict]:
    values, counts, total = _distinct(series)
    if not total:
        return []
    if hinted in ("date_of_birth", "other_id") or pd.api.types.is_datetime64_any_dtype(series.dtype):
        if hinted is None:
            return []
        shown = [mask_pii(v[:10], hinted) for v in values[:EXAMPLES]]
        return [_row(table, column, hinted, "name", total, len(series), shown)]
    if pd.api.types.is_numeric_dtype(series.dtype):
        # a number can hold a phone or card only with their digit counts; codes 1/2 under a phone name cannot
        agree = hinted in NUMBER_DIGITS and _digits_share(values, counts, *NUMBER_DIGITS[hinted]) >= VALUE_SHARE
        return [_row(table, column, hinted, "name and values", total, len(series), [])] if agree else []
    kinds = [k for k in KINDS if k not in ("name", "date_of_birth")] + (["name"] if hinted == "name" else [])
    hits = _validated(values, kinds)
    best = max(kinds, key=lambda k: int(counts[hits[k]].sum()))
    rows = int(counts[hits[best]].sum())
    if rows >= VALUE_SHARE * total:
        found_by = "name and values" if best == hinted else "values"
        shown = [mask_pii(v, best) for v in values[hits[best]][:EXAMPLES]]
        return [_row(table, column, best, found_by, rows, len(series), shown)]
    if hinted and hinted not in VERIFIABLE:  # an address or postcode is trusted to its name
        return [_row(table, column, hinted, "name", total, len(series), [mask_pii(v, hinted) for v in values[:2]])]
    return []  # a name suggests a kind, the values decide: codes under a 'telephone' name are not phones


def _digits_share(values: pd.Series, counts: np.ndarray, low: int, high: int) -> float:
    """Share of rows whose whole number has between ``low`` and ``high`` digits."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
    digits = np.where(whole, np.floor(np.log10(np.abs(numbers) + 1)) + 1, 0)
    ok = whole & (digits >= low) & (digits <= high)
    return float(counts[ok].sum() / max(1, counts.sum()))


def _text_kinds(table: str, column: str, series: pd.Series) -> list[dict]:
    values, counts, _ = _distinct(series)
    candidate = np.flatnonzero(_text_mask(values, _CANDIDATE.pattern))
    per_kind: dict[str, list[int]] = {}
    examples: dict[str, list[str]] = {}
    for i in candidate:
        for kind in {k for k, _ in find_personal_in_text(values.iloc[i])}:
            per_kind.setdefault(kind, []).append(i)
        for kind, found in find_personal_in_text(values.iloc[i]):
            if len(examples.setdefault(kind, [])) < EXAMPLES:
                examples[kind].append(mask_pii(found, kind))
    return [_row(table, column, kind, "text", int(counts[idx].sum()), len(series), examples[kind])
            for kind, idx in sorted(per_kind.items())]


def _special_rows(table: str, column: str, series: pd.Series, semantic: str) -> list[dict]:
    by_name = special_category_from_name(column)
    if by_name:
        return [_row(table, column, "special_category", "name", int(series.notna().sum()), len(series), [],
                     by_name)]
    if semantic not in ("category", "free_text") or pd.api.types.is_numeric_dtype(series.dtype):
        return []
    values, counts, _ = _distinct(series)
    found = special_categories_in_values(values, counts)
    rows = [_row(table, column, "special_category", "values" if semantic == "category" else "text", n,
                 len(series), [], category) for category, n in found.items() if n >= SPECIAL_SHARE * len(series)]
    return sorted(rows, key=lambda r: -r["rows"])[:1]


def _semantic(series: pd.Series) -> str:
    if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        return "number" if pd.api.types.is_numeric_dtype(series.dtype) else "date"
    text = series.dropna().astype(str)
    if text.empty:
        return "empty"
    long_text = text.str.len().mean() > 40 and text.str.contains(" ").mean() > 0.5
    return "free_text" if long_text and text.nunique() > 0.2 * len(text) else "category"


def scan_personal_data(
    frame: pd.DataFrame,
    *,
    table: str,
    semantic_types: dict[str, str] | None = None,
    text_columns: Iterable[str] = (),
) -> pd.DataFrame:
    """Find personal data in every column of a table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, typed (text trimmed, blanks as NA), e.g. from :func:`readiness.profiling.profile_and_type`.
    table : str
        The table's name, shown in the output.
    semantic_types : dict, optional
        Column -> semantic type from the quality profile (``free_text``, ``category`` ...);
        guessed from the values when not given.
    text_columns : iterable of str
        Columns to search as free text whatever their type.

    Returns
    -------
    pandas.DataFrame
        One row per column and kind found: ``table``, ``column``, ``kind``, ``found_by`` (name,
        values, name and values, text), ``rows``, ``share`` (of all rows), ``special_category``
        (GDPR Art. 9 category, or ""), ``examples`` (masked).

    Examples
    --------
    >>> df = pd.DataFrame({"contact": ["ann@example.com", "bob@example.org"], "n": [1, 2]})
    >>> scan_personal_data(df, table="t")[["column", "kind", "rows"]].values.tolist()
    [['contact', 'email', 2]]
    """
    text_columns = set(text_columns)
    types = dict(semantic_types or {})
    rows: list[dict] = []
    for column in frame.columns:
        series = frame[column]
        name = str(column)
        semantic = types.get(name) or _semantic(series)
        hinted = kind_from_name(name)
        if semantic == "identifier" and hinted is None:
            continue  # generated keys (customer_id) identify a record, not a person's details
        if hinted is None and (semantic == "free_text" or name in text_columns):
            rows += _text_kinds(table, name, series)
            semantic = "free_text"
        else:
            rows += _value_kinds(table, name, series, hinted)
        rows += _special_rows(table, name, series, semantic)
    return pd.DataFrame(rows, columns=SCAN_COLUMNS)
