"""A client table held in memory by pandas: the :class:`~readiness.sources.base.TableSource` for files that fit.

:meth:`PandasSource.open` reads a csv/tsv/txt, xlsx or parquet file with
:func:`readiness.tables.load_table` (which sniffs the encoding, delimiter and decimal mark and
notes what it repaired); :meth:`PandasSource.of` wraps a table already loaded. The profile types
every column in the same pass (:func:`readiness.profiling.profile_and_type`), and the typed
frame is kept for the checks that read rows. Models see every row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from readiness.errors import ConfigError, DataError
from readiness.params import Assumption
from readiness.profiling.columns import as_bool
from readiness.profiling.detect import KeyChoice
from readiness.profiling.groups import MISSING_GROUP, binary_labels, prepare_protected
from readiness.profiling.profile import TableProfile, profile_and_type, shown_value, typed_frame
from readiness.results import Finding
from readiness.sources.base import (
    DailyTotals,
    GroupCounts,
    LevelCounts,
    OrphanCounts,
    ParentKeys,
    PersonalCounts,
    ScopeNote,
)
from readiness.sources.keys import key_text, listed_keys, require_parent_column
from readiness.sources.personal import count_personal

GROUP_COLUMNS = ["attribute", "group", "rows", "positives"]


def reading_assumption(loaded: Any) -> list[Assumption]:
    """How a text file was read (encoding, delimiter, decimal mark), as sniffed by the loader."""
    if getattr(loaded, "format", None) != "csv":
        return []
    delimiter = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(loaded.delimiter, repr(loaded.delimiter))
    decimal = "comma" if loaded.decimal == "," else "point"
    return [Assumption("data_path", f"{loaded.encoding}, {delimiter}-delimited, decimal {decimal}",
                       "sniffed from the file's first lines", "save the file in UTF-8 with one delimiter if this is "
                       "wrong")]


def load_tables(tables: Mapping[str, Any] | None) -> dict[str, Any]:
    """Load ``{name: path or {"path": ..., "sheet": ...}}`` with :func:`readiness.tables.load_table`."""
    from readiness.tables import load_table, resolve_input_path

    out = {}
    for name, spec in (tables or {}).items():
        spec = spec if isinstance(spec, Mapping) else {"path": spec}
        if "path" not in spec:
            raise ConfigError(f"`tables.{name}` must be a path or {{path: ..., sheet: ...}}, found {spec!r}.")
        out[str(name)] = load_table(resolve_input_path(spec["path"]), sheet=spec.get("sheet") or None, name=name)
    return out


class PandasSource:
    """A table in memory (a :class:`readiness.tables.LoadedTable` or a DataFrame), read by pandas.

    Parameters
    ----------
    table : LoadedTable or pandas.DataFrame
        The table as loaded; a bare DataFrame is taken as read (decimal point, nothing noticed).
    name : str
        The table's name in messages and reports.
    """

    engine = "pandas"

    def __init__(self, table: Any, *, name: str) -> None:
        self.table = table
        self.frame: pd.DataFrame = table if isinstance(table, pd.DataFrame) else table.frame
        self.name = name
        self.decimal = getattr(table, "decimal", ".") or "."
        path = getattr(table, "path", None)
        self.where = f"{getattr(path, 'name', path)} (table '{name}')" if path is not None else f"table '{name}'"
        self._typed: pd.DataFrame | None = None

    @classmethod
    def open(cls, path: str | Path, *, sheet: str | int | None = None, name: str | None = None) -> PandasSource:
        """Read a file (a notebook's ``data_path``, resolved as :func:`readiness.tables.resolve_input_path` does)."""
        from readiness.tables import load_table, resolve_input_path

        loaded = load_table(resolve_input_path(path), sheet=sheet, name=name)
        return cls(loaded, name=name or Path(str(path)).stem)

    def __enter__(self) -> PandasSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self._typed = None

    def columns(self) -> list[str]:
        """The table's column names, in order."""
        return [str(c) for c in self.frame.columns]

    def reading(self) -> tuple[list[Assumption], list[Finding]]:
        """How the file was read, and what the loader repaired while reading it."""
        return reading_assumption(self.table), list(getattr(self.table, "findings", []) or [])

    def profile(self, *, key: str | None = None, date_columns: Sequence[str] = (), pii_columns: Sequence[str] = (),
                as_of: date | None = None, choose_key: KeyChoice | None = None) -> TableProfile:
        """Profile and type every column in one pass; the typed frame is kept for :meth:`rows`."""
        profile, self._typed = profile_and_type(self.frame, key=key, date_columns=list(date_columns),
                                                pii_columns=list(pii_columns), decimal=self.decimal, as_of=as_of,
                                                choose_key=choose_key)
        return profile

    @contextmanager
    def rows(self, profile: TableProfile, columns: Sequence[str]) -> Iterator[PandasRows]:
        """The typed frame (the profile's own, or typed now as ``profile`` says)."""
        typed = self._typed if self._typed is not None else typed_frame(self.frame, profile, decimal=self.decimal)
        yield PandasRows(typed)

    def parent_keys(self, spec: Mapping[str, Any], *, column: str, limit: int) -> ParentKeys:
        """Every key of the parent table, read by the same loader."""
        from readiness.tables import load_table

        parent = load_table(spec["path"], sheet=spec.get("sheet"))
        require_parent_column(column, spec, [str(c) for c in parent.frame.columns], self.where)
        keys = parent.frame[spec["column"]]
        return ParentKeys(listed=listed_keys(keys), handle=keys)

    def local_file(self) -> Any | None:
        """The loaded table, when it was read from a file."""
        return self.table if getattr(self.table, "path", None) is not None else None

    def probe(self, rows: int) -> None:
        """None: the stage sees every row and detects on them."""
        return None

    def model_frame(self, *, stratify_by: str, seed: int) -> tuple[Any, ScopeNote | None]:
        """The whole table, as loaded."""
        return self.table, None

    def other_tables(self, tables: Mapping[str, Any], *, seed: int) -> dict[str, Any]:
        """Each table loaded whole."""
        return load_tables(tables)

    def group_counts(self, attributes: Sequence[str], *, target: str | None = None,
                     positive_label: str | None = None, pairs: bool = True) -> GroupCounts:
        """Rows (and positives) of each group of each attribute and pair, on the typed columns."""
        attributes = list(dict.fromkeys(a for a in attributes if a))
        _require(self.columns(), attributes, "protected")
        _require(self.columns(), [target] if target else [], "target")
        if not attributes:
            return GroupCounts(pd.DataFrame(columns=GROUP_COLUMNS), False, [])
        wanted = list(dict.fromkeys([*attributes, *([target] if target else [])]))
        _, typed = profile_and_type(self.frame[wanted], decimal=self.decimal)
        y = binary_labels(typed[target], positive_label, column=target) if target else None
        labels, names, notes = {}, [], []
        for attribute in attributes:
            labels[attribute], how = prepare_protected(typed[attribute], name=attribute)
            notes += [how] if how else []
            if (labels[attribute] != MISSING_GROUP).any():
                names.append(attribute)
        tables = [_tally(labels[a], y, a) for a in attributes]
        if pairs:
            tables += [_tally(labels[a] + " & " + labels[b], y, f"{a} & {b}")
                       for i, a in enumerate(names) for b in names[i + 1:]]
            names += [f"{a} & {b}" for i, a in enumerate(names) for b in names[i + 1:]]
        return GroupCounts(pd.concat(tables, ignore_index=True), y is not None, names, notes)

    def daily_totals(self, *, typed_by: TableProfile, time_column: str, group_column: str | None,
                     sum_of: str | None, keep_days: Callable[[pd.Series], pd.DatetimeIndex], most_groups: int,
                     missing: str, other: str) -> DailyTotals:
        """Rows (and a sum) per group and day of the typed columns."""
        columns = list(dict.fromkeys(c for c in (time_column, group_column, sum_of) if c))
        typed = typed_frame(self.frame[columns], typed_by, decimal=self.decimal)
        return daily_totals(typed, time_column=time_column, group_column=group_column, sum_of=sum_of,
                            keep_days=keep_days, most_groups=most_groups, missing=missing, other=other)


def largest_groups(rows_per_group: pd.Series, most: int) -> list[str]:
    """The ``most`` groups with the most rows (ties by name), as text."""
    order = sorted(rows_per_group.items(), key=lambda item: (-item[1], str(item[0])))
    return [str(name) for name, _ in order[:most]]


def daily_totals(typed: pd.DataFrame, *, time_column: str, group_column: str | None, sum_of: str | None,
                 keep_days: Callable[[pd.Series], pd.DatetimeIndex], most_groups: int, missing: str,
                 other: str) -> DailyTotals:
    """Rows (and the sum of ``sum_of``) per group and day of a typed frame (see :meth:`PandasSource.daily_totals`)."""
    day = typed[time_column].dt.normalize()
    dated = day.notna()
    keep = day.isin(keep_days(day[dated].value_counts()))
    groups = (typed[group_column].astype("string").fillna(missing) if group_column
              else pd.Series("all", index=typed.index, dtype="string"))[keep]
    groups = groups.where(groups.isin(largest_groups(groups.value_counts(), most_groups)), other)
    values = typed[sum_of][keep].astype(float).fillna(0) if sum_of else 0.0
    frame = pd.DataFrame({"group": groups.astype(object), "day": day[keep], "rows": 1, "value": values})
    return DailyTotals(frame=frame, table_rows=len(typed), dated_rows=int(dated.sum()))


def _require(columns: list[str], names: Sequence[str], param: str) -> None:
    import difflib

    for name in names:
        if name not in columns:
            close = difflib.get_close_matches(str(name), columns, n=3, cutoff=0.5)
            hint = f"the closest are: {', '.join(close)}; " if close else ""
            raise DataError(f"`{param}` names column '{name}', which is not in the table; {hint}"
                            f"columns are: {', '.join(columns[:30])}.")


def _tally(groups: pd.Series, y: np.ndarray | None, attribute: str) -> pd.DataFrame:
    if y is None:
        out = groups.groupby(groups.to_numpy(), sort=True).size().rename("rows").reset_index()
        out["positives"] = np.nan
    else:
        known = ~np.isnan(y)
        parts = pd.DataFrame({"group": groups.to_numpy()[known], "rows": 1, "positives": y[known]})
        out = parts.groupby("group", sort=True, as_index=False).agg(rows=("rows", "sum"),
                                                                     positives=("positives", "sum"))
    out.columns = ["group", "rows", "positives"]
    return out.assign(attribute=attribute, rows=out["rows"].astype("int64"))[GROUP_COLUMNS]


class PandasRows:
    """The typed frame, counted for the checks that read rows."""

    def __init__(self, typed: pd.DataFrame) -> None:
        self.typed = typed

    def nulls_by_level(self, targets: Sequence[str], groups: Sequence[str]) -> list[LevelCounts]:
        """Levels in first-seen order, their rows, and each target's empty rows per level."""
        out = []
        for group in groups:
            codes, levels = pd.factorize(self.typed[group], use_na_sentinel=True)
            valid = codes >= 0
            nulls = {t: np.bincount(codes[valid], weights=self.typed[t].isna().to_numpy()[valid],
                                    minlength=len(levels)) for t in targets if t != group}
            out.append(LevelCounts(group, [str(v) for v in levels], np.bincount(codes[valid], minlength=len(levels)),
                                   nulls))
        return out

    def personal_values(self, columns: Sequence[str]) -> dict[str, PersonalCounts]:
        """Personal values inside each text column, counted over its distinct values."""
        out = {}
        for column in columns:
            counted = pc.value_counts(pa.chunked_array(self.typed[column].array.__arrow_array__()).drop_null())
            found = count_personal(counted.field("values"), counted.field("counts").to_numpy())
            if found is not None:
                out[column] = found
        return out

    def orphans(self, column: str, keys: ParentKeys, *, kind: str | None) -> OrphanCounts:
        """Values of ``column`` not among the parent's keys, compared as text."""
        counted = pc.value_counts(key_text(self.typed[column]))
        values, counts = counted.field("values"), counted.field("counts").to_numpy()
        handle = keys.handle if isinstance(keys.handle, pd.Series) else pd.Series(list(keys.handle))
        orphan = ~as_bool(pc.is_in(values, value_set=pc.unique(key_text(handle))))
        examples = [shown_value(v, kind) for v in sorted(values.filter(pa.array(orphan)).to_pylist())[:3]]
        return OrphanCounts(rows=int(counts[orphan].sum()), distinct=int(orphan.sum()), examples=examples)

    def validate(self, suite: dict) -> pd.DataFrame:
        """The suite validated by Great Expectations' pandas data source."""
        from readiness.sources.gx import validate_frame

        return validate_frame(self.typed, suite)
