"""One column at a time: encode its values, infer its semantic type, compute its statistics.

A column is factorised once (:func:`encode_column`); everything else works on its distinct
values (:class:`Encoded`) and is spread back over the rows with ``row_codes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from readiness.privacy import name_tokens, personal_kind_from_name
from readiness.profiling import columns as cols
from readiness.profiling.columns import DamageReport

SAMPLE_SIZE = 20_000
EXACT_FORMATS_MAX_DISTINCT = 50_000
ARROW_STRING = pd.StringDtype("pyarrow")
ID_WORDS = frozenset({"id", "uuid", "guid", "key", "code", "ref", "reference", "sku"})
ID_LAST_WORDS = frozenset({"no", "num", "nr", "number"})  # invoice_no, but not no_show or number_of_visits
CODE_WORDS = frozenset({"code", "postcode", "eircode", "zip", "zipcode", "sku", "ref", "reference"})
NUMBER_TYPES = ("number", "number_as_text")
DATE_TYPES = ("date", "date_as_text")
# Money a customer pays or is charged in a sale or payment, which is never below zero. Balances,
# results and differences are signed by nature (an overdrawn account, a loss, a refund, a discount
# written as -5), so a name with one of SIGNED_WORDS is not an amount whatever else it says.
AMOUNT_WORDS = frozenset({
    "amount", "amounts", "price", "prices", "fee", "fees", "charge", "charges", "cost", "costs", "payment",
    "payments", "paid", "spend", "revenue",
})
AMOUNT_AFFIXES = ("amount", "price", "cost", "total")  # unitprice, netamount, subtotal, totalcost
TOTAL_WORDS = frozenset({"total", "subtotal", "grand"})  # a total is money only beside money words
MONEY_CONTEXT = frozenset({"due", "sale", "sales", "invoice", "order", "bill", "eur", "euro", "euros", "usd",
                           "gbp", "chf", "dollars", "pounds", "gross"})
SIGNED_WORDS = frozenset({
    "balance", "balances", "net", "profit", "loss", "margin", "change", "delta", "diff", "difference",
    "adjustment", "adjustments", "variance", "gain", "refund", "refunds", "credit", "debit", "discount",
    "discounts", "overdraft",
})
# Counts of things that cannot go below zero (quantity, number_of_visits).
COUNT_WORDS = frozenset({"quantity", "quantities", "qty", "units", "items", "count", "counts", "pieces", "pcs"})
COUNT_PREFIXES = (("number", "of"), ("num", "of"), ("no", "of"), ("count", "of"), ("n", "of"))
DATE_NAME_WORDS = frozenset({"date", "dates", "dob", "birthdate", "birthday", "datetime", "timestamp", "dt"})
SMALL_RANGE_MAX_DISTINCT = 100  # a week_number or education_num with at most this many values is a number
QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
# Codes for "none" or "unknown" written into number columns (pdays = -1: never contacted).
SENTINELS = (-1.0, -9.0, -99.0, -999.0, -9999.0, 999.0, 9999.0, 99999.0)
SENTINEL_MIN_SHARE = 0.05


def is_code_like(name: str) -> bool:
    """Column names such as ``postcode``, ``sku`` or ``booking_ref`` whose values share one format."""
    return bool(set(name_tokens(name)) & CODE_WORDS)


def is_amount_column(name: str) -> bool:
    """Column names of money paid or charged in a sale: ``amount``, ``unit_price``, ``MonthlyCharges``.

    ``total`` counts only beside a money word or a currency (``total_eur``, ``TotalCharges``, not
    ``total_visits``); a name with a word for a balance, result or difference (``balance``,
    ``net_change``, ``refund_amount``) is never an amount, since those are signed by nature.
    """
    tokens = name_tokens(name)
    words = set(tokens)
    if not tokens or words & SIGNED_WORDS:
        return False
    if words & AMOUNT_WORDS or any(w.startswith(AMOUNT_AFFIXES[:3]) or w.endswith(AMOUNT_AFFIXES[:3])
                                   for w in words - TOTAL_WORDS):
        return True
    totals = {w for w in words if w in TOTAL_WORDS or w.startswith("total") or w.endswith("total")}
    return bool(totals) and words - totals <= MONEY_CONTEXT


def is_count_column(name: str) -> bool:
    """Column names of counts that cannot be negative: ``Quantity``, ``qty``, ``units``, ``number_of_visits``."""
    tokens = name_tokens(name)
    return bool(set(tokens) & COUNT_WORDS) or tuple(tokens[:2]) in COUNT_PREFIXES


def is_date_named(name: str) -> bool:
    """Column names of dates: ``visit_date``, ``dob``, ``created_at``, ``paid_on``, ``StartDate``."""
    tokens = name_tokens(name)
    if not tokens:
        return False
    return (bool(set(tokens) & DATE_NAME_WORDS) or (len(tokens) > 1 and tokens[-1] in ("at", "on"))
            or any(t.endswith("date") and t not in ("update", "candidate", "validate", "mandate") for t in tokens))


def is_id_like(name: str) -> bool:
    """Column names such as ``customer_id``, ``customerID`` or ``invoice_no``."""
    tokens = name_tokens(name)
    return bool(set(tokens) & ID_WORDS) or (len(tokens) > 1 and tokens[-1] in ID_LAST_WORDS)


def _ordinal_name(name: str) -> bool:
    """``week_number``, ``education_num``: id-like only by a last word that also names a count or a rank."""
    return is_id_like(name) and not set(name_tokens(name)) & ID_WORDS


@dataclass
class Encoded:
    """A column factorised: distinct cleaned ``values`` with their ``counts``, and per-row codes.

    ``raw_codes`` identify verbatim values (for exact duplicates); ``row_codes`` index
    ``values`` with -1 for every kind of null ('' / NA, blank, null token).
    """

    raw_codes: np.ndarray
    row_codes: np.ndarray
    values: Any
    counts: np.ndarray
    text: bool
    missing: int = 0
    blank: int = 0
    tokens: dict[str, int] = field(default_factory=dict)
    changed: bool = False

    def value_list(self, index: np.ndarray) -> list[Any]:
        """Plain Python values at ``index``."""
        if self.text:
            return self.values.take(pa.array(index, type=pa.int64())).to_pylist()
        return [self.values[i].item() if hasattr(self.values[i], "item") else self.values[i] for i in index]

    def sample(self) -> Any:
        """At most :data:`SAMPLE_SIZE` non-null values, evenly spaced over the rows."""
        rows = np.flatnonzero(self.row_codes >= 0)
        if len(rows) > SAMPLE_SIZE:
            rows = rows[np.linspace(0, len(rows) - 1, SAMPLE_SIZE).astype(np.int64)]
        codes = self.row_codes[rows]
        return self.values.take(pa.array(codes, type=pa.int64())) if self.text else self.values[codes]


@dataclass
class Analysis:
    """A column's semantic type, its statistics (ColumnProfile fields) and its typed values.

    ``personal_hint`` is the kind of personal data the column's name suggests, kept only when its
    values agree (:func:`agreed_name_hint`).
    """

    semantic: str
    stats: dict[str, Any]
    typed: pd.Series
    personal_hint: str | None = None


def is_text(series: pd.Series) -> bool:
    """Whether a column holds text (and so may hide numbers, dates and null tokens)."""
    dtype = series.dtype
    return not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
                or pd.api.types.is_datetime64_any_dtype(dtype))


def encode_column(series: pd.Series) -> Encoded:
    """Factorise a column once; for text, classify each distinct value as null or not."""
    if not is_text(series):
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            series = series.dt.tz_convert(None)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        values = np.asarray(uniques)
        counts = np.bincount(codes[codes >= 0], minlength=len(values))
        return Encoded(codes, codes, values, counts, text=False, missing=int((codes < 0).sum()))
    if series.dtype != ARROW_STRING:
        series = series.astype(ARROW_STRING)
    raw_codes, uniques = series.array.factorize(use_na_sentinel=True)
    raw = pa.chunked_array(uniques.__arrow_array__()).combine_chunks().cast(pa.string())
    stripped = pc.utf8_trim_whitespace(raw)
    empty = cols.as_bool(pc.equal(raw, ""))
    blank = ~empty & cols.as_bool(pc.equal(stripped, ""))
    token = ~empty & ~blank & cols.null_token_mask(stripped)
    raw_counts = np.bincount(raw_codes[raw_codes >= 0], minlength=len(raw))
    keep = np.flatnonzero(~(empty | blank | token))
    clean = pc.dictionary_encode(stripped.take(pa.array(keep, type=pa.int64())))
    mapping = np.full(len(raw) + 1, -1, dtype=np.int64)
    mapping[keep] = clean.indices.to_numpy(zero_copy_only=False)
    values = clean.dictionary
    counts = np.bincount(mapping[keep], weights=raw_counts[keep], minlength=len(values)).astype(np.int64)
    token_rows = pa.array(np.flatnonzero(token), type=pa.int64())
    return Encoded(
        raw_codes=raw_codes,
        row_codes=mapping[raw_codes],
        values=values,
        counts=counts,
        text=True,
        missing=int((raw_codes < 0).sum() + raw_counts[empty].sum()),
        blank=int(raw_counts[blank].sum()),
        tokens=cols.weighted_counts(stripped.take(token_rows), raw_counts[token_rows.to_numpy()]),
        changed=bool(len(keep) < len(raw)) or not pc.all(pc.equal(stripped, raw)).as_py(),
    )


def normalised_codes(enc: Encoded) -> np.ndarray:
    """Row codes after lower-casing text and collapsing runs of whitespace (for near duplicates)."""
    if not enc.text or not len(enc.values):
        return enc.row_codes
    norm = pc.utf8_lower(enc.values)
    if pc.any(pc.match_substring_regex(norm, r"\s\s|[\t\n\r]")).as_py():
        norm = pc.replace_substring_regex(norm, r"\s+", " ")
    codes = pc.dictionary_encode(norm).indices.to_numpy(zero_copy_only=False)
    mapping = np.append(codes.astype(np.int64), -1)
    return mapping[enc.row_codes]


def infer_semantic(enc: Encoded, name: str, *, forced: str | None = None, decimal: str = ".",
                   distinct: int | None = None, singles: int | None = None, non_null: int | None = None) -> str:
    """The semantic type of a column from its distinct values and a sample of its rows.

    Numbers and dates come back as ``number`` / ``date``; :func:`analyse_column` refines them
    into ``number_as_text`` / ``date_as_text`` from full-column counts. ``distinct``, ``singles``
    (values seen once) and ``non_null`` default to ``enc``'s own counts; the Spark engine passes
    the whole table's when ``enc`` holds a sample of its rows.
    """
    non_null = int(enc.counts.sum()) if non_null is None else non_null
    distinct = len(enc.counts) if distinct is None else distinct
    singles = int((enc.counts == 1).sum()) if singles is None else singles
    if non_null == 0:
        return "empty"
    if forced == "key":
        return "identifier"
    if forced == "date":
        return "date"
    if distinct == 1:
        return "constant"
    unique_ratio = singles / non_null
    if not enc.text:
        return _infer_typed(enc, name, unique_ratio, distinct)
    sample = enc.sample()
    if cols.email_mask(sample).mean() >= 0.9:
        return "email"
    if distinct == 2 and len(enc.values) == 2 and set(pc.utf8_lower(enc.values).to_pylist()) <= cols.BOOLEAN_VALUES:
        return "boolean"
    if is_id_like(name) and unique_ratio >= 0.99:
        return "identifier"
    if (cols.assign_date_formats(sample) >= 0).mean() >= 0.9:
        return "date"
    if _looks_like_phones(sample, name):
        return "phone"
    if is_id_like(name) and not _small_range(name, distinct):  # a reference to another table's key, repeated
        return "category"
    numbers = cols.parse_numbers(sample, decimal=decimal)[0]
    if is_id_like(name) and not _whole_numbers(numbers):
        return "category"
    if np.isfinite(numbers).mean() >= 0.95:
        return "number"
    return _infer_free_text(sample, distinct, non_null, unique_ratio)


def _infer_typed(enc: Encoded, name: str, unique_ratio: float, distinct: int) -> str:
    kind = enc.values.dtype.kind
    if kind == "b":
        return "boolean"
    if kind == "M":
        return "date"
    if is_id_like(name) and unique_ratio >= 0.99:
        return "identifier"
    if is_id_like(name) and not (_small_range(name, distinct)
                                 and _whole_numbers(np.asarray(enc.sample(), dtype=np.float64))):
        return "category"
    if distinct == 2 and set(enc.values.tolist()) <= {0, 1}:
        return "boolean"
    return "number"


def _small_range(name: str, distinct: int) -> bool:
    """A ``week_number`` or ``education_num``: a name id-like only by a last word that may also mean a
    count or a rank (not ``id``, ``code`` or ``key``), with few distinct values: a number if they are
    whole numbers (:func:`_whole_numbers`), not an identifier."""
    return _ordinal_name(name) and distinct <= SMALL_RANGE_MAX_DISTINCT


def _whole_numbers(numbers: np.ndarray) -> bool:
    finite = np.isfinite(numbers)
    return bool(len(numbers) and finite.mean() >= 0.95 and np.all(numbers[finite] == np.floor(numbers[finite])))


def _looks_like_phones(sample: pa.Array, name: str) -> bool:
    if cols.phone_mask(sample).mean() < 0.9:
        return False
    dialled = cols.matches(sample, r"^[+0(]").mean()
    return personal_kind_from_name(name) == "phone" or dialled >= 0.5


def _infer_free_text(sample: pa.Array, distinct: int, non_null: int, unique_ratio: float) -> str:
    distinct_ratio = distinct / non_null
    mean_length = pc.mean(pc.utf8_length(sample)).as_py() or 0.0
    spaced = cols.as_bool(pc.match_substring(sample, " ")).mean()
    if distinct_ratio >= 0.3 and mean_length >= 25 and spaced >= 0.5:
        return "free_text"
    if distinct <= 50 or distinct_ratio <= 0.2:
        return "category"
    if unique_ratio >= 0.95 and spaced < 0.5:
        return "identifier"
    return "free_text"


def analyse_column(
    enc: Encoded,
    *,
    name: str,
    series: pd.Series,
    forced: str | None = None,
    semantic: str | None = None,
    decimal: str = ".",
    as_of_end: np.datetime64 | None = None,
) -> Analysis:
    """Semantic type (inferred unless ``semantic`` is given), statistics and typed values."""
    semantic = semantic or infer_semantic(enc, name, forced=forced, decimal=decimal)
    non_null = int(enc.counts.sum())
    if semantic in NUMBER_TYPES:
        found, stats, typed = _numbers(enc, name, decimal)
        semantic = semantic if semantic == "number_as_text" else found
    elif semantic in DATE_TYPES:
        found, stats, typed = _dates(enc, as_of_end)
        semantic = semantic if semantic == "date_as_text" else found
    else:
        stats, typed = {}, _text_typed(enc, series)
    if enc.text and (semantic in ("phone", "identifier") or (semantic == "category" and is_code_like(name))):
        stats.update(_formats(enc, non_null))
    hint = agreed_name_hint(enc, name, semantic)
    stats.update(_validity(enc, semantic, hint))
    report = column_damage(enc, damage_scope(name, semantic, text=enc.text, key=forced == "key",
                                             float_column=_is_float(enc)))
    stats["spreadsheet_damage"] = None if report is None else report.evidence()
    return Analysis(semantic, stats, pd.Series(typed, index=series.index, name=name), hint)


def _numbers(enc: Encoded, name: str, decimal: str) -> tuple[str, dict[str, Any], Any]:
    if enc.text:
        numbers, plain = cols.parse_numbers(enc.values, decimal=decimal)
    else:
        numbers, plain = enc.values.astype(np.float64), np.ones(len(enc.values), dtype=bool)
    rows = np.append(numbers, np.nan)[enc.row_codes]
    non_plain = int(enc.counts[~plain].sum())
    as_text = enc.text and (enc.blank > 0 or bool(enc.tokens) or non_plain > 0)
    stats: dict[str, Any] = {
        "non_numeric": int(enc.counts[np.isnan(numbers)].sum()),
        "non_plain_numbers": non_plain,
        "off_format": non_plain,
    }
    stats.update(_number_stats(numbers, enc.counts))
    return ("number_as_text" if as_text else "number"), stats, rows


def _number_stats(numbers: np.ndarray, counts: np.ndarray) -> dict[str, Any]:
    """Range, mean, quantiles (numpy's linear method), 3 x IQR outliers and values <= 0.

    Worked on distinct values weighted by their counts, which gives the same figures as on
    the rows at a fraction of the cost. A sentinel (:func:`sentinel_of`) is left out of every figure.
    """
    finite = np.isfinite(numbers)
    values, weights = numbers[finite], counts[finite]
    total = int(weights.sum())
    if not total:
        return {}
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    out: dict[str, Any] = {}
    sentinel = sentinel_of(values, weights)
    if sentinel is not None:
        keep = values != sentinel
        out = {"sentinel_value": sentinel, "sentinel_rows": int(weights[~keep].sum())}
        values, weights = values[keep], weights[keep]
        total = int(weights.sum())
    cumulative = np.cumsum(weights)

    def order_statistic(k: np.ndarray) -> np.ndarray:  # the k-th smallest row value, 0-based
        return values[np.searchsorted(cumulative, k, side="right")]

    position = (total - 1) * np.array(list(QUANTILES.values()))
    low = np.floor(position)
    below, above = order_statistic(low), order_statistic(np.minimum(low + 1, total - 1))
    qs = below + (position - low) * (above - below)
    q1, q3 = qs[1], qs[3]
    iqr = q3 - q1
    far = (values < q1 - 3 * iqr) | (values > q3 + 3 * iqr)
    return {
        "min": float(values[0]),
        "max": float(values[-1]),
        "mean": float((values * weights).sum() / total),
        "quantiles": {k: float(v) for k, v in zip(QUANTILES, qs, strict=True)},
        "outliers": int(weights[far].sum()) if iqr > 0 else 0,
        "non_positive": int(weights[values <= 0].sum()),
        "zeros": int(weights[values == 0].sum()),
        "whole_numbers": bool(np.all(values == np.floor(values))),
        **out,
    }


def sentinel_candidate(rows_at: dict[float, int], negative_rows: int, above_half: dict[float, int],
                       total: int) -> float | None:
    """The one value of :data:`SENTINELS` that could be a code for "none", from row counts.

    ``rows_at`` gives the rows of each sentinel value, ``negative_rows`` the rows below zero,
    ``above_half`` (for each positive sentinel) the rows above half of it, ``total`` the rows with a
    number. A sentinel covers at least 5 % of them and lies apart from every other value: a
    negative one is the only negative value, a positive one is at least twice every other value.
    Whether it is also the commonest value is checked by the caller.
    """
    for value in SENTINELS:
        rows = rows_at.get(value, 0)
        if not rows or rows >= total or rows < SENTINEL_MIN_SHARE * total:
            continue
        apart = negative_rows == rows if value < 0 else above_half.get(value, 0) == rows
        if apart:
            return value
    return None


def sentinel_of(values: np.ndarray, weights: np.ndarray) -> float | None:
    """The sentinel among sorted finite ``values`` with row ``weights`` (see :func:`sentinel_candidate`):
    also the commonest value, on more rows than any other."""
    present = np.isin(values, SENTINELS)
    if not present.any():
        return None
    total = int(weights.sum())
    rows_at = {float(v): int(weights[values == v].sum()) for v in np.unique(values[present])}
    above = {s: int(weights[values > s / 2].sum()) for s in rows_at if s > 0}
    value = sentinel_candidate(rows_at, int(weights[values < 0].sum()), above, total)
    if value is None:
        return None
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    grouped = np.add.reduceat(weights, starts)
    others = grouped[values[starts] != value]
    return value if not len(others) or rows_at[value] > others.max() else None


def _dates(enc: Encoded, as_of_end: np.datetime64 | None) -> tuple[str, dict[str, Any], Any]:
    non_null = int(enc.counts.sum())
    if enc.text:
        index = cols.assign_date_formats(enc.values)
        dates = cols.parse_dates(enc.values, index)
        ok = ~np.isnat(dates)
        formats = cols.weighted_counts(
            pa.array([cols.DATE_FORMATS[i].name for i in index[ok]], type=pa.string()), enc.counts[ok]
        )
        one_iso = len(formats) == 1 and cols.DATE_FORMAT_BY_NAME[next(iter(formats))].iso
    else:
        dates = enc.values.astype("datetime64[ns]")
        ok = ~np.isnat(dates)
        formats, one_iso = {"datetime": int(enc.counts[ok].sum())}, True
    stats: dict[str, Any] = {
        "date_formats": formats,
        "unparseable_dates": int(enc.counts[~ok].sum()),
        "off_format": non_null - max(formats.values(), default=0),
        "dominant_format_share": max(formats.values(), default=0) / non_null if non_null else None,
    }
    good = dates[ok]
    if len(good):
        stats.update(min=pd.Timestamp(good.min()), max=pd.Timestamp(good.max()))
        stats["quantiles"] = {"min": stats["min"], "max": stats["max"]}
        if as_of_end is not None:
            future = good > as_of_end
            stats["future_dates"] = int(enc.counts[ok][future].sum())
            past = good[~future]
            stats["latest_date"] = pd.Timestamp(past.max()) if len(past) else None
        else:
            stats["latest_date"] = stats["max"]
    rows = np.append(dates, np.datetime64("NaT", "ns"))[enc.row_codes]
    return ("date" if one_iso else "date_as_text"), stats, rows


def _text_typed(enc: Encoded, series: pd.Series) -> Any:
    if not enc.text or (not enc.changed and series.dtype == ARROW_STRING):
        return series.to_numpy() if not enc.text else series.array
    index = pa.array(enc.row_codes, mask=enc.row_codes < 0, type=pa.int64())
    return pd.arrays.ArrowStringArray(enc.values.take(index))


def _formats(enc: Encoded, non_null: int) -> dict[str, Any]:
    """Shape counts: exact over distinct values, or the sample's top 3 shapes counted on the column."""
    if not non_null:
        return {"formats": {}, "dominant_format_share": None, "off_format": 0}
    if len(enc.values) <= EXACT_FORMATS_MAX_DISTINCT:
        counted = cols.weighted_counts(cols.shapes(enc.values), enc.counts)
        total = non_null
    else:
        sample = enc.sample()
        counted = cols.weighted_counts(cols.shapes(sample), np.ones(len(sample), dtype=np.int64))
        total = len(sample)
        top = list(counted)[:3]
        found = {s: int(enc.counts[cols.matches(enc.values, cols.shape_regex(s))].sum()) for s in top}
        counted, total = dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))), non_null
    formats = dict(list(counted.items())[:5])
    dominant = next(iter(formats.values()), 0)
    return {
        "formats": formats,
        "dominant_format_share": dominant / total,
        "off_format": non_null - dominant,
    }


