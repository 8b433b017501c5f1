"""Where a client table lives, and the one protocol every stage reads it through.

A stage opens its table with :func:`open_source` and asks it for what it needs (see
:class:`~readiness.sources.base.TableSource`); it never names an engine. :data:`ENGINES` is the one
registry of engines: ``pandas`` (:class:`~readiness.sources.pandas.PandasSource`, a file read into
memory) and ``spark`` (:class:`~readiness.sources.spark.SparkSource`, a table Apache Spark reads).
A new engine is a module implementing the protocol and one entry here. Engines are imported only
when a table is opened, so importing this package stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from readiness.sources.engines import ENGINE_NAMES, ENGINES, Engine


def open_source(path: str | Path, *, name: str | None = None, engine: str = "pandas", sheet: str | int | None = None,
                options: Mapping[str, Any] | None = None) -> Any:
    """Open a table with the engine named, for ``with open_source(...) as table:``.

    Parameters
    ----------
    path : str or Path
        The table's file, folder or URL (a notebook's ``data_path``).
    name : str, optional
        The table's name in messages and reports (the file's name by default).
    engine : str
        A key of :data:`ENGINES`.
    sheet : str or int, optional
        The sheet of an Excel file (engines that read sheets).
    options : mapping, optional
        Notebook parameters; those the engine lists in :attr:`Engine.options` are passed on.

    Returns
    -------
    TableSource
    """
    from readiness.errors import ConfigError

    if engine not in ENGINES:
        raise ConfigError(f"`engine` is '{engine}'; use one of: {', '.join(ENGINE_NAMES)}.")
    spec = ENGINES[engine]
    given = {arg: (options or {})[param] for param, arg in spec.options.items() if param in (options or {})}
    if spec.reads_sheets:
        given["sheet"] = sheet if sheet not in ("", None) else None
    return spec.load().open(path, name=name, **given)


def source_of(table: Any, *, name: str) -> Any:
    """A table already in hand as a source: a source as it is, a loaded table or DataFrame read by pandas."""
    if hasattr(table, "model_frame") and hasattr(table, "profile"):
        return table
    from readiness.sources.pandas import PandasSource

    return PandasSource(table, name=name)



__all__ = ["ENGINES", "ENGINE_NAMES", "Engine", "open_source", "source_of"]
