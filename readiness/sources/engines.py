"""The one registry of engines a table can be read by: :data:`ENGINES`.

Each entry names the class implementing :class:`~readiness.sources.base.TableSource` and the
notebook parameters it reads. The parameter models and the engagement file take their list of
engine names from here (:data:`ENGINE_NAMES`), so a new engine is one module and one entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Engine:
    """An engine: the class implementing the protocol (``module:Class``) and how to open a file with it.

    ``options`` names the notebook parameters the engine reads (e.g. where Spark runs), mapped to
    its ``open`` keyword arguments.
    """

    source: str
    options: Mapping[str, str]
    reads_sheets: bool

    def load(self) -> Any:
        """The source class."""
        module, _, name = self.source.partition(":")
        return getattr(import_module(module), name)


ENGINES: dict[str, Engine] = {
    "pandas": Engine("readiness.sources.pandas:PandasSource", {}, reads_sheets=True),
    "spark": Engine("readiness.sources.spark.source:SparkSource",
                    {"spark_master": "master", "spark_driver_memory": "driver_memory", "spark_conf": "conf"},
                    reads_sheets=False),
}
ENGINE_NAMES = tuple(ENGINES)