def _validity(enc: Encoded, semantic: str, hint: str | None) -> dict[str, int]:
    """Malformed e-mails / phones in columns that hold them by value, or by a name the values agree with."""
    if not enc.text or semantic in ("boolean", "constant", "empty") or not len(enc.values):
        return {}
    out = {}
    checks = (("email", "invalid_emails", cols.email_mask), ("phone", "invalid_phones", cols.phone_mask))
    for kind, attr, mask in checks:
        if semantic == kind or hint == kind:
            out[attr] = reported_invalid(int(enc.counts[~mask(enc.values)].sum()), int(enc.counts.sum()))
    return out


def reported_invalid(invalid: int, non_null: int) -> int:
    """Invalid e-mails or phones as reported: only where at least half the values are valid.

    A column that is not mostly e-mails or phones does not hold them (a name said so, the values
    did not): its values are not invalid e-mails or phones, they are something else.
    """
    return invalid if non_null and invalid <= VALID_MIN_SHARE * non_null else 0


# --- personal data named by the column, checked against its values ---------------------------------

VALID_MIN_SHARE = 0.5  # share of values that must look like the kind a name suggests
_HINT_SHAPES = {  # RE2 patterns of values that agree with a name's hint
    "name": r"^[^0-9@]*\pL{2}[^0-9@]*$",
    "address": r"\pL{3}",
    "postcode": r"^[A-Za-z]{0,3}[0-9][A-Za-z0-9]{0,6}(?:[ -][A-Za-z0-9]{2,4})?$",
    "iban": r"^[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){10,30}$",
    "card": r"^[0-9](?:[ -]?[0-9]){12,18}$",
}
_HINT_NUMBERS = {"postcode": (0, 1e6), "card": (1e12, 1e19), "date_of_birth": (1900, 2100)}


