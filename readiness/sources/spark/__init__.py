"""Tables read by Apache Spark, for tables that outgrow one machine (``pip install 'readiness[spark]'``).

:class:`SparkSource` is the :class:`~readiness.sources.base.TableSource` every stage reads such a
table through; :func:`spark_session` builds a session from an engagement's ``spark:`` settings,
:func:`read_table` reads a file, a folder of parts or any URL Spark reads. ``pyspark`` is imported
only inside functions, so importing this package never needs it.
"""

from __future__ import annotations

from readiness.sources.spark._typed import typed_frame_spark
from readiness.sources.spark.profile import profile_table_spark
from readiness.sources.spark.reading import decimal_mark, read_table
from readiness.sources.spark.session import spark_session
from readiness.sources.spark.source import SparkSource

__all__ = ["SparkSource", "decimal_mark", "profile_table_spark", "read_table", "spark_session", "typed_frame_spark"]
