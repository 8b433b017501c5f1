"""The ``readiness`` command: thin argument parsing on top of :mod:`readiness.pipeline`.

Exit status: 0 success; 1 an unexpected error (with its traceback); 2 bad input (one line naming
the file and key or column); 3 the run finished but at least one notebook failed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from readiness import __version__
from readiness.errors import ConfigError, ReadinessError
from readiness.imports import leave_out_iri_grammar

EXIT_NOTEBOOK_FAILED = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readiness",
        description="Assess a service business's readiness for AI from its data extracts.",
    )
    parser.add_argument("--version", action="version", version=f"readiness {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run every stage of an engagement and write the HTML reports")
    run.add_argument("engagement", nargs="?", type=Path, help="engagement YAML (default: the bundled sample client)")
    run.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: ./reports)")
    run.add_argument("--jobs", type=int, default=None, help="notebooks run in parallel (default: cores, max 4)")
    run.add_argument("--engine", choices=["pandas", "spark"], default=None,
                     help="read every table and run every use case with this engine (default: each table's own)")
    run.add_argument("--spark-master", metavar="URL", default=None,
                     help="where Spark runs: local[N], spark://host:port, yarn or k8s://... (default: the "
                          "engagement's spark.master, else local[2])")
    run.add_argument("--baseline", type=Path, default=None, metavar="DIR",
                     help="an earlier report folder of the same client: add the progress report (progress.html) "
                          "comparing this run with it")

    compare = sub.add_parser("compare", help="compare two report folders of one client: what improved since the "
                                             "earlier assessment")
    compare.add_argument("before", type=Path, metavar="BEFORE", help="the earlier run's report folder")
    compare.add_argument("after", type=Path, metavar="AFTER", help="the later run's report folder")
    compare.add_argument("--out", type=Path, default=None, metavar="DIR",
                         help="folder for progress.html and progress.json (default: AFTER)")

    check = sub.add_parser("check", help="validate an engagement file and load every table, without notebooks")
    check.add_argument("engagement", nargs="?", type=Path, help="engagement YAML (default: the sample client)")

    new = sub.add_parser("new", help="write a ready-to-fill engagement, questionnaire and ethics checklist")
    new.add_argument("folder", type=Path, help="folder for the new engagement (created if needed)")
    new.add_argument("--client", default=None, help="the client's name, shown in every report (needed unless --sample)")
    new.add_argument("--from", dest="extracts", type=Path, default=None, metavar="EXTRACTS",
                     help="a folder of the client's extracts (csv, tsv, txt, xlsx, parquet): draft engagement.yaml "
                          "from them (tables, keys, references, suggested use cases); nothing is copied")
    new.add_argument("--sample", action="store_true",
                     help="copy the bundled sample client (extracts, engagement, answers) into the folder to study")

    pdf = sub.add_parser("pdf", help="print a run's index page and summary report to one PDF (needs Chromium)")
    pdf.add_argument("report_dir", type=Path, metavar="REPORT_DIR", help="a run folder, e.g. reports/<client-slug>")
    pdf.add_argument("--out", type=Path, default=None, metavar="FILE",
                     help="the PDF to write (default: REPORT_DIR/<client-slug>.pdf)")
    return parser


def _cmd_run(args: argparse.Namespace) -> int:
    from readiness.pipeline import remove_abandoned_work_dirs, run_engagement

    # the engine options are passed only when given, so a plain run needs nothing new of the pipeline
    engine = {key: value for key, value in (("engine", args.engine), ("spark_master", args.spark_master),
                                            ("baseline", args.baseline)) if value}
    try:
        summary = run_engagement(args.engagement, out=args.out, jobs=args.jobs, **engine)
    except KeyboardInterrupt:  # the process exits next: notebook threads may have written the folder again
        remove_abandoned_work_dirs()
        raise
    failed = summary.failed
    print(f"Reports: {summary.report_dir / 'index.html'} ({len(summary.outcomes)} notebooks, {summary.seconds:.1f} s)")
    if failed:
        names = ", ".join(f"{o.stage}/{o.subject}" for o in failed)
        print(f"readiness: {len(failed)} notebook(s) failed: {names}; see their reports", file=sys.stderr)
        return EXIT_NOTEBOOK_FAILED
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from readiness.progress.write import write_progress_report
    from readiness.render import render_notebook

    done = write_progress_report(args.before, args.after, out=args.out, render=render_notebook)
    if done.status != "ok" or done.result is None:
        print(f"readiness: the progress report failed: {done.error}; see {done.html}", file=sys.stderr)
        return EXIT_NOTEBOOK_FAILED
    score = "" if done.result.score is None else f", {done.result.score:.0f}/100 of the changes for the better"
    print(f"Progress report: {done.html} (verdict {done.result.shown_verdict}{score}; {done.seconds:.1f} s)")
    print(f"  {done.result.metrics.get('headline', '')}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from readiness.engagement import load_engagement
    from readiness.pipeline import SAMPLE_ENGAGEMENT, check_engagement
    from readiness.scaffold import missing_inputs

    engagement = load_engagement(args.engagement or SAMPLE_ENGAGEMENT)
    gaps = missing_inputs(engagement)
    if any(not spec.is_url and not spec.path.exists() for spec in engagement.tables.values()):
        # list every gap at once on stdout; the error itself stays one line on stderr
        print("Missing for a complete report:")
        for gap in gaps:
            print(f"  - {gap}")
    try:
        rows = check_engagement(engagement, gaps=gaps)
    except ReadinessError as exc:
        problems = getattr(exc, "problems", [])
        if len(problems) > 1:  # every problem on stdout; the error itself stays one line on stderr
            print("Problems that would stop the run:")
            for problem in problems:
                print(f"  - {problem}")
        raise
    print(f"{engagement.source}: OK: client {engagement.client!r}, as of {engagement.as_of.isoformat()}")
    for name, spec in engagement.tables.items():
        count = rows.get(name)
        if count is None:  # a Spark table is not loaded here: its rows are counted by the Spark run
            print(f"  {name}: read by Spark at run time ({spec.location}); columns are checked then")
        else:
            print(f"  {name}: {count:,} rows ({spec.path.name})")
    if gaps:
        print("Still missing for a complete report:")
        for gap in gaps:
            print(f"  - {gap}")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from readiness.scaffold import copy_sample, write_new_engagement

    if args.sample:
        if args.client or args.extracts:
            raise ConfigError("--sample copies the bundled sample client as it is; leave out --client and --from")
        written = copy_sample(args.folder)
        print(f"copied the sample client ({len(written)} files) into {args.folder}")
        print(f"Next: `readiness run {args.folder / 'engagement.yaml'}`")
        return 0
    if not args.client:
        raise ConfigError("--client: the client's name is needed; pass e.g. --client \"Harbour Physio Group\" "
                          "(or --sample to copy the bundled sample client)")
    written = write_new_engagement(args.folder, client=args.client, extracts=args.extracts)
    for path in written:
        print(f"wrote {path}")
    check = f"`readiness check {args.folder / 'engagement.yaml'}`"
    if args.extracts is None:
        print(f"Next: put the client's extracts in {args.folder}, fill the files above, then {check}")
    else:
        print(f"Next: check the drafted keys, references and use cases in {written[0].name}, add the use cases' "
              f"value and costs, fill the answers files, then {check}")
    return 0


def _cmd_pdf(args: argparse.Namespace) -> int:
    from readiness.pdf import print_pdf

    result = print_pdf(args.report_dir, out=args.out)
    print(f"PDF: {result.path} ({result.pages} pages, {result.bytes / 1024:,.0f} KB, {result.seconds:.1f} s)")
    return 0


COMMANDS = {"run": _cmd_run, "compare": _cmd_compare, "check": _cmd_check, "new": _cmd_new, "pdf": _cmd_pdf}


@contextlib.contextmanager
def _interrupt_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so a terminated run cleans up its kernels and temporary folder."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``readiness`` console script."""
    args = _parser().parse_args(argv)
    leave_out_iri_grammar()
    try:
        with _interrupt_on_sigterm():
            return COMMANDS[args.command](args)
    except ReadinessError as exc:
        print(f"readiness: error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("readiness: interrupted; earlier reports are untouched", file=sys.stderr)
        if threading.active_count() > 1:
            # Notebook threads may still be waiting on a kernel that was starting when the signal
            # came: exit now rather than wait for them (their kernels follow their parent out).
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
        return 130


if __name__ == "__main__":
    sys.exit(main())
