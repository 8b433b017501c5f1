"""Which columns hold protected characteristics, found from their names and checked against their values.

Used when a use case names no ``protected`` attributes: the report then says which were assumed
and how to change them. A name suggests a kind (``sex``, ``native_country``, ``SeniorCitizen``);
the values decide (an ``age`` column must hold ages or age bands, a ``gender`` column a handful
of labels). A column whose name says nothing is still found when its values are those of a kind
(``M``/``F``, ``married``/``single``/``divorced``). One column is kept per kind, an explicit age
or age band before a date of birth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness.privacy import name_tokens
from readiness.profiling.infer import DATE_TYPES, NUMBER_TYPES
from readiness.profiling.profile import ColumnProfile, TableProfile

KINDS = ("sex", "age", "race", "nationality", "religion", "disability", "marital_status", "pregnancy")
KIND_WORDS = {
    "sex": "sex or gender", "age": "age", "race": "race or ethnicity", "nationality": "nationality or country",
    "religion": "religion", "disability": "disability", "marital_status": "marital status", "pregnancy": "pregnancy",
}
NAME_WORDS = {
    "sex": {"sex", "gender", "geschlecht", "sexe"},
    "age": {"age", "ageband", "agegroup", "agerange", "senior", "seniorcitizen", "elderly", "dob", "birth",
            "birthday", "birthdate", "dateofbirth"},
    "race": {"race", "ethnicity", "ethnic", "ethnicgroup"},
    "nationality": {"nationality", "citizenship", "country", "nation", "countryofbirth"},
    "religion": {"religion", "religious", "faith", "denomination"},
    "disability": {"disability", "disabled", "handicap", "handcap", "impairment"},
    "marital_status": {"marital", "married", "maritalstatus"},
    "pregnancy": {"pregnant", "pregnancy", "maternity"},
}
# Words that make a column about something other than a person (account_age, vehicle_age, ship_country).
NOT_PERSON = {"account", "contract", "vehicle", "car", "house", "property", "building", "equipment", "asset",
              "invoice", "ticket", "loan", "policy", "days", "item", "product", "ship", "shipping", "delivery",
              "supplier", "vendor", "store", "branch", "site", "warehouse", "billing", "currency", "phone"}
SEX_VALUES = {"m", "f", "male", "female", "man", "woman", "men", "women", "x", "non-binary", "nonbinary", "other",
              "diverse", "u", "unknown", "not stated", "prefer not to say"}
SEX_CORE = {"m", "f", "male", "female", "man", "woman"}
MARITAL_VALUES = {"married", "single", "divorced", "widowed", "separated", "never-married", "never married",
                  "married-civ-spouse", "married-spouse-absent", "married-af-spouse", "civil partnership",
                  "domestic partner", "cohabiting", "widow", "widower"}
RACE_VALUES = {"white", "black", "asian", "hispanic", "latino", "latina", "latinx", "asian-pac-islander",
               "amer-indian-eskimo", "native american", "pacific islander", "mixed", "multiracial",
               "african american", "caucasian", "other"}
RELIGION_VALUES = {"christian", "catholic", "protestant", "orthodox", "muslim", "islam", "jewish", "judaism", "hindu",
                   "buddhist", "sikh", "atheist", "agnostic", "none", "no religion"}
MAX_GROUPS = 250  # more distinct values than this is not a set of groups (countries are about 200)
AGE_PRIORITY = {"number": 0, "band": 1, "date_of_birth": 2, "flag": 3}


@dataclass(frozen=True)
class ProtectedColumn:
    """A column found to hold a protected characteristic."""

    column: str
    kind: str
    reason: str
    priority: int = 0


def _values(typed: pd.Series, limit: int = MAX_GROUPS + 1) -> set[str]:
    text = typed.dropna().astype(str).str.strip().str.lower()
    return set(text[text != ""].unique()[:limit])


def _name_kind(name: str) -> str | None:
    tokens = set(name_tokens(name))
    compact = "".join(name_tokens(name))
    if tokens & NOT_PERSON:
        return None
    for kind in KINDS:
        words = NAME_WORDS[kind]
        if tokens & words or compact in words:
            return kind
    if compact.startswith("age") and len(compact) <= 9:  # ageband, agegroup, age_yrs
        return "age"
    return None


def _age_form(col: ColumnProfile, values: set[str]) -> str | None:
    """How an age-named column holds ages: numbers, bands, a date of birth or a yes/no flag; None when it does not."""
    if col.semantic_type in DATE_TYPES:
        return "date_of_birth"
    if col.semantic_type == "boolean":
        return "flag"
    if col.semantic_type in NUMBER_TYPES:  # most values are ages; a few typing errors (-1, 999) do not deny it
        low, high = (col.quantiles or {}).get("p05"), (col.quantiles or {}).get("p95")
        ok = low is not None and high is not None and float(low) >= 0 and float(high) <= 120
        return "number" if ok else None
    if col.semantic_type == "category" and values and np.mean([any(ch.isdigit() for ch in v) for v in values]) >= 0.5:
        return "band"
    return None


def _group_like(col: ColumnProfile) -> bool:
    return col.semantic_type in ("category", "boolean") or (
        col.semantic_type in NUMBER_TYPES and col.distinct <= 12)


def _by_name(name: str, col: ColumnProfile, typed: pd.Series) -> ProtectedColumn | None:
    kind = _name_kind(name)
    if kind is None:
        return None
    if kind == "age":
        form = _age_form(col, _values(typed))
        if form is None:
            return None
        how = (f"numbers, mostly {col.quantiles['p05']:g}-{col.quantiles['p95']:g}, cut into age bands"
               if form == "number" else
               {"band": "age bands", "date_of_birth": "dates of birth, turned into age bands",
                "flag": "a yes/no flag"}[form])
        return ProtectedColumn(name, kind, f"named like an age, holding {how}", AGE_PRIORITY[form])
    if not _group_like(col) or col.distinct > MAX_GROUPS:
        return None
    return ProtectedColumn(name, kind, f"named like {KIND_WORDS[kind]}, with {col.distinct:,} groups")


def _by_values(name: str, col: ColumnProfile, typed: pd.Series) -> ProtectedColumn | None:
    if col.semantic_type not in ("category", "boolean") or col.distinct > 20:
        return None
    values = _values(typed)
    if not values:
        return None
    for kind, vocabulary, core in (("sex", SEX_VALUES, SEX_CORE), ("marital_status", MARITAL_VALUES, None),
                                   ("race", RACE_VALUES, None), ("religion", RELIGION_VALUES, None)):
        known = values & vocabulary
        if len(known) >= 2 and len(known) >= 0.8 * len(values) and (core is None or len(values & core) >= 2):
            shown = ", ".join(sorted(known)[:4])
            return ProtectedColumn(name, kind, f"its values ({shown}) are those of {KIND_WORDS[kind]}", 5)
    return None


def detect_protected(typed: pd.DataFrame, profile: TableProfile, *,
                     exclude: set[str] | frozenset[str] = frozenset()) -> list[ProtectedColumn]:
    """Protected attributes of a table, one column per kind, in the table's column order.

    Parameters
    ----------
    typed : DataFrame
        The table typed by the profile (text trimmed, dates as dates, numbers as numbers).
    profile : TableProfile
    exclude : set of str
        Columns never to propose (the use case's target, its key).

    Returns
    -------
    list of ProtectedColumn

    Examples
    --------
    >>> from readiness.profiling import profile_and_type
    >>> s = pd.StringDtype("pyarrow")
    >>> frame = pd.DataFrame({"Gender": pd.Series(["F", "M", "F"], dtype=s),
    ...                       "age": pd.Series(["34", "51", "29"], dtype=s)})
    >>> profile, typed = profile_and_type(frame)
    >>> [(p.column, p.kind) for p in detect_protected(typed, profile)]
    [('Gender', 'sex'), ('age', 'age')]
    """
    best: dict[str, ProtectedColumn] = {}
    for name, col in profile.columns.items():
        if name in exclude or col.semantic_type in ("identifier", "free_text", "empty", "constant", "email", "phone"):
            continue
        if col.personal_kind not in (None, "date_of_birth"):
            continue
        found = _by_name(name, col, typed[name]) or _by_values(name, col, typed[name])
        if found and (found.kind not in best or found.priority < best[found.kind].priority):
            best[found.kind] = found
    order = list(profile.columns)
    return sorted(best.values(), key=lambda p: order.index(p.column))
