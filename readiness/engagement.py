"""Read an engagement file (YAML) into a typed, validated :class:`Engagement`.

An engagement names the client, the date the assessment is judged at, the client's tables
and the use cases to assess. Every problem found while loading becomes one
:class:`~readiness.errors.ConfigError` line of the form
``<file name>: <key.path>: <what was found>; <what to do>``, for example::

    engagement.yaml: tables.appointments.refrences: unknown key; did you mean 'references'?

Dates are read by pydantic, not by YAML, so a wrong date such as ``2026-13-01`` gets the
same kind of message as any other wrong value.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictFloat,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from readiness.errors import ConfigError, DataError

__all__ = [
    "Engagement",
    "Rule",
    "TableSpec",
    "UseCase",
    "check_columns",
    "column_problems",
    "load_engagement",
]

SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_FILE_NAME = "engagement.yaml"


class _KeyPathError(ValueError):
    """A validation problem that knows its key path below the validator's own location."""

    def __init__(self, loc: tuple[str | int, ...], found: str, todo: str) -> None:
        super().__init__(f"{found}; {todo}")
        self.loc, self.found, self.todo = loc, found, todo


def _closest(word: object, choices: list[str]) -> str | None:
    match = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return match[0] if match else None


def _suggest(word: object, choices: list[str], *, noun: str) -> str:
    best = _closest(word, choices)
    if best is not None:
        return f"did you mean {best!r}?"
    return f"known {noun} are: {', '.join(choices)}" if choices else f"there are no {noun}"


def _slugify(text: str, *, sep: str = "-") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, ascii_text.lower()).strip(sep)


class _Model(BaseModel):
    # YAML turns `key: 2024` into an int; a column called 2024 is still a name.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


# date before datetime, so that a plain ISO date stays a date
Bound = StrictInt | StrictFloat | date | datetime


class Rule(_Model):
    """One data-quality expectation on a column, beyond what the profile checks by itself."""

    column: str
    expect: Literal["between", "in_set", "not_null", "unique", "matches"]
    min: Bound | None = None
    max: Bound | None = None
    values: list | None = None
    pattern: str | None = None
    mostly: StrictFloat = Field(default=1.0, gt=0, le=1)

    @model_validator(mode="after")
    def _options_fit_expect(self) -> Rule:
        if self.expect == "between":
            self._check_bounds()
        elif self.expect == "in_set" and not self.values:
            raise _KeyPathError(("values",), "expect: in_set needs the allowed values",
                                "add e.g. values: [attended, no_show, cancelled]")
        elif self.expect == "matches":
            if self.pattern is None:
                raise _KeyPathError(("pattern",), "expect: matches needs a pattern", _HINTS["pattern"])
            try:
                re.compile(self.pattern)
            except re.error as exc:
                found = f"regular expression {self.pattern!r} does not compile ({exc})"
                raise _KeyPathError(("pattern",), found, "fix it and write it in single quotes") from None
        return self

    def _check_bounds(self) -> None:
        if self.min is None and self.max is None:
            raise _KeyPathError((), "expect: between needs min, max or both", "add e.g. min: 10, max: 180")
        if self.min is None or self.max is None:
            return
        low, high = _bound_kind(self.min), _bound_kind(self.max)
        if low != high:
            raise _KeyPathError(("max",), f"min is a {low} but max is a {high}",
                                "write both as numbers or both as ISO dates")
        if self.min > self.max:
            raise _KeyPathError(("max",), f"max ({self.max}) is below min ({self.min})", "swap them")


def _table_slug(name: object) -> str:
    slug = _slugify(str(name), sep="_")
    return slug if SLUG.fullmatch(slug) else f"t_{slug}".rstrip("_")


def _bound_kind(value: object) -> str:
    if isinstance(value, datetime):
        return "date-time"
    return "date" if isinstance(value, date) else "number"


def _split_reference(text: str) -> tuple[str, str]:
    table, _, column = text.partition(".")
    return table, column


