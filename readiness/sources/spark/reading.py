"""Read a table for Spark: a csv/parquet file, a folder of parts, or any URL the user's Spark reads.

CSV columns are all read as text, exactly as written, like the pandas loader, so blanks, null
tokens and numbers stored as text stay visible to the profile. The delimiter and encoding of a
local file are sniffed from its first bytes with :mod:`readiness.tables.sniffing`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readiness.errors import DataError
from readiness.tables.sniffing import decode_sample, detect_decimal, sniff_text_format

SNIFF_BYTES = 64 * 1024
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def _local(path: str) -> Path | None:
    if "://" in path and not path.startswith("file://"):
        return None
    return Path(path.removeprefix("file://"))


def spark_reads(path: str | Path) -> bool:
    """Whether the Spark reader takes ``path``: a URL, a folder, or a csv/tsv/txt/parquet file (not Excel)."""
    text = str(path)
    local = _local(text)
    return local is None or local.is_dir() or Path(text.rstrip("/")).suffix.lower() in (*TEXT_SUFFIXES, ".parquet")


def _format_of(path: str, local: Path | None) -> str:
    probe = path.rstrip("/")
    if local is not None and local.is_dir():
        parts = [p.suffix.lower() for p in local.iterdir() if p.is_file() and not p.name.startswith(("_", "."))]
        if parts and all(s == ".parquet" for s in parts):
            return "parquet"
        if parts and all(s in TEXT_SUFFIXES for s in parts):
            return "csv"
        raise DataError(f"{path}: a folder of parts must hold only .parquet or only .csv/.tsv/.txt files; "
                        f"found {', '.join(sorted(set(parts))) or 'no files'}.")
    suffix = Path(probe).suffix.lower()
    if suffix == ".parquet":
        return "parquet"
    if suffix in TEXT_SUFFIXES:
        return "csv"
    raise DataError(f"{path}: the Spark engine reads .csv/.tsv/.txt and .parquet files or folders of them; "
                    f"found '{suffix or 'no extension'}'; convert the file or give `format`.")


def _sniff(local: Path | None) -> tuple[str, str]:
    if local is None:
        return "utf-8", ","
    with _first_part(local).open("rb") as handle:
        encoding, delimiter = sniff_text_format(handle.read(SNIFF_BYTES))
    return ("utf-8" if encoding == "utf-8-sig" else encoding), delimiter


def _first_part(local: Path) -> Path:
    if local.is_dir():
        return min(p for p in local.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))
    return local


def decimal_mark(path: str | Path, *, format: str | None = None) -> str:
    """The decimal mark of a local CSV (sniffed like the pandas loader does), else ``"."``.

    Pass it as ``decimal`` to :class:`readiness.sources.spark.SparkSource`; Parquet and remote
    files give ``"."`` (Parquet numbers are typed; set it yourself for a remote CSV).

    Examples
    --------
    >>> decimal_mark("s3a://bucket/table/")
    '.'
    """
    text = str(path)
    local = _local(text)
    if local is None or not local.exists() or (format or _format_of(text, local)) != "csv":
        return "."
    with _first_part(local).open("rb") as handle:
        sample = handle.read(SNIFF_BYTES)
    encoding, delimiter = sniff_text_format(sample)
    return detect_decimal(decode_sample(sample, encoding), delimiter, complete=len(sample) < SNIFF_BYTES)


def _read_parquet(spark: Any, path: str) -> Any:
    try:
        return spark.read.parquet(path)
    except Exception as exc:  # pyspark's AnalysisException; the module stays importable without pyspark
        if "PARQUET_TYPE_ILLEGAL" in str(exc) and "NANOS" in str(exc):
            raise DataError(f"{path}: the file stores nanosecond timestamps, which Spark cannot read; write it "
                            "again with microseconds, e.g. pandas `to_parquet(path, coerce_timestamps='us')`, "
                            "or use `engine: pandas` for this table.") from None
        raise


def read_table(spark: Any, path: str | Path, *, format: str | None = None, delimiter: str | None = None,
               encoding: str | None = None) -> Any:
    """A Spark DataFrame of one table; every CSV column is a string, read verbatim.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
    path : str or Path
        A file, a folder of parts, or a URL such as ``s3a://bucket/table/``.
    format : {"csv", "parquet"}, optional
        Needed only when the path does not say (a URL of a folder without a suffix).
    delimiter, encoding : str, optional
        Override the sniffed CSV delimiter and encoding (sniffed only for local files).

    Returns
    -------
    pyspark.sql.DataFrame

    Raises
    ------
    DataError
        A local path that does not exist, or a format the engine cannot read.
    """
    text = str(path)
    local = _local(text)
    if local is not None and not local.exists():
        raise DataError(f"{text}: no such file or folder; check `path` in engagement.yaml.")
    kind = format or _format_of(text, local)
    if kind == "parquet":
        return _read_parquet(spark, text)
    sniffed_encoding, sniffed_delimiter = _sniff(local)
    # nullValue/emptyValue keep '' as '' and only a missing field as null, so blanks stay countable.
    return (spark.read.option("header", True).option("inferSchema", False)
            .option("sep", delimiter or sniffed_delimiter).option("encoding", encoding or sniffed_encoding)
            .option("quote", '"').option("escape", '"').option("multiLine", True)
            .option("ignoreLeadingWhiteSpace", False).option("ignoreTrailingWhiteSpace", False)
            .option("mode", "PERMISSIVE").csv(text))
