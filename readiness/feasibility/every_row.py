"""What the feasibility report quotes on every row when its models saw only a sample of the table.

A table's source (:mod:`readiness.sources`) gives the models a bounded sample of a table too large
for pandas. The target's values and a forecast's rows per day are then counted by the source on
every row: a sample would undercount a forecast's series, and the report's class counts should
be the table's.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from readiness.errors import ConfigError
from readiness.feasibility.data import MISSING, require_columns, type_table
from readiness.feasibility.forecast import MAX_GROUPS, OTHER, DailyRows, daily_rows, kept_days, sums_target
from readiness.profiling.groups import MISSING_GROUP


def daily_on_every_row(source: Any, sample: pd.DataFrame, *, target: str, time_column: str,
                       group_column: str | None = None, as_of: str | None = None) -> DailyRows:
    """A forecast's rows (and a numeric target's sum) per group and day, counted by ``source`` on every row.

    Parameters
    ----------
    source : TableSource
        The whole table.
    sample : pandas.DataFrame
        Its model sample (:meth:`~readiness.sources.base.TableSource.model_frame`): the profile of the
        three columns on it decides how they are typed and whether the target is summed.
    target, time_column, group_column, as_of
        As for :func:`readiness.feasibility.assess_feasibility`.

    Returns
    -------
    DailyRows
        Pass it as ``daily`` to :func:`readiness.feasibility.assess_feasibility`.
    """
    group_column = group_column or None
    if not time_column:
        raise ConfigError("a forecast needs `time_column`, the column that dates each row.")
    named = [("target", target), ("time_column", time_column)] + ([("group_column", group_column)]
                                                                   if group_column else [])
    require_columns(sample, named, where=f"forecast on {source.engine}")
    columns = list(dict.fromkeys(c for _, c in named))
    profile, _ = type_table(sample[columns], time_column=time_column, decimal=source.decimal)
    summed = sums_target(profile, target)
    as_of = str(as_of)[:10] if as_of else None
    totals = source.daily_totals(typed_by=profile, time_column=time_column, group_column=group_column,
                                 sum_of=target if summed else None, keep_days=partial(kept_days, as_of=as_of),
                                 most_groups=MAX_GROUPS, missing=MISSING, other=OTHER)
    return daily_rows(totals, summed=summed, target=target, time_column=time_column, group_column=group_column,
                      as_of=as_of, engine=source.engine)


def target_counts(source: Any, *, target: str) -> pd.DataFrame:
    """Rows and share of each value of ``target`` on every row (empty for a target not in the table).

    Values are grouped as the ethics stage groups an attribute
    (:func:`readiness.profiling.groups.prepare_protected`): missing values form ``(missing)``, numbers
    with many values are cut into quartiles. Largest first, ``(missing)`` last.
    """
    if target not in source.columns():
        return pd.DataFrame(columns=[target, "rows", "share"])
    counts = source.group_counts([target], pairs=False).counts
    order = counts["group"].eq(MISSING_GROUP).astype(int) * 10**15 - counts["rows"]
    counts = counts.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)
    return pd.DataFrame({target: counts["group"], "rows": counts["rows"].astype("int64"),
                         "share": counts["rows"] / max(int(counts["rows"].sum()), 1)})
