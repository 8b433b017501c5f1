"""Re-run the data checks of a readiness assessment with Great Expectations, and build its Data Docs.

A copy of this file sits in each run's Great Expectations project (``quality/gx/run_checks.py``).
It needs only ``great_expectations`` installed:

    python quality/gx/run_checks.py                  # the extract the assessment read
    python quality/gx/run_checks.py --data DIR       # a later extract: the same file names in DIR
    python quality/gx/run_checks.py --as-of 2027-01-31   # dates after this day are in the future

It prints each table's failed checks (counts only, never a value) and where the Data Docs are.
Exit status: 0 when every check passes, 1 when one fails, 2 when the project or a file cannot
be read.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import logging
import sys
import warnings
from pathlib import Path

CHECKPOINT = "readiness_checks"
AS_OF_PARAMETER = "as_of_end"  # the suites compare dates with this end of day


def parent_parameter(file: str, column: str) -> str:
    """The name of the parameter carrying a parent table's keys to a reference check (a plain identifier)."""
    import re

    return "keys_" + re.sub(r"\W", "_", f"{file}__{column}")


def _parent_keys(context: object, folder: Path | None) -> dict[str, list]:
    """Every reference check's parent keys, read now (from ``folder`` when given) with the parent's reader."""
    import pandas as pd

    readers = {"csv": pd.read_csv, "excel": pd.read_excel, "parquet": pd.read_parquet}
    out: dict[str, list] = {}
    for suite in context.suites.all():  # type: ignore[attr-defined]
        for expectation in suite.expectations:
            parent = (expectation.meta or {}).get("parent")
            if not parent:
                continue
            name = parent_parameter(parent["file"], parent["column"])
            if name in out:
                continue
            path = (folder or Path(parent["folder"])) / parent["file"]
            options = dict(parent["options"])
            if parent["reader"] == "csv":
                options["usecols"] = [parent["column"]]
            keys = readers[parent["reader"]](path, **options)[parent["column"]].dropna().unique()
            out[name] = [k.item() if hasattr(k, "item") else k for k in keys]
    return out


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Re-run the assessment's data checks with Great Expectations.")
    parser.add_argument("--data", type=Path, help="folder holding the extract's files (default: the assessed one)")
    parser.add_argument("--as-of", default=datetime.date.today().isoformat(),
                        help="the extract's date, YYYY-MM-DD (default: today)")
    parser.add_argument("--json", action="store_true", help="print every check's outcome as one JSON object")
    return parser.parse_args(argv)


def _point_at(context: object, folder: Path) -> None:
    """Every file data source reads from ``folder`` instead, checked first for the files it needs."""
    for source in context.data_sources.all().values():  # type: ignore[attr-defined]
        if getattr(source, "type", "") not in ("pandas_filesystem",):
            continue
        for asset in source.assets:
            for definition in asset.batch_definitions:  # each named after the file it reads
                wanted = folder / definition.name
                if not wanted.is_file():
                    raise FileNotFoundError(f"{wanted} is missing: --data must hold the same files as the "
                                            "assessed extract")
        source.base_directory = folder
        context.update_datasource(source)  # type: ignore[attr-defined]


def lazy_copies() -> contextlib.AbstractContextManager:
    """pandas' copy-on-write while the checks run, where pandas has it (the notebook's validation too).

    Before each column check Great Expectations keeps the column's filled rows
    (``df[df[column].notnull()]``), which copies the whole table once per check; under
    copy-on-write a copy nothing writes to is never made. The outcomes are the same.
    """
    import pandas as pd

    major = pd.__version__.split(".")[0]
    if major.isdigit() and int(major) >= 3:
        return contextlib.nullcontext()  # pandas 3 copies on write always
    try:
        pd.get_option("mode.copy_on_write")
    except (KeyError, AttributeError):  # pandas before 1.5
        return contextlib.nullcontext()
    return pd.option_context("mode.copy_on_write", True)


def _outcomes(result: object) -> dict[str, list[dict]]:
    """Per table, each check: column, expectation, the finding it mirrors, success and failing rows."""
    out: dict[str, list[dict]] = {}
    for run in result.run_results.values():  # type: ignore[attr-defined]
        out[run.suite_name] = [{"column": r.expectation_config.kwargs.get("column"),
                                "expectation": r.expectation_config.type,
                                "finding": (r.expectation_config.meta or {}).get("finding"),
                                "success": bool(r.success),
                                "unexpected_count": (r.result or {}).get("unexpected_count")}
                               for r in run.results]
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the checkpoint; 0 when every check passes, 1 when one fails, 2 on an error."""
    args = _parse(argv)
    try:
        as_of = datetime.date.fromisoformat(args.as_of)
    except ValueError:
        print(f"--as-of is {args.as_of!r}; write it as YYYY-MM-DD.", file=sys.stderr)
        return 2
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    project = Path(__file__).resolve().parent
    try:
        context = gx.get_context(mode="file", project_root_dir=str(project.parent))
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        if args.data is not None:
            _point_at(context, args.data.resolve())
        parameters = {AS_OF_PARAMETER: f"{as_of.isoformat()}T23:59:59", **_parent_keys(context, args.data)}
        checkpoint = context.checkpoints.get(CHECKPOINT)
        with lazy_copies():
            result = checkpoint.run(expectation_parameters=parameters)
    except Exception as error:  # noqa: BLE001 - one line for the analyst, whatever went wrong
        print(f"The checks could not run: {str(error).splitlines()[0] if str(error) else type(error).__name__}",
              file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(_outcomes(result), indent=1))
        return 0 if result.success else 1
    failed_total = 0
    for run in result.run_results.values():
        table = run.suite_name
        failed = [r for r in run.results if not r.success]
        failed_total += len(failed)
        print(f"{table}: {len(run.results) - len(failed)} of {len(run.results)} checks passed")
        for r in failed:
            config = r.expectation_config
            column = config.kwargs.get("column") or "(table)"
            count = (r.result or {}).get("unexpected_count")
            rows = f", {count:,} rows" if isinstance(count, int) else ""
            why = (config.meta or {}).get("check", config.type)
            print(f"  FAILED {column}: {why}{rows}")
    docs = project / "uncommitted" / "data_docs" / "local_site" / "index.html"
    print(f"Data Docs: {docs}")
    return 0 if failed_total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
