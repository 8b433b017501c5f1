"""What the engagement's messages tell the reader to do: the hint for each key and "did you mean".

It holds the per-key hints (``_HINTS``), the close-match suggestions used for unknown keys,
tables and ids, and ``_KeyPathError``, the validation error that carries its own key path,
what was found and what to do. It imports nothing else of the package, so both the models
and the message builders can use it.
"""

from __future__ import annotations

import difflib


class _KeyPathError(ValueError):
    """A validation problem that knows its key path below the validator's own location."""

    def __init__(self, loc: tuple[str | int, ...], found: str, todo: str) -> None:
        super().__init__(f"{found}; {todo}")
        self.loc, self.found, self.todo = loc, found, todo


def _closest(word: object, choices: list[str]) -> str | None:
    match = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return match[0] if match else None


def _suggest(word: object, choices: list[str], *, noun: str) -> str:
    best = _closest(word, choices)
    if best is not None:
        return f"did you mean {best!r}?"
    return f"known {noun} are: {', '.join(choices)}" if choices else f"there are no {noun}"


_HINTS: dict[str, str] = {
    "client": "write the client's name, e.g. client: Harbour Physio Group",
    "as_of": "write the assessment date as YYYY-MM-DD, e.g. as_of: 2026-06-30",
    "currency": "write a 3-letter ISO 4217 code in capitals, e.g. currency: EUR",
    "seed": "write a whole number, e.g. seed: 42",
    "freshness_days": "write a whole number of days above 0, e.g. freshness_days: 90",
    "tables": "list each table by name, e.g. tables: {customers: {path: customers.csv}}",
    "tables.*": "describe the table as a mapping, e.g. customers: {path: customers.csv, key: customer_id}",
    "path": "write the file's path relative to the engagement file, e.g. path: customers.csv",
    "key": "write the column that identifies a row, e.g. key: customer_id",
    "sheet": "write the sheet's name or 0-based number, or leave it out",
    "date_columns": "write a list of column names, e.g. date_columns: [booked_at, starts_at]",
    "pii": "write a list of column names, e.g. pii: [email, phone]",
    "references": "write column: table.column, e.g. references: {customer_id: customers.customer_id}",
    "rules": "write a list of rules, e.g. - {column: status, expect: in_set, values: [a, b]}",
    "column": "write the column's name",
    "expect": "use one of between, in_set, not_null, unique, matches",
    "min": "write a number or an ISO date, e.g. min: 10",
    "max": "write a number or an ISO date, e.g. max: 180",
    "values": "write the allowed values as a list, e.g. values: [attended, no_show]",
    "pattern": "write a regular expression in single quotes, e.g. pattern: '^[A-Z]{2}\\d+$'",
    "mostly": "write the share of rows that must pass, above 0 and at most 1, e.g. mostly: 0.95",
    "roi": "write roi: {horizon_years: 3, discount_rate: 0.08, draws: 10000}",
    "horizon_years": "write a whole number of years from 1 to 15, e.g. horizon_years: 3",
    "discount_rate": "write a yearly rate from 0 up to (not including) 1, e.g. discount_rate: 0.08",
    "draws": "write the number of Monte Carlo draws, e.g. draws: 10000",
    "use_cases": "write a list of use cases, each with id, title, table and target",
    "id": "write a short name of lower-case letters, digits and '_', starting with a letter, e.g. no_show",
    "title": "write a short title, e.g. title: Predict appointment no-shows",
    "table": "write the name of a table listed under tables",
    "target": "write the column to predict, e.g. target: no_show",
    "survey": "write the survey file's path relative to the engagement file, or leave it out",
    "checklist": "write the checklist file's path relative to the engagement file, or leave it out",
    "max_table_mb": "write the largest table file to accept, in megabytes, e.g. max_table_mb: 2048",
    "engine": "write pandas (the default) or spark, e.g. engine: spark",
    "spark": "write e.g. spark: {master: 'local[2]', driver_memory: 4g, conf: {spark.sql.shuffle.partitions: 64}}",
    "master": "write local[N], spark://host:port, yarn or k8s://https://host:port, e.g. master: 'local[2]'",
    "driver_memory": "write a size such as 4g or 512m, e.g. driver_memory: 4g",
    "conf": "write Spark settings by their full name, e.g. conf: {spark.sql.shuffle.partitions: 64}",
    "conf.*": "write a single value: text, a number or true/false",
    "pilot": "write the pilot's decision log, e.g. pilot: {log: pilot/no_show_pilot.csv}",
    "log": "write the decision log's path relative to the engagement file, e.g. log: pilot/no_show_pilot.csv",
    "id_column": "write the log's column that identifies a decision, or leave it out to detect it",
    "date_column": "write the log's column saying when each decision was made, or leave it out to detect it",
    "score_column": "write the log's column holding the model's score, or leave it out to detect it",
    "decision_column": "write the log's yes/no column of the decision taken, or leave it out to detect it",
    "outcome_column": "write the log's yes/no column of what happened, or leave it out to detect it",
    "group_columns": "write a list of the log's columns to compare groups of, e.g. group_columns: [gender, age_band]",
    "features": "write a list of columns to compare with the use case's table for drift, e.g. features: [channel]",
    "allow_outside_paths": "write true to accept table, survey and checklist files outside the engagement's "
                           "folder, e.g. allow_outside_paths: true; leave it out to refuse them",
}
