"""The assessment on Apache Spark, for tables that outgrow one machine (``pip install 'readiness[spark]'``).

:func:`spark_session` builds a session from an engagement's ``spark:`` settings, :func:`read_table`
reads a file, a folder of parts or any URL Spark reads, and :func:`assess_quality_spark` returns
the same :class:`readiness.quality.QualityReport` as the pandas engine. ``pyspark`` is imported
only inside these functions, so importing this package never needs it.
"""

from __future__ import annotations

from readiness.spark._typed import typed_frame_spark
from readiness.spark.assess import assess_quality_spark
from readiness.spark.expectations import validate_suite_spark
from readiness.spark.profile import profile_table_spark
from readiness.spark.reading import decimal_mark, read_table
from readiness.spark.session import spark_session

__all__ = ["assess_quality_spark", "decimal_mark", "profile_table_spark", "read_table", "spark_session",
           "typed_frame_spark", "validate_suite_spark"]
