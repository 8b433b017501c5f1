"""Which engine reads each table and runs each use case: pandas on this machine, or Apache Spark.

A table says ``engine: spark`` to be read by Spark (a file, a folder of parts, or a URL such as
``s3a://bucket/table/``), and the engagement's optional ``spark:`` section says where Spark runs.
:func:`with_engine` applies the command line's ``--engine`` and ``--spark-master`` to a loaded
engagement; :func:`spark_parameters` gives a stage notebook its engine parameters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readiness.engagement.model import DEFAULT_SPARK_MASTER, SPARK_MASTER, Engagement, SparkSettings, TableSpec
from readiness.errors import ConfigError, DataError
from readiness.sources.engines import ENGINE_NAMES

ENGINES = ENGINE_NAMES


def is_spark(spec: TableSpec) -> bool:
    """True when the table is read by Spark, so it must never be loaded whole with pandas.

    Examples
    --------
    >>> is_spark(TableSpec(path="calls.parquet", engine="spark"))
    True
    """
    return spec.engine == "spark"


def use_case_engine(engagement: Engagement, case_id: str) -> str:
    """The engine of one use case: its own ``engine`` if given, else its table's."""
    case = engagement.use_case(case_id)
    return case.engine or engagement.tables[case.table].engine


def spark_parameters(engagement: Engagement, engine: str) -> dict[str, Any]:
    """The engine parameters of a stage notebook: ``engine``, ``spark_master``, ``spark_driver_memory``, ``spark_conf``.

    Parameters
    ----------
    engagement : Engagement
        Its ``spark`` section (or the defaults) fills the Spark parameters.
    engine : {"pandas", "spark"}
        The engine of the job; a pandas job gets empty Spark parameters.

    Returns
    -------
    dict
        JSON-able; ``spark_conf`` values are kept as written (text, numbers, true/false).

    Examples
    --------
    >>> spark_parameters(engagement, "pandas")  # doctest: +SKIP
    {'engine': 'pandas', 'spark_master': '', 'spark_driver_memory': '', 'spark_conf': {}}
    """
    if engine != "spark":
        return {"engine": "pandas", "spark_master": "", "spark_driver_memory": "", "spark_conf": {}}
    settings = engagement.spark or SparkSettings()
    return {"engine": "spark", "spark_master": settings.master, "spark_driver_memory": settings.driver_memory or "",
            "spark_conf": dict(settings.conf)}


def with_engine(engagement: Engagement, *, engine: str | None = None, spark_master: str | None = None) -> Engagement:
    """The engagement with every table and use case on ``engine`` and Spark at ``spark_master``.

    Parameters
    ----------
    engagement : Engagement
        As loaded; it is not changed.
    engine : {"pandas", "spark"}, optional
        Overrides every table's and use case's engine (the command line's ``--engine``).
    spark_master : str, optional
        Overrides ``spark.master`` (the command line's ``--spark-master``).

    Returns
    -------
    Engagement
        A copy, or the same object when nothing is overridden.

    Raises
    ------
    ConfigError
        An unknown engine or master, a URL table forced onto pandas, or an Excel table forced onto Spark.
    """
    if not engine and not spark_master:
        return engagement
    if engine and engine not in ENGINES:
        raise ConfigError(f"--engine: expected pandas or spark, got {engine!r}; write --engine spark")
    if spark_master and not SPARK_MASTER.fullmatch(spark_master):
        raise ConfigError(f"--spark-master: {spark_master!r} is not a Spark master URL; write local[N], "
                          "spark://host:port, yarn or k8s://https://host:port")
    copy = engagement.model_copy(deep=True)
    if engine:
        for name, spec in copy.tables.items():
            _check_override(copy, name, spec, engine)
            spec.engine = engine
        for case in copy.use_cases:
            case.engine = engine
    if spark_master:
        copy.spark = (copy.spark or SparkSettings()).model_copy(update={"master": spark_master})
    return copy


def _check_override(engagement: Engagement, name: str, spec: TableSpec, engine: str) -> None:
    where = f"{engagement.source.name}: tables.{name}"
    if engine == "pandas" and spec.is_url:
        raise ConfigError(f"{where}.path: {spec.location!r} is a URL, which only the Spark engine reads; "
                          "drop --engine pandas or copy the file into the engagement's folder")
    if engine == "spark" and (spec.sheet is not None or Path(spec.path).suffix.lower() in (".xlsx", ".xls")):
        raise ConfigError(f"{where}.path: the Spark engine reads csv, tsv, txt and parquet files or folders of "
                          f"them, not {Path(spec.path).name}; export it as csv or drop --engine spark")


def check_spark_path(engagement: Engagement, name: str) -> None:
    """Check that a Spark table's local file or folder exists; a URL is left to Spark to open.

    Nothing is read: a Spark table can be far larger than this machine's memory, so its columns
    are checked by the stage notebooks, which read it with Spark.

    Raises
    ------
    DataError
        The local path does not exist, or is an empty folder.
    """
    spec = engagement.table(name)
    if spec.is_url:
        return
    path = Path(spec.path)
    where = f"{spec.path_text}: tables.{name}.path"
    if not path.exists():
        raise DataError(f"{where}: no file or folder at {path}; put the export there or fix the path in "
                        f"{engagement.source.name}")
    if path.is_dir() and not any(p.is_file() and not p.name.startswith(("_", ".")) for p in path.iterdir()):
        raise DataError(f"{where}: the folder {path} holds no data files; put the table's parts there")


__all__ = ["DEFAULT_SPARK_MASTER", "ENGINES", "check_spark_path", "is_spark", "spark_parameters",
           "use_case_engine", "with_engine"]