class TableSpec(_Model):
    """Where one client table lives and what the engagement says about its columns."""

    path: Path
    key: str | None = None
    sheet: str | StrictInt | None = None
    date_columns: list[str] = []
    references: dict[str, str] = {}
    rules: list[Rule] = []
    pii: list[str] = []
    _path_text: str = PrivateAttr(default="")

    @property
    def path_text(self) -> str:
        """The path as written in the engagement file, for messages."""
        return self._path_text or str(self.path)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_path_text(cls, data: Any, handler: Any) -> TableSpec:
        spec = handler(data)
        if isinstance(data, dict):
            spec._path_text = str(data.get("path"))
        return spec

    @field_validator("path", mode="before")
    @classmethod
    def _path_not_empty(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise _KeyPathError((), "the path is empty", "write the file's path, e.g. path: customers.csv")
        return value

    @field_validator("references")
    @classmethod
    def _table_dot_column(cls, value: dict[str, str]) -> dict[str, str]:
        for column, target in value.items():
            table, col = _split_reference(target)
            if not SLUG.fullmatch(table) or not col:
                raise _KeyPathError((column,), f"expected '<table>.<column>', got {target!r}",
                                    f"write e.g. {column}: customers.{column}")
        return value


class UseCase(_Model):
    """A prediction the client wants; keys beyond these four are kept in :attr:`extra`."""

    id: str = Field(pattern=SLUG.pattern)
    title: str
    table: str
    target: str
    extra: dict[str, Any] = {}

    @model_validator(mode="before")
    @classmethod
    def _gather_extra(cls, data: Any) -> Any:
        # Later stages own keys such as positive, protected, value and costs.
        if not isinstance(data, dict):
            return data
        known = {"id", "title", "table", "target"}
        kept = {k: v for k, v in data.items() if k in known}
        kept["extra"] = {str(k): v for k, v in data.items() if k not in known}
        return kept

    def get(self, key: str, default: Any = None) -> Any:
        """The value of one of the extra keys, or ``default``."""
        return self.extra.get(key, default)


class RoiSettings(_Model):
    """Engagement-wide settings of the ROI stage."""

    horizon_years: StrictInt = Field(default=3, gt=0, le=15)
    discount_rate: float = Field(default=0.08, ge=0, lt=1)
    draws: StrictInt = Field(default=10_000, gt=0, le=1_000_000)


class Engagement(_Model):
    """A validated engagement; build it with :func:`load_engagement`."""

    client: str
    as_of: date
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    seed: StrictInt = 42
    freshness_days: StrictInt = Field(default=90, gt=0)
    tables: dict[str, TableSpec]
    use_cases: list[UseCase] = []
    survey: Path | None = None
    checklist: Path | None = None
    roi: RoiSettings = RoiSettings()
    source: Path

    @property
    def base_dir(self) -> Path:
        """The folder of the engagement file; relative paths in it start here."""
        return self.source.parent

    @property
    def slug(self) -> str:
        """The client's name as a folder name, e.g. ``harbour-physio-group``."""
        return _slugify(self.client) or "client"

    @field_validator("client")
    @classmethod
    def _client_named(cls, value: str) -> str:
        if not value.strip():
            raise _KeyPathError((), "the client's name is empty", _HINTS["client"])
        return value.strip()

    @field_validator("source")
    @classmethod
    def _absolute_source(cls, value: Path) -> Path:
        return Path(os.path.abspath(value))

    @field_validator("tables", mode="before")
    @classmethod
    def _table_names(cls, value: Any) -> Any:
        if isinstance(value, dict) and not value:
            raise _KeyPathError((), "no tables listed",
                                "add at least one, e.g. customers: {path: customers.csv}")
        for name in value if isinstance(value, dict) else ():
            if not isinstance(name, str) or not SLUG.fullmatch(name):
                raise _KeyPathError((name,), f"table name {name!r} is not a slug",
                                    "use lower-case letters, digits and '_', starting with a letter, "
                                    f"e.g. {_table_slug(name)!r}")
        return value

    @model_validator(mode="after")
    def _cross_checks(self) -> Engagement:
        self._check_references()
        self._check_use_cases()
        for spec in self.tables.values():
            spec.path = self._resolve(spec.path)
        self.survey = self._resolve(self.survey) if self.survey else None
        self.checklist = self._resolve(self.checklist) if self.checklist else None
        return self

    def _resolve(self, path: Path) -> Path:
        return Path(os.path.abspath(self.base_dir / path.expanduser()))

    def _check_references(self) -> None:
        names = list(self.tables)
        for name, spec in self.tables.items():
            for column, target in spec.references.items():
                parent, _ = _split_reference(target)
                if parent not in self.tables:
                    raise _KeyPathError(("tables", name, "references", column), f"unknown table {parent!r}",
                                        _suggest(parent, names, noun="tables"))

    def _check_use_cases(self) -> None:
        first_index: dict[str, int] = {}
        for i, case in enumerate(self.use_cases):
            if case.table not in self.tables:
                raise _KeyPathError(("use_cases", i, "table"), f"unknown table {case.table!r}",
                                    _suggest(case.table, list(self.tables), noun="tables"))
            if case.id in first_index:
                raise _KeyPathError(("use_cases", i, "id"),
                                    f"id {case.id!r} is already used by use_cases[{first_index[case.id]}]",
                                    "give each use case its own id")
            first_index[case.id] = i

    def table(self, name: str) -> TableSpec:
        """The table called ``name``; raises :class:`ConfigError` naming the closest table."""
        if name not in self.tables:
            raise ConfigError(f"{self.source.name}: tables.{name}: unknown table; "
                              f"{_suggest(name, list(self.tables), noun='tables')}")
        return self.tables[name]

    def use_case(self, case_id: str) -> UseCase:
        """The use case whose id is ``case_id``; raises :class:`ConfigError` if there is none."""
        ids = [case.id for case in self.use_cases]
        if case_id not in ids:
            raise ConfigError(f"{self.source.name}: use_cases: no use case with id {case_id!r}; "
                              f"{_suggest(case_id, ids, noun='ids')}")
        return self.use_cases[ids.index(case_id)]

    def table_parameters(self, name: str) -> dict[str, Any]:
        """The JSON-able parameters of the data-quality notebook for one table.

        Parameters
        ----------
        name : str
            A key of :attr:`tables`.

        Returns
        -------
        dict
            ``data_path``, ``table``, ``key`` ("" when none), ``date_columns``,
            ``references`` (column -> parent ``path``, ``column``, ``table``, ``sheet``),
            ``rules`` (dicts without empty options), ``as_of`` (ISO), ``pii_columns``,
            ``sheet`` and ``freshness_days``.

        Examples
        --------
        >>> engagement.table_parameters("customers")["key"]  # doctest: +SKIP
        'customer_id'
        """
        spec = self.table(name)
        references = {}
        for column, target in spec.references.items():
            parent_name, parent_column = _split_reference(target)
            parent = self.tables[parent_name]
            references[column] = {"path": str(parent.path), "column": parent_column,
                                  "table": parent_name, "sheet": parent.sheet}
        return {
            "data_path": str(spec.path),
            "table": name,
            "key": spec.key or "",
            "date_columns": list(spec.date_columns),
            "references": references,
            "rules": [rule.model_dump(mode="json", exclude_none=True) for rule in spec.rules],
            "as_of": self.as_of.isoformat(),
            "pii_columns": list(spec.pii),
            "sheet": spec.sheet,
            "freshness_days": self.freshness_days,
        }


# ---------------------------------------------------------------- loading


class _DuplicateKeyError(yaml.constructor.ConstructorError):
    """Two entries of one mapping have the same key (YAML would silently keep the last)."""


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text and refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    raise _DuplicateKeyError(None, None, f"duplicate key {key_node.value!r} (first on line "
                                             f"{seen[key_node.value]})", key_node.start_mark)
                seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_engagement(path: str | Path) -> Engagement:
    """Read and validate an engagement file.

    Parameters
    ----------
    path : str or Path
        The YAML file, or a folder holding ``engagement.yaml``.

    Returns
    -------
    Engagement
        With every table, survey and checklist path made absolute, relative to the file's folder.

    Raises
    ------
    ConfigError
        One line naming the file, the key path, what was found and what to do; when a file has
        several problems the first is shown and all are in the error's ``problems`` list.

    Examples
    --------
    >>> load_engagement("sample_data/harbour_physio/engagement.yaml").slug  # doctest: +SKIP
    'harbour-physio-group'
    """
    path = Path(path)
    if path.is_dir() and (path / DEFAULT_FILE_NAME).is_file():
        path = path / DEFAULT_FILE_NAME
    data = _read_mapping(path)
    if "source" in data:
        raise ConfigError(f"{path.name}: source: unknown key; remove it (the file's own location is used)")
    try:
        return Engagement.model_validate({**data, "source": path})
    except ValidationError as exc:
        problems = _problems(exc)
        more = _more(len(problems) - 1, "problem", "in this file")
        error = ConfigError(f"{path.name}: {problems[0]}{more}")
        error.problems = [f"{path.name}: {p}" for p in problems]
        raise error from None


def _more(count: int, noun: str, where: str) -> str:
    if count < 1:
        return ""
    return f" ({count} more {noun}{'s' if count > 1 else ''}{' ' + where if where else ''})"


def _read_mapping(path: Path) -> dict[str, Any]:
    if not path.is_file():
        what = "is a folder without engagement.yaml" if path.is_dir() else "file not found"
        raise ConfigError(f"{path.name}: {what} at {os.path.abspath(path)}; check the path")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name}: the file is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot be read ({exc.strerror}); check its permissions") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(_yaml_message(path.name, exc)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: malformed YAML ({exc}); fix the syntax") from None
    if not isinstance(data, dict):
        found = "empty" if data is None else _type_word(data)
        raise ConfigError(f"{path.name}: (top level): the file is {found}, not a mapping of keys; "
                          "start with keys such as `client:`, `as_of:`, `currency:` and `tables:`")
    return data