def agreed_name_hint(enc: Encoded, name: str, semantic: str) -> str | None:
    """The kind of personal data the column's name suggests, when at least half its values agree.

    A name may suggest a type; the values decide. Phones must look like phones, e-mails like
    e-mails, a name holds words with letters (not codes or numbers), a date of birth dates (or
    birth years), a postcode short codes with digits, a card 13 to 19 digits, an IBAN a country
    code and check digits. Judged on the sample the semantic type was inferred from.

    Examples
    --------
    >>> enc = encode_column(pd.Series(["A191", "A192", "A191"], dtype=ARROW_STRING))
    >>> agreed_name_hint(enc, "telephone", "category") is None
    True
    """
    hint = personal_kind_from_name(name)
    if hint is None or semantic in ("boolean", "constant", "empty"):
        return None
    if semantic == hint or (hint == "date_of_birth" and semantic in DATE_TYPES):
        return hint
    sample = enc.sample()
    if not len(sample):
        return None
    if not enc.text:
        low, high = _HINT_NUMBERS.get(hint, (np.inf, -np.inf))
        numbers = np.asarray(sample, dtype=np.float64) if sample.dtype.kind in "iuf" else np.full(len(sample), np.nan)
        agree = (numbers >= low) & (numbers < high) & (numbers == np.floor(numbers))
    elif hint == "email":
        agree = cols.email_mask(sample)
    elif hint == "phone":
        agree = cols.phone_mask(sample)
    elif hint == "date_of_birth":
        agree = cols.assign_date_formats(sample) >= 0
    else:
        agree = cols.matches(sample, _HINT_SHAPES[hint]) if hint in _HINT_SHAPES else np.ones(len(sample), bool)
    return hint if agree.mean() >= VALID_MIN_SHARE else None


