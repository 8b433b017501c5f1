"""What a table's profile tells about the roles of its columns, for parameters left empty.

Every function reads a :class:`~readiness.profiling.profile.TableProfile` (no second pass over the
rows) and returns the columns it found with the reason, so a report can say what it assumed:
the key (:func:`detect_key`), date and personal columns (:func:`detect_dates`,
:func:`detect_personal`), the outcome a use case most likely predicts (:func:`detect_targets`),
and the columns that could order or group its rows (:func:`time_candidates`,
:func:`group_candidates`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from readiness.params import Assumption
from readiness.privacy import name_tokens
from readiness.profiling.infer import DATE_TYPES, NUMBER_TYPES, is_id_like
from readiness.profiling.profile import ColumnProfile, TableProfile

KEY_MIN_DISTINCT = 0.95  # share of a key's filled values that are distinct (a key may carry defects)
KEY_MAX_MISSING = 0.05
GROUP_MIN_ROWS_PER_GROUP = 1.5  # a group column repeats: rows per distinct value
GROUP_MIN_GROUPS = 50
NOT_KEY_TYPES = frozenset({"free_text", "email", "phone", "boolean", "constant", "empty", *DATE_TYPES})

# Words that name an outcome a business would predict, and words that name an input or a setting.
OUTCOME_WORDS = frozenset({
    "churn", "churned", "churns", "noshow", "outcome", "target", "label", "class", "y", "converted", "conversion",
    "cancelled", "canceled", "cancel", "cancellation", "attrition", "fraud", "fraudulent", "response",
    "responded", "subscribed", "lapsed", "exited", "left", "won", "lost", "defaulted", "readmitted", "returned",
    "renewed", "retained", "attended", "booked", "purchased", "clicked", "complaint", "escalated", "result",
})
STATUS_WORDS = frozenset({"status", "state", "outcome", "result", "stage"})
# a person's circumstances, not an outcome of the business (marital_status, employment_status)
NOT_STATUS_WORDS = frozenset({"marital", "civil", "relationship", "employment", "family", "housing", "smoking",
                              "student", "vat", "tax", "residence", "citizenship"})
INPUT_WORDS = frozenset({
    "sent", "opt", "optin", "consent", "marketing", "reminder", "has", "flag", "service", "paperless", "partner",
    "dependents", "verified", "newsletter", "sms", "test",
})


@dataclass(frozen=True)
class Detected:
    """A column found for a role, with the reason in words."""

    column: str
    reason: str
    score: float = 0.0


def _compact(name: str) -> str:
    return "".join(name_tokens(name))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _names_table(column: str, table: str | None) -> bool:
    """``customer_id`` in table ``customers``, ``InvoiceNo`` in ``invoices``."""
    if not table:
        return False
    tokens = name_tokens(column)
    table_words = {_singular(t) for t in name_tokens(table)}
    return bool(tokens) and _singular(tokens[0]) in table_words


def detect_key(profile: TableProfile, *, table: str | None = None) -> Detected | None:
    """The column that most likely identifies a row, or None.

    A key is named like an id (``customer_id``, ``InvoiceNo``, ``sku``) with at least 95 % of its
    filled values distinct and at most 5 % empty (a key with a few repeats is still the key, with
    defects to report); or, unnamed, the first column when every value is filled, distinct and a
    whole number or a short code. Names that repeat the table's own name (``customer_id`` in
    ``customers``) and the first column win ties. Dates, free text, e-mails, phones, personal
    columns and numbers with decimals are never keys.
    """
    best: Detected | None = None
    first = next(iter(profile.columns), None)
    for position, (name, col) in enumerate(profile.columns.items()):
        found = _key_candidate(name, col, profile.rows, is_first=name == first, table=table)
        if found is None:
            continue
        score = found.score - position * 1e-3  # earlier columns win exact ties
        if best is None or score > best.score:
            best = Detected(found.column, found.reason, score)
    return best



class KeyChoice:
    """Chooses a table's key from its profile and remembers why, for the "what was assumed" table.

    Call it on a profile (:func:`detect_key`); a source that profiles a sample first ranks
    :meth:`candidates` there, checks them on every row and :meth:`settle` s on one.
    """

    def __init__(self, table: str | None) -> None:
        self.table: str | None = table
        self.found: Detected | None = None

    def __call__(self, profile: TableProfile) -> str | None:
        self.found = detect_key(profile, table=self.table)
        return None if self.found is None else self.found.column

    def candidates(self, profile: TableProfile, *, most: int = 3) -> list[Detected]:
        """Up to ``most`` key candidates, best first."""
        columns, out = dict(profile.columns), []
        while len(out) < most:
            found = detect_key(replace(profile, columns=columns), table=self.table)
            if found is None:
                break
            out.append(found)
            columns.pop(found.column)
        return out

    def settle(self, found: Detected | None) -> str | None:
        """Record the key chosen (or None) and return its column."""
        self.found = found
        return None if found is None else found.column

    def assumption(self) -> Assumption:
        """The key chosen, or that none was found."""
        change = "-p key COLUMN, or -p key none when the table has no key"
        if self.found is None:
            return Assumption("key", "none", "no column is filled and distinct on (almost) every row", change)
        return Assumption("key", self.found.column, self.found.reason, change)


def _key_candidate(name: str, col: ColumnProfile, rows: int, *, is_first: bool, table: str | None) -> Detected | None:
    if col.semantic_type in NOT_KEY_TYPES or col.personal_kind or not col.non_null or not rows:
        return None
    if col.semantic_type in NUMBER_TYPES and not col.whole_numbers:
        return None
    distinct_share = col.distinct / col.non_null
    complete_unique = col.null_total == 0 and col.distinct == rows
    if is_id_like(name) and distinct_share >= KEY_MIN_DISTINCT and col.null_share <= KEY_MAX_MISSING:
        bonus = 1.0 if _names_table(name, table) else (0.5 if is_first else 0.0)
        how = "all" if complete_unique else f"{distinct_share:.1%}"
        reason = f"named like an identifier, with {how} of its values distinct"
        return Detected(name, reason, 2 + bonus + distinct_share)
    if is_first and complete_unique and (col.semantic_type == "identifier" or col.semantic_type in NUMBER_TYPES):
        return Detected(name, "the first column, filled and distinct on every row", 1.0)
    return None


def row_id_column(profile: TableProfile) -> str | None:
    """The column whose values name each row in a use case's predictions (``row_id``), or None for positions.

    The first identifier filled and distinct on every row: the feasibility stage writes its values
    as ``row_id`` and the ethics stage reads them back with the same rule.
    """
    for name, col in profile.columns.items():
        if col.semantic_type == "identifier" and col.unique_ratio == 1.0 and col.null_total == 0:
            return name
    return None


def detect_dates(profile: TableProfile) -> list[str]:
    """Columns whose values read as dates."""
    return [name for name, col in profile.columns.items() if col.semantic_type in DATE_TYPES]


def detect_personal(profile: TableProfile) -> dict[str, str]:
    """Column -> kind of personal data (``email``, ``phone``, ``name``, ``date_of_birth`` ...)."""
    return {name: col.personal_kind for name, col in profile.columns.items() if col.personal_kind}


def _outcome_score(name: str, col: ColumnProfile, *, is_last: bool) -> float:
    tokens = set(name_tokens(name))
    compact = _compact(name)
    words = tokens | {compact}
    score = 0.0
    if words & OUTCOME_WORDS or compact in {"noshow", "isnoshow", "iscanceled", "iscancelled"}:
        score += 3.0
    if words & INPUT_WORDS:
        score -= 3.0
    if col.semantic_type == "boolean":
        score += 1.0
    if is_last:
        score += 0.5
    return score


def detect_targets(profile: TableProfile) -> list[Detected]:
    """Columns that look like an outcome to predict, most likely first.

    A candidate has two values (yes/no, true/false, or two labels) or is a status-like category with
    at most 10 values, and its name reads like an outcome (``churned``, ``no_show``, ``y``,
    ``status``) or it is the table's last column. Inputs and settings (``reminder_sent``,
    ``marketing_opt_in``, ``PhoneService``) are left out.
    """
    names = list(profile.columns)
    found = []
    for name, col in profile.columns.items():
        if col.personal_kind or col.null_share > 0.5 or col.distinct < 2:
            continue
        two = col.distinct == 2 and col.semantic_type in ("boolean", "category")
        tokens = set(name_tokens(name))
        status = (col.semantic_type == "category" and 3 <= col.distinct <= 10
                  and bool(tokens & STATUS_WORDS) and not tokens & NOT_STATUS_WORDS)
        if not (two or status):
            continue
        score = _outcome_score(name, col, is_last=name == names[-1]) + (1.0 if status else 0.0)
        if score < 0.5:
            continue
        what = "yes/no column" if col.semantic_type == "boolean" else (
            "two-valued column" if two else f"status column with {col.distinct} values")
        why = ("named like an outcome" if _outcome_score(name, col, is_last=False) >= 3
               else "named like a status" if status else "and the table's last column")
        found.append(Detected(name, f"a {what} {why}", score))
    found = sorted(found, key=lambda d: -d.score)
    # the last column is a candidate of its own only when nothing is named like an outcome
    return [d for d in found if d.score >= 1.5] or found


def time_candidates(profile: TableProfile, *, exclude: set[str] | frozenset[str] = frozenset()) -> list[Detected]:
    """Date columns that could say when each outcome happens (dates of birth left out)."""
    out = []
    for name, col in profile.columns.items():
        if name in exclude or col.semantic_type not in DATE_TYPES or col.personal_kind == "date_of_birth":
            continue
        filled = 1 - col.null_share
        out.append(Detected(name, f"dates on {filled:.0%} of rows", filled))
    # the most filled first; between equals, the one that reaches latest (an appointment's start, not its booking)
    by_latest = sorted(out, key=lambda d: str(profile.columns[d.column].max or ""), reverse=True)
    return sorted(by_latest, key=lambda d: -d.score)


def group_candidates(profile: TableProfile, *, exclude: set[str] | frozenset[str] = frozenset()) -> list[Detected]:
    """Identifier-like columns whose values repeat (several rows per customer), to keep a group in one fold."""
    out = []
    for name, col in profile.columns.items():
        if name in exclude or name == profile.key or not is_id_like(name) or not col.non_null:
            continue
        if col.semantic_type not in ("category", "identifier", *NUMBER_TYPES):
            continue
        per_group = col.non_null / max(1, col.distinct)
        if col.distinct >= GROUP_MIN_GROUPS and per_group >= GROUP_MIN_ROWS_PER_GROUP:
            out.append(Detected(name, f"{col.distinct:,} values, {per_group:.1f} rows each on average", per_group))
    return sorted(out, key=lambda d: -d.score)


POSITIVE_WORDS = ("true", "yes", "y", "1", "positive", "churned", "churn", "t")


def positive_class(counts: dict[str, int]) -> tuple[str, str]:
    """The positive class of a two-valued outcome, and why: a yes-like value, else the rarer one.

    ``counts`` maps each (trimmed) value to its rows. Ties in rarity go to the later value in sorted order.

    Examples
    --------
    >>> positive_class({"No": 5174, "Yes": 1869})
    ('Yes', "'Yes' reads as yes")
    >>> positive_class({"<=50K": 24720, ">50K": 7841})[0]
    '>50K'
    """
    for value in sorted(counts):
        if value.strip().casefold() in POSITIVE_WORDS:
            return value, f"'{value}' reads as yes"
    rarer = min(sorted(counts, reverse=True), key=lambda v: counts[v])
    return rarer, f"no value reads as yes, so the rarer one ({counts[rarer]:,} of {sum(counts.values()):,} rows)"
