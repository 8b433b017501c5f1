"""What a stage may ask of a client table, wherever it lives: the :class:`TableSource` protocol.

A stage never branches on an engine. It asks its table for what it needs, and pandas and Spark
answer the same questions in their own way (:mod:`readiness.sources.pandas`,
:mod:`readiness.sources.spark`):

- the column profile, every count over every row (:meth:`TableSource.profile`);
- the typed rows of a few columns for the checks that read rows (:meth:`TableSource.rows`, a
  :class:`Rows`): missing values by category level, personal values inside text, values missing
  from a parent table's keys, a Great Expectations suite; and a parent table's keys
  (:meth:`TableSource.parent_keys`);
- rows to model on (:meth:`TableSource.model_frame`): the whole table, or a bounded sample with a
  :class:`ScopeNote` that the report shows; the first rows to detect parameters on before a
  sample is drawn (:meth:`TableSource.probe`); other tables to scan for personal data;
- when the rows are a sample, the counts a report quotes, on every row: group sizes and base
  rates (:meth:`TableSource.group_counts`), a forecast's rows per group and day
  (:meth:`TableSource.daily_totals`).

Only counts, samples and masked examples come back, so a table larger than the machine's memory
stays where it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from readiness.params import Assumption
from readiness.profiling.profile import TableProfile
from readiness.results import Finding

if TYPE_CHECKING:
    from readiness.profiling.detect import KeyChoice

@dataclass(frozen=True)
class PersonalCounts:
    """Rows of a text column holding personal values: e-mails, phones, identifiers, and masked examples."""

    rows: int
    emails: int
    phones: int
    identifiers: int
    examples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LevelCounts:
    """One category column's levels (in first-seen order, as text), the rows of each, and, per target
    column, how many of each level's rows are empty there."""

    group: str
    levels: list[str]
    rows: np.ndarray
    nulls: dict[str, np.ndarray]


@dataclass(frozen=True)
class OrphanCounts:
    """Rows (and distinct values) of a column whose values are not among a parent table's keys."""

    rows: int
    distinct: int
    examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON-able form findings keep as evidence."""
        return asdict(self)


@dataclass(frozen=True)
class ParentKeys:
    """A parent table's key values: ``listed`` for a Great Expectations value set (at most ``limit + 1``
    of them, sorted text), ``handle`` for the source's own orphan check (a pyarrow array, a Spark
    DataFrame ...)."""

    listed: list[Any]
    handle: Any


@dataclass(frozen=True)
class GroupCounts:
    """Rows of each group of each attribute and pair, counted on every row of a table.

    ``counts`` has ``attribute``, ``group``, ``rows`` and ``positives``. With a binary target
    (``labelled``) ``rows`` are the rows with a label and ``positives`` those with the positive
    one; without, ``rows`` are all rows and ``positives`` is NaN. ``attributes`` lists the
    attributes with a known value on some row, in the order given, and then their pairs
    (``'A & B'``), including any whose groups were too many to count (see ``notes``).
    """

    counts: pd.DataFrame
    labelled: bool
    attributes: list[str]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DailyTotals:
    """A forecast's rows (and summed target) per group and day: ``frame`` has ``group``, ``day``, ``rows``,
    ``value`` for the kept days and groups; ``table_rows`` counts every row, ``dated_rows`` those with a day."""

    frame: pd.DataFrame
    table_rows: int
    dated_rows: int


@dataclass(frozen=True)
class ScopeNote:
    """How the rows a model saw were drawn from a larger table; :attr:`text` says it in a report."""

    engine: str
    full_rows: int
    sample_rows: int
    max_rows: int
    column: str
    strata: int
    stratified: bool
    seed: int
    min_stratum_rows: int
    scan_rows: int

    @property
    def is_full(self) -> bool:
        """True when every row of the table was used."""
        return self.sample_rows == self.full_rows

    @property
    def _drawn(self) -> str:
        """How the sample was drawn: 'a stratified sample by ... of N of the table's M rows (x %), drawn ...'."""
        share = 100 * self.sample_rows / max(self.full_rows, 1)
        how = (f"a stratified sample by '{self.column}' ({self.strata} groups, each in proportion to its size, "
               f"rare ones with at least {self.min_stratum_rows} rows)" if self.stratified else
               "a uniform random sample" + (f" ('{self.column}' has too many distinct values to stratify by)"
                                            if self.column else ""))
        return (f"{how} of {self.sample_rows:,} of the table's {self.full_rows:,} rows ({share:.2g} %), drawn by "
                f"{self.engine} with seed {self.seed} and brought to pandas through Arrow")

    @property
    def text(self) -> str:
        """One paragraph for the feasibility report, in the analyst's words."""
        if self.is_full:
            return (f"{self.engine} read the table; its {self.full_rows:,} rows fit within the limit of "
                    f"{self.max_rows:,} rows for the models, so every row was brought to pandas through Arrow and "
                    "used.")
        return (f"The models and intervals in this report ran on {self._drawn}. Tables captioned 'on all "
                f"{self.full_rows:,} rows' were counted by {self.engine} on every row.")

    @property
    def ethics_text(self) -> str:
        """One paragraph for the ethics report: which results counted every row, which used the sample."""
        every = (f"Group sizes, base rates and disparities, with their intervals, were counted by {self.engine} on "
                 f"all {self.full_rows:,} rows of the table")
        others = f"other tables are scanned for personal data on at most {self.scan_rows:,} rows each"
        if self.is_full:
            return (f"{every}. They fit within the limit of {self.max_rows:,} rows for the models, so every row was "
                    "also brought to pandas through Arrow for proxies, missing values by group, model-level "
                    f"fairness and the personal-data scan; {others}.")
        return (f"{every}. Proxies, missing values by group, model-level fairness and the personal-data scan of "
                f"this table ran on {self._drawn}; {others}.")

    def as_dict(self) -> dict[str, Any]:
        """JSON-able fields plus the text."""
        return {**asdict(self), "text": self.text}