def _yaml_message(file_name: str, exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(somewhere)"
    if isinstance(exc, _DuplicateKeyError):
        return f"{file_name}: {where}: {exc.problem}; keep only one of them"
    if isinstance(exc, yaml.constructor.ConstructorError):
        return f"{file_name}: {where}: {exc.problem}; remove the tag, only plain YAML values are read"
    problem = ": ".join(p for p in (exc.context, exc.problem) if p)
    return (f"{file_name}: {where}: malformed YAML ({problem}); fix the syntax there "
            "(indentation, a missing ':' or an unclosed quote or bracket)")


# ------------------------------------------------- pydantic errors -> one line

_HINTS: dict[str, str] = {
    "client": "write the client's name, e.g. client: Harbour Physio Group",
    "as_of": "write the assessment date as YYYY-MM-DD, e.g. as_of: 2026-06-30",
    "currency": "write a 3-letter ISO 4217 code in capitals, e.g. currency: EUR",
    "seed": "write a whole number, e.g. seed: 42",
    "freshness_days": "write a whole number of days above 0, e.g. freshness_days: 90",
    "tables": "list each table by name, e.g. tables: {customers: {path: customers.csv}}",
    "tables.*": "describe the table as a mapping, e.g. customers: {path: customers.csv, key: customer_id}",
    "path": "write the file's path relative to the engagement file, e.g. path: customers.csv",
    "key": "write the column that identifies a row, e.g. key: customer_id",
    "sheet": "write the sheet's name or 0-based number, or leave it out",
    "date_columns": "write a list of column names, e.g. date_columns: [booked_at, starts_at]",
    "pii": "write a list of column names, e.g. pii: [email, phone]",
    "references": "write column: table.column, e.g. references: {customer_id: customers.customer_id}",
    "rules": "write a list of rules, e.g. - {column: status, expect: in_set, values: [a, b]}",
    "column": "write the column's name",
    "expect": "use one of between, in_set, not_null, unique, matches",
    "min": "write a number or an ISO date, e.g. min: 10",
    "max": "write a number or an ISO date, e.g. max: 180",
    "values": "write the allowed values as a list, e.g. values: [attended, no_show]",
    "pattern": "write a regular expression in single quotes, e.g. pattern: '^[A-Z]{2}\\d+$'",
    "mostly": "write the share of rows that must pass, above 0 and at most 1, e.g. mostly: 0.95",
    "roi": "write roi: {horizon_years: 3, discount_rate: 0.08, draws: 10000}",
    "horizon_years": "write a whole number of years from 1 to 15, e.g. horizon_years: 3",
    "discount_rate": "write a yearly rate from 0 up to (not including) 1, e.g. discount_rate: 0.08",
    "draws": "write the number of Monte Carlo draws, e.g. draws: 10000",
    "use_cases": "write a list of use cases, each with id, title, table and target",
    "id": "write a short name of lower-case letters, digits and '_', starting with a letter, e.g. no_show",
    "title": "write a short title, e.g. title: Predict appointment no-shows",
    "table": "write the name of a table listed under tables",
    "target": "write the column to predict, e.g. target: no_show",
    "survey": "write the survey file's path relative to the engagement file, or leave it out",
    "checklist": "write the checklist file's path relative to the engagement file, or leave it out",
}
_UNION_WORDS = {
    "sheet": "a sheet name or number", "min": "a number or an ISO date", "max": "a number or an ISO date",
}
_TYPE_WORDS = {
    "int": "an integer", "float": "a number", "string": "text", "bool": "true or false", "list": "a list",
    "dict": "a mapping of keys to values", "model": "a mapping of keys to values",
    "date": "an ISO date (YYYY-MM-DD)", "datetime": "an ISO date", "path": "a file path",
}
_HIDDEN_KEYS = {"source", "extra"}


class _Place:
    """Where an error's location leads in the model: the key path and the field it names."""

    def __init__(self, loc: tuple[Any, ...]) -> None:
        self.loc: tuple[Any, ...] = ()
        self.owner: type[BaseModel] | None = None
        self.field: str | None = None
        self.depth = 0  # container steps (list index, dict key) below the field
        self.annotation: Any = Engagement
        self.is_union = False
        for part in loc:
            if not self._step(part):
                break

    def _step(self, part: Any) -> bool:
        ann = _drop_none(self.annotation)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            self.owner, self.field, self.depth = ann, str(part), 0
            self.annotation = ann.model_fields[part].annotation if part in ann.model_fields else None
        elif get_origin(ann) in (dict, list) or ann in (dict, list):
            self.depth += 1
            self.annotation = get_args(ann)[-1] if get_args(ann) else Any
        else:
            # What follows are pydantic's names for the members of a union, not keys.
            self.is_union = get_origin(ann) in (Union, types.UnionType)
            return False
        self.loc += (part,)
        return True

    @property
    def hint(self) -> str:
        if self.depth and f"{self.field}.*" in _HINTS:
            return _HINTS[f"{self.field}.*"]
        return _HINTS.get(self.field or "", "see the example engagement file")


def _drop_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _key_path(loc: tuple[Any, ...]) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return text or "(top level)"


def _type_word(value: Any) -> str:
    words = {dict: "a mapping", list: "a list", str: "plain text", bool: "true or false"}
    return words.get(type(value), f"a {type(value).__name__}")


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict | list):
        return _type_word(value)
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _problems(exc: ValidationError) -> list[str]:
    """One ``key.path: found; todo`` line per distinct location, in pydantic's order."""
    lines: dict[tuple[Any, ...], str] = {}
    for err in exc.errors():
        place = _Place(err["loc"])
        origin = err.get("ctx", {}).get("error")
        if isinstance(origin, _KeyPathError):
            loc, text = place.loc + origin.loc, f"{origin.found}; {origin.todo}"
        else:
            loc, text = place.loc, f"{_found(err, place)}; {_todo(err, place)}"
        lines.setdefault(loc, f"{_key_path(loc)}: {text}")
    return list(lines.values())


