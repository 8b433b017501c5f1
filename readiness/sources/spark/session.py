"""A SparkSession built from an engagement's ``spark:`` settings.

A local master is bound to 127.0.0.1 with the UI off, so a laptop run opens no port beyond the
loopback. Driver memory is fixed when the JVM starts: it is set here, before the session
exists, and a session already running in this process keeps whatever it was started with.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from typing import Any

from readiness.errors import ReadinessError

DEFAULT_MASTER = "local[2]"
INSTALL_HINT = "pip install 'readiness[spark]'"


def require_pyspark() -> Any:
    """The ``pyspark.sql`` module, or a ReadinessError that says how to install it."""
    try:
        import pyspark.sql as sql
    except ImportError:
        raise ReadinessError(f"The Spark engine needs PySpark, which is not installed; run {INSTALL_HINT} "
                             "(it also needs Java 17 or 21).") from None
    return sql


def _require_java() -> None:
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return
    if shutil.which("java") is None:
        raise ReadinessError("The Spark engine needs Java 17 or 21, and no `java` is on PATH and JAVA_HOME is "
                             "not set; install a JDK (e.g. apt-get install openjdk-17-jre-headless) or set "
                             "JAVA_HOME to one.")


def session_conf(*, master: str = DEFAULT_MASTER, driver_memory: str | None = None,
                 conf: Mapping[str, Any] | None = None, app_name: str = "readiness") -> dict[str, str]:
    """The Spark configuration :func:`spark_session` applies, as plain strings.

    Examples
    --------
    >>> session_conf(master="local[2]")["spark.driver.bindAddress"]
    '127.0.0.1'
    """
    out = {"spark.master": master, "spark.app.name": app_name,
           "spark.sql.execution.arrow.pyspark.enabled": "true",
           # Arrow batches of 100,000 rows (not 10,000): the profile's pass counts repeated values
           # within each batch, so larger batches send far fewer rows back to the JVM
           "spark.sql.execution.arrow.maxRecordsPerBatch": "100000",
           "spark.sql.session.timeZone": "UTC"}
    if master.startswith("local"):
        out.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
                    "spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                    # a few cores: 200 shuffle partitions would be 200 tiny tasks per aggregation
                    "spark.sql.shuffle.partitions": "8"})
    if driver_memory:
        out["spark.driver.memory"] = str(driver_memory)
    out.update({str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in (conf or {}).items()})
    return out


def spark_session(*, master: str = DEFAULT_MASTER, driver_memory: str | None = None,
                  conf: Mapping[str, Any] | None = None, app_name: str = "readiness") -> Any:
    """Start (or reuse) a SparkSession.

    Parameters
    ----------
    master : str
        ``local[N]``, ``spark://host:port``, ``yarn`` or ``k8s://...``.
    driver_memory : str, optional
        e.g. ``"2g"``; only takes effect when this call starts the JVM.
    conf : mapping, optional
        Extra Spark settings (the engagement's ``spark.conf``), applied last so they win.
        Storage credentials belong in the user's own Spark configuration, not here.
    app_name : str
        Shown in the cluster manager.

    Returns
    -------
    pyspark.sql.SparkSession

    Raises
    ------
    ReadinessError
        PySpark is not installed or Java is missing.
    """
    sql = require_pyspark()
    _require_java()
    settings = session_conf(master=master, driver_memory=driver_memory, conf=conf, app_name=app_name)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # silences the loopback-hostname warning
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter and its packages
    builder = sql.SparkSession.builder
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
