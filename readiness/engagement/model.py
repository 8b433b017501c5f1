"""The pydantic models of an engagement and their validators.

:class:`Engagement` holds the client, the assessment date, the tables (:class:`TableSpec`,
each with its :class:`Rule` list) and the use cases (:class:`UseCase`), plus the ROI settings
(:class:`RoiSettings`). Validators raise ``_KeyPathError`` so that every problem can later be
told as ``<key.path>: <what was found>; <what to do>``; cross-checks (references, use-case
tables, repeated ids) and path resolution against the engagement file's folder (refusing paths
that leave it unless ``allow_outside_paths`` is set) run after the fields are read.
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    field_validator,
    model_validator,
)

from readiness.engagement.hints import _HINTS, _KeyPathError, _suggest
from readiness.errors import ConfigError
from readiness.sources.engines import ENGINE_NAMES

SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_MAX_TABLE_MB = 2048
Engine = Literal[ENGINE_NAMES]  # the engines of readiness.sources.engines.ENGINES
DEFAULT_SPARK_MASTER = "local[2]"
SPARK_MASTER = re.compile(r"^(local(\[(\d+|\*)(,\s*\d+)?\])?|(spark|k8s|mesos)://\S+|yarn)$")
DRIVER_MEMORY = re.compile(r"^\d+[kmgt]?$", re.IGNORECASE)
URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
# words in a Spark setting's name that mark a credential; those belong in the user's Spark setup
SECRET_WORDS = ("secret", "password", "token", "credential", "access.key", "sas.", "account.key")
SPARK_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet")


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


def _inside(path: Path, folder: Path) -> bool:
    # Symbolic links are followed on both sides, so a link inside the folder to a file elsewhere is outside.
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def is_url(path: str | Path) -> bool:
    """True for a URL Spark reads (``s3a://``, ``abfss://``, ``hdfs://``...), False for a local path."""
    text = str(path)
    return bool(URL.match(text)) and not text.startswith("file://")


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
    engine: Engine = "pandas"
    _path_text: str = PrivateAttr(default="")
    _url: str | None = PrivateAttr(default=None)

    @property
    def path_text(self) -> str:
        """The path as written in the engagement file, for messages."""
        return self._path_text or str(self.path)

    @property
    def is_url(self) -> bool:
        """True when the table lives at a URL (only the Spark engine reads it)."""
        return self._url is not None

    @property
    def location(self) -> str:
        """Where the table is, for a notebook: the URL as written, else the absolute local path."""
        return self._url or str(self.path)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_path_text(cls, data: Any, handler: Any) -> TableSpec:
        spec = handler(data)
        if isinstance(data, dict):
            spec._path_text = str(data.get("path"))
            # Path() would fold 's3a://bucket' into 's3a:/bucket': keep the URL as written
            spec._url = spec._path_text.strip() if is_url(spec._path_text.strip()) else None
            spec._check_engine()
        return spec

    def _check_engine(self) -> None:
        if self.engine == "pandas" and self._url:
            raise _KeyPathError(("path",), f"{self._url!r} is a URL, which only the Spark engine reads",
                                "add engine: spark to this table, or copy the file into the engagement's folder")
        if self.engine == "spark":
            _check_spark_readable(self.sheet, self._path_text)

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


def _check_spark_readable(sheet: object, path_text: str) -> None:
    if sheet is not None:
        raise _KeyPathError(("sheet",), "the Spark engine reads no Excel sheets",
                            "remove sheet and give a csv or parquet export, or use engine: pandas")
    suffix = Path(path_text.rstrip("/")).suffix.lower()
    if suffix in (".xlsx", ".xls"):
        raise _KeyPathError(("path",), f"the Spark engine reads csv, tsv, txt and parquet files or folders of "
                                       f"them, not {suffix}", "export the sheet as csv, or use engine: pandas")


class SparkSettings(_Model):
    """The engagement's ``spark:`` section: where Spark runs and any extra Spark settings."""

    master: str = DEFAULT_SPARK_MASTER
    driver_memory: str | None = None
    conf: dict[str, str | StrictBool | StrictInt | StrictFloat] = {}

    @field_validator("master")
    @classmethod
    def _known_master(cls, value: str) -> str:
        if not SPARK_MASTER.fullmatch(value.strip()):
            raise _KeyPathError((), f"{value!r} is not a Spark master URL", _HINTS["master"])
        return value.strip()

    @field_validator("driver_memory")
    @classmethod
    def _memory_size(cls, value: str | None) -> str | None:
        if value is not None and not DRIVER_MEMORY.fullmatch(value.strip()):
            raise _KeyPathError((), f"{value!r} is not a memory size", _HINTS["driver_memory"])
        return None if value is None else value.strip()

    @field_validator("conf")
    @classmethod
    def _plain_settings(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not key.startswith("spark."):
                raise _KeyPathError((key,), "a Spark setting's name starts with 'spark.'",
                                    f"write e.g. spark.hadoop.{key}" if "." in key else _HINTS["conf"])
            if any(word in key.lower() for word in SECRET_WORDS):
                raise _KeyPathError((key,), "this looks like a credential, which must not be kept in the "
                                    "engagement file", "remove it and set it in the Spark configuration of "
                                    "the machine that runs Spark (spark-defaults.conf or its environment)")
        return value


class PilotSpec(_Model):
    """A use case's ``pilot:`` section: the pilot's decision log and, where detection would guess, its columns.

    ``log`` is read relative to the engagement file. Columns left out are detected by the pilot
    review; ``group_columns`` default to the use case's ``protected`` attributes.
    """

    log: Path
    sheet: str | StrictInt | None = None
    id_column: str | None = None
    date_column: str | None = None
    score_column: str | None = None
    decision_column: str | None = None
    outcome_column: str | None = None
    group_columns: list[str] | None = None
    features: list[str] = []

    @field_validator("log", mode="before")
    @classmethod
    def _log_not_empty(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise _KeyPathError((), "the path is empty", _HINTS["log"])
        return value


class UseCase(_Model):
    """A prediction the client wants; keys beyond these six are kept in :attr:`extra`.

    ``engine`` (pandas or spark) defaults to the engine of the use case's table; ``pilot``, when
    given, names the decision log of the use case's pilot, which the pilot review reads.
    """

    id: str = Field(pattern=SLUG.pattern)
    title: str
    table: str
    target: str
    engine: Engine | None = None
    pilot: PilotSpec | None = None
    extra: dict[str, Any] = {}

    @model_validator(mode="before")
    @classmethod
    def _gather_extra(cls, data: Any) -> Any:
        # Later stages own keys such as positive, protected, value and costs.
        if not isinstance(data, dict):
            return data
        known = {"id", "title", "table", "target", "engine", "pilot"}
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
    """A validated engagement; build it with :func:`load_engagement`.

    Two optional top-level keys guard the machine the suite runs on: ``max_table_mb`` (default
    2048) refuses, before loading, any table file larger than that many megabytes, and
    ``allow_outside_paths`` (default false) must be true for a table, survey or checklist path to
    lie outside the engagement file's folder (``../../etc/passwd`` or an absolute path elsewhere); the
    same holds for a use case's pilot log.
    """

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
    max_table_mb: StrictInt = Field(default=DEFAULT_MAX_TABLE_MB, gt=0)
    allow_outside_paths: StrictBool = False
    spark: SparkSettings | None = None
    source: Path

    @property
    def base_dir(self) -> Path:
        """The folder of the engagement file; relative paths in it start here."""
        return self.source.parent

    @property
    def max_table_bytes(self) -> int:
        """The largest table file accepted, in bytes (``max_table_mb`` megabytes of 10**6 bytes)."""
        return self.max_table_mb * 1_000_000

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
        for name, spec in self.tables.items():
            if not spec.is_url:  # a URL is read by the user's Spark: the folder rule is about local files
                spec.path = self._resolve(spec.path, ("tables", name, "path"))
        for i, case in enumerate(self.use_cases):
            if case.pilot is not None:
                case.pilot.log = self._resolve(case.pilot.log, ("use_cases", i, "pilot", "log"))
        self.survey = self._resolve(self.survey, ("survey",)) if self.survey else None
        self.checklist = self._resolve(self.checklist, ("checklist",)) if self.checklist else None
        return self

    def _resolve(self, path: Path, loc: tuple[str, ...]) -> Path:
        resolved = Path(os.path.abspath(self.base_dir / path.expanduser()))
        if self.allow_outside_paths or _inside(resolved, self.base_dir):
            return resolved
        found = f"{str(path)!r} lies outside the engagement's folder {self.base_dir}"
        if resolved.is_relative_to(self.base_dir):
            found = f"{str(path)!r} is a link to {os.path.realpath(resolved)}, outside the engagement's folder"
        raise _KeyPathError(loc, found, "copy the file into that folder (or a subfolder), or add "
                                        "allow_outside_paths: true at the top level if this is intended")

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
            table = self.tables[case.table]
            if case.engine == "pandas" and table.is_url:
                raise _KeyPathError(("use_cases", i, "engine"), f"table {case.table!r} is at a URL, which only "
                                    "the Spark engine reads", "remove engine or write engine: spark")
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
            references[column] = {"path": parent.location, "column": parent_column,
                                  "table": parent_name, "sheet": parent.sheet}
        return {
            "data_path": spec.location,
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
