"""The assessment on Apache Spark, for tables that outgrow one machine (``pip install 'readiness[spark]'``).

:func:`spark_session` builds a session from an engagement's ``spark:`` settings, :func:`read_table`
reads a file, a folder of parts or any URL Spark reads, and :func:`assess_quality_spark` returns
the same :class:`readiness.quality.QualityReport` as the pandas engine. ``pyspark`` is imported
only inside these functions, so importing this package never needs it.
"""

from __future__ import annotations

from readiness.spark.profile import assess_quality_spark, profile_table_spark
from readiness.spark.reading import read_table
from readiness.spark.session import spark_session

__all__ = ["assess_quality_spark", "profile_table_spark", "read_table", "spark_session"]
