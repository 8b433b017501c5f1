"""The Spark scan's value hashes (computed in the executors' Python workers; no Spark needed here)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from conftest import SHARED_DATA
from readiness.sources.spark._scan import _NULL, _value_hashes, text_hashes


def groups_agree(values: pa.Array, hashes: np.ndarray) -> bool:
    """Equal values have equal hashes and distinct values distinct ones (no collision)."""
    codes, uniques = pd.factorize(pd.Series(values.to_pylist(), dtype=object), use_na_sentinel=False)
    per_value = pd.Series(hashes).groupby(codes).nunique()
    return bool((per_value == 1).all()) and len(np.unique(hashes)) == len(uniques)


def test_near_identical_texts_hash_apart_and_equal_texts_together() -> None:
    texts = ["", " ", "a", "b", "ab", "ba", "a b", "ab ", " ab", "aa", "aaa", "\x00", "\x00\x00", "é", "e\u0301",
             "0", "00", "1.0", "1.00", "x" * 300, "x" * 301, "x" * 299 + "y"]
    hashes = text_hashes(pa.array(texts * 3))
    assert len(np.unique(hashes[: len(texts)])) == len(texts)
    assert (hashes[: len(texts)] == hashes[len(texts): 2 * len(texts)]).all()


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_sliced_arrays_and_both_offset_widths_hash_alike(kind: pa.DataType) -> None:
    values = pa.array([f"C{i % 977:05d}" for i in range(5_000)], kind)
    whole = text_hashes(values)
    assert (text_hashes(values.slice(1_234, 2_000)) == whole[1_234:3_234]).all()
    assert (text_hashes(values.cast(pa.string())) == whole).all()
    assert groups_agree(values, whole)


def test_missing_values_hash_apart_from_every_text() -> None:
    hashes = _value_hashes(pa.array(["a", None, "", "a", None]))
    assert hashes[1] == hashes[4] == _NULL
    assert hashes[0] == hashes[3] and len({hashes[0], hashes[1], hashes[2]}) == 3


@pytest.mark.parametrize("name", ["online_retail.csv", "adult.csv"])
def test_every_column_of_a_real_file_groups_as_pandas_does(name: str) -> None:
    table = pacsv.read_csv(SHARED_DATA / name, convert_options=pacsv.ConvertOptions(
        column_types={}, strings_can_be_null=False, auto_dict_encode=False))
    for column in table.column_names:
        values = table[column].combine_chunks().cast(pa.string())
        assert groups_agree(values, _value_hashes(values)), column