def _found(err: dict[str, Any], place: _Place) -> str:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx", {})
    if kind == "missing":
        return "missing required key"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "invalid_key":
        return f"key {_show(value)} is not text"
    if place.is_union:
        return f"expected {_UNION_WORDS.get(place.field or '', 'another kind of value')}, got {_show(value)}"
    if kind == "literal_error":
        return f"expected one of {', '.join(map(str, get_args(place.annotation)))}, got {_show(value)}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = kind.replace("_", " ").replace("equal", "or equal to")
        return f"expected a number {bound} {next(iter(ctx.values()))}, got {_show(value)}"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} is not in the expected form"
    if kind.split("_")[0] in _TYPE_WORDS:
        detail = f" ({ctx['error']})" if isinstance(ctx.get("error"), str) else ""
        return f"expected {_TYPE_WORDS[kind.split('_')[0]]}, got {_show(value)}{detail}"
    return str(err["msg"]).removeprefix("Value error, ")


def _todo(err: dict[str, Any], place: _Place) -> str:
    if err["type"] == "extra_forbidden" and place.owner is not None:
        allowed = [k for k in place.owner.model_fields if k not in _HIDDEN_KEYS]
        best = _closest(place.loc[-1], allowed)
        return f"did you mean {best!r}?" if best else f"allowed keys here are: {', '.join(allowed)}"
    if err["type"] == "literal_error":
        best = _closest(err.get("input"), [str(a) for a in get_args(place.annotation)])
        if best:
            return f"did you mean {best!r}?"
    if err["type"] == "invalid_key":
        return "write the key as a name, in quotes if it is a number"
    if isinstance(err.get("input"), bool) and err["type"].startswith("string"):
        return "YAML reads yes/no/on/off as true/false: put the value in quotes, e.g. 'no'"
    return place.hint