# --- spreadsheet damage ------------------------------------------------------------------------------

def damage_scope(name: str, semantic: str, *, text: bool, key: bool = False,
                 float_column: bool = False) -> cols.DamageScope:
    """Which spreadsheet damage a column can show, from its name, semantic type and role (the key)."""
    if semantic in ("boolean", "empty"):
        return cols.DamageScope()
    code = is_code_like(name) or personal_kind_from_name(name) == "postcode"
    labels = key or is_id_like(name) or code
    numbers, date_named = semantic in NUMBER_TYPES, is_date_named(name)
    dates = (text and semantic in DATE_TYPES) or (date_named and (text or numbers))
    return cols.DamageScope(labels=labels and text, padded=labels, code=code, dates=dates,
                            date_serials_named=date_named and numbers, float_column=float_column and not text,
                            numbers=text and numbers)


def _is_float(enc: Encoded) -> bool:
    return not enc.text and enc.values.dtype.kind == "f"


def column_damage(enc: Encoded, scope: cols.DamageScope) -> DamageReport | None:
    """The spreadsheet damage in an encoded column (see :func:`spreadsheet_damage`)."""
    non_null = int(enc.counts.sum())
    if not scope.any or not non_null:
        return None
    if enc.text:
        values = enc.values
    elif enc.values.dtype.kind in "iuf":
        values = enc.values.astype(np.float64)
    else:
        return None
    code, digits, zero = cols.damage_flags(values, scope)
    kind_rows = {int(k): int(enc.counts[code == k].sum()) for k in np.unique(code[code > 0])}
    keys = digits.astype(np.int64) * 2 + zero
    length_rows = {(int(k) // 2, bool(k % 2)): int(enc.counts[keys == k].sum()) for k in np.unique(keys[digits > 0])}
    found = cols.summarise_damage(kind_rows, length_rows, non_null, scope)
    if found is None:
        return None
    kind, rows, longest = found
    picked = np.flatnonzero(cols.damaged(code, digits, kind, longest))[:3]
    shown = enc.value_list(picked) if enc.text else [cols.number_text(float(values[i])) for i in picked]
    return DamageReport(cols.DAMAGE_KINDS[kind - 1], rows, rows / non_null, [cols.mask_damaged(str(v)) for v in shown],
                        longest)


def spreadsheet_damage(values: pd.Series | Encoded, name: str, *, semantic: str | None = None,
                       key: bool = False) -> DamageReport | None:
    """What a spreadsheet did to a column's values, or None when it shows no such damage.

    Four kinds, each a loss that only re-exporting the column as text undoes: ids or long numbers
    written in ``scientific_notation`` (``2.98725E+13``: the last digits are gone, distinct ids
    collapse), ``lost_leading_zeros`` (``2139`` beside ``02139`` in an id, code or postcode),
    ``float_suffix`` (``1234567890123.0`` as an id, or whole floats above 1e15) and ``date_serial``
    (``45123`` for 2023-07-16 in a date column or a date-named number column).

    Parameters
    ----------
    values : Series or Encoded
        The column as loaded (text verbatim), or already encoded by :func:`encode_column`.
    name : str
        The column's name (ids, codes, postcodes and dates are recognised by it).
    semantic : str, optional
        Its semantic type; inferred when not given.
    key : bool
        The column is the table's key (or the column a use case groups rows by).

    Returns
    -------
    DamageReport or None
        The commonest kind of damage with its rows, share of filled rows and three masked examples.

    Examples
    --------
    >>> ids = pd.Series(["2.98725E+13", "5.58998E+14", "31007"], dtype=ARROW_STRING)
    >>> spreadsheet_damage(ids, "patient_id").kind
    'scientific_notation'
    """
    enc = values if isinstance(values, Encoded) else encode_column(values)
    semantic = semantic or infer_semantic(enc, name, forced="key" if key else None)
    return column_damage(enc, damage_scope(name, semantic, text=enc.text, key=key, float_column=_is_float(enc)))