class Rows(Protocol):
    """The typed rows of some columns of a table, for the checks that read rows."""

    def nulls_by_level(self, targets: Sequence[str], groups: Sequence[str]) -> list[LevelCounts]:
        """For each group column: its levels, their rows and each target column's empty rows per level."""

    def personal_values(self, columns: Sequence[str]) -> dict[str, PersonalCounts]:
        """Per text column holding any: the rows with e-mails, phones or identifiers inside, and examples."""

    def orphans(self, column: str, keys: ParentKeys, *, kind: str | None) -> OrphanCounts:
        """Rows whose value in ``column`` is not among ``keys`` (examples shown as a ``kind`` column's)."""

    def validate(self, suite: dict) -> pd.DataFrame:
        """A Great Expectations suite validated in one pass: one row per expectation
        (:data:`readiness.sources.gx.RESULT_COLUMNS`)."""


class TableSource(Protocol):
    """A client table as a stage sees it, wherever it lives.

    Use it as a context manager: leaving it releases what the engine holds (a Spark session).
    ``name`` is the table's name, ``engine`` the engine's name as reports write it, ``where`` how
    error messages name the table, ``decimal`` the decimal mark of numbers written as text.
    """

    name: str
    engine: str
    where: str
    decimal: str

    def __enter__(self) -> TableSource: ...

    def __exit__(self, *exc: object) -> None: ...

    def columns(self) -> list[str]:
        """The table's column names, in order."""

    def reading(self) -> tuple[list[Assumption], list[Finding]]:
        """How the file was read (encoding, delimiter ...) and what reading it noticed."""

    def profile(self, *, key: str | None = None, date_columns: Sequence[str] = (), pii_columns: Sequence[str] = (),
                as_of: date | None = None, choose_key: KeyChoice | None = None) -> TableProfile:
        """Every column profiled on every row (see :func:`readiness.profiling.profile_and_type`).

        Without ``key``, ``choose_key`` picks it from the profile and remembers why.
        """

    def rows(self, profile: TableProfile, columns: Sequence[str]) -> AbstractContextManager[Rows]:
        """The rows of ``columns``, typed as ``profile`` says, held while the context lasts."""

    def parent_keys(self, spec: Mapping[str, Any], *, column: str, limit: int) -> ParentKeys:
        """The key values of the parent table a reference names (``spec``: ``path``, ``column``, ``sheet``).

        Raises :class:`~readiness.errors.ConfigError` when the parent lacks the column.
        """

    def local_file(self) -> Any | None:
        """The table as the pandas loader read it from a local file (a
        :class:`readiness.tables.LoadedTable`), for checks the client re-runs with Great Expectations'
        pandas reader; None when no pandas reader would hold it."""

    def probe(self, rows: int) -> pd.DataFrame | None:
        """The first ``rows`` rows, to detect parameters before a sample is drawn; None when
        :meth:`model_frame` gives the whole table anyway (detect on that)."""

    def model_frame(self, *, stratify_by: str, seed: int) -> tuple[Any, ScopeNote | None]:
        """Rows to model on: the whole table and None, or a bounded sample stratified by
        ``stratify_by`` and the note that says how it was drawn."""

    def other_tables(self, tables: Mapping[str, str], *, seed: int) -> dict[str, Any]:
        """Other tables (name -> location) to scan for personal data, whole or bounded samples."""

    # counts on every row, which a stage asks for when model_frame gave it a sample

    def group_counts(self, attributes: Sequence[str], *, target: str | None = None,
                     positive_label: str | None = None, pairs: bool = True) -> GroupCounts:
        """Rows (and positives of a binary target) of each group of each attribute and pair.

        Groups are formed by :func:`readiness.profiling.groups.prepare_protected` on the column as
        the profile types it, the target read by :func:`readiness.profiling.groups.binary_labels`.
        """

    def daily_totals(self, *, typed_by: TableProfile, time_column: str, group_column: str | None,
                     sum_of: str | None, keep_days: Callable[[pd.Series], pd.DatetimeIndex], most_groups: int,
                     missing: str, other: str) -> DailyTotals:
        """Rows (and the sum of ``sum_of``) per group and day, columns typed as ``typed_by`` profiles them.

        ``keep_days`` is given the dated rows per day (a Series indexed by day) and returns the days
        kept (a run of them); on those days the ``most_groups`` groups with the most rows (ties by
        name) are kept and the others pooled as ``other``. A missing group is ``missing``.
        """