# ------------------------------------------------------- columns vs the files


def column_problems(engagement: Engagement, columns_by_table: dict[str, list[str]]) -> list[str]:
    """Every column the engagement names that is missing from the loaded tables.

    Parameters
    ----------
    engagement : Engagement
        The validated engagement.
    columns_by_table : dict of str to list of str
        The column names of each table that was loaded; tables absent here are not checked.

    Returns
    -------
    list of str
        One message per missing column (empty when all are present), each naming the table's
        file, the key path, the missing column, the closest real column and what to do.
    """
    problems = []
    for name, spec in engagement.tables.items():
        if name not in columns_by_table:
            continue
        for key_path, column, role in _named_columns(name, spec):
            problems += _missing(engagement, spec, columns_by_table[name], key_path, column, role)
        for column, target in spec.references.items():
            parent_name, parent_column = _split_reference(target)
            if parent_name in columns_by_table:
                parent = engagement.tables[parent_name]
                problems += _missing(engagement, parent, columns_by_table[parent_name],
                                     f"tables.{name}.references.{column}", parent_column,
                                     f"the referenced column of table {parent_name}")
    return problems


def check_columns(engagement: Engagement, columns_by_table: dict[str, list[str]]) -> None:
    """Raise :class:`DataError` if a column the engagement names is missing from its table.

    Parameters
    ----------
    engagement : Engagement
        The validated engagement.
    columns_by_table : dict of str to list of str
        The column names of each loaded table; tables absent here are not checked.

    Raises
    ------
    DataError
        The first problem found by :func:`column_problems` (all of them in ``problems``).
    """
    problems = column_problems(engagement, columns_by_table)
    if problems:
        more = _more(len(problems) - 1, "missing column", "")
        error = DataError(problems[0] + more)
        error.problems = problems
        raise error


