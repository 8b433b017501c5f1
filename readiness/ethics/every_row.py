"""Group sizes, base rates and disparities on every row of a table whose models saw only a sample.

The table's source (:mod:`readiness.sources`) counts the rows and positives of each group of each
protected attribute and pair on every row (:meth:`~readiness.sources.base.TableSource.group_counts`);
:func:`readiness.ethics.bias.rates_from_counts` turns them into the table the pandas engine computes
on the whole table, bootstrap intervals included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from readiness.ethics import bias


def group_rates_on_every_row(source: Any, *, protected: Sequence[str], target: str | None,
                             positive_label: str | None = None, reference_groups: Mapping[str, str] | None = None,
                             min_group_size: int = bias.MIN_GROUP_SIZE, n_boot: int = bias.N_BOOT,
                             seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    """The ethics stage's group-rate table, counted by a table's source on every row.

    Equal to the ``group_rates`` of :func:`readiness.ethics.assess_ethics` on the whole table
    (same groups, rates, reference groups and seeded bootstrap intervals), for
    ``assess_ethics(sample, group_rates=...)`` when only a sample fits in pandas.

    Parameters
    ----------
    source : TableSource
        The whole table.
    protected : sequence of str
        Protected attribute columns; each pair of them is compared too.
    target, positive_label : str, optional
        The label column and its positive value; without a binary target the table is empty.
    reference_groups : mapping, optional
        Attribute -> reference group; the largest known group by default.
    min_group_size : int
        Groups with fewer labelled rows are marked ``small``.
    n_boot : int
        Bootstrap resamples for the 95% intervals.
    seed : int
        The ``seed`` given to ``assess_ethics``.

    Returns
    -------
    (pandas.DataFrame, list of str)
        Columns :data:`readiness.ethics.bias.GROUP_COLUMNS`; and notes on banded attributes and on
        attributes or pairs with too many values to count.

    Examples
    --------
    >>> rates, notes = group_rates_on_every_row(source, protected=["gender", "age"], target="no_show",
    ...                                         positive_label="true", seed=42)  # doctest: +SKIP
    """
    found = source.group_counts(protected, target=target, positive_label=positive_label)
    tables = []
    for i, attribute in enumerate(found.attributes):  # seed + i: the pandas engine's seed for this attribute
        part = found.counts[found.counts["attribute"] == attribute]
        if found.labelled and len(part):
            tables.append(bias.rates_from_counts(part, attribute=attribute,
                                                 reference=(reference_groups or {}).get(attribute),
                                                 min_group_size=min_group_size, n_boot=n_boot, seed=seed + i))
    rates = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=bias.GROUP_COLUMNS)
    return rates, found.notes