def _named_columns(name: str, spec: TableSpec) -> list[tuple[str, str, str]]:
    base = f"tables.{name}"
    named = [(f"{base}.key", spec.key, "the table's key")] if spec.key else []
    named += [(f"{base}.date_columns", c, "a date column") for c in spec.date_columns]
    named += [(f"{base}.references.{c}", c, "a reference column") for c in spec.references]
    named += [(f"{base}.rules[{i}].column", r.column, "a rule's column") for i, r in enumerate(spec.rules)]
    named += [(f"{base}.pii", c, "a personal-data column") for c in spec.pii]
    return named


def _missing(engagement: Engagement, spec: TableSpec, columns: list[str], key_path: str, column: str,
             role: str) -> list[str]:
    if column in columns:
        return []
    lowered = {c.lower(): c for c in columns}
    best = lowered.get(column.lower()) or _closest(column, list(columns))
    shown = ", ".join(columns[:12]) + (f", ... ({len(columns)} in all)" if len(columns) > 12 else "")
    hint = f"the closest column is {best!r}" if best else f"columns are: {shown or '(none)'}"
    return [f"{spec.path_text}: {key_path}: column {column!r} ({role}) is not in the file; {hint}; "
            f"fix {key_path} in {engagement.source.name} or the column's name in the file"]
