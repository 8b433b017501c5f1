"""Reading an engagement file, and checking the columns it names against the loaded tables.

:func:`load_engagement` reads the YAML with a safe loader that keeps dates as text and refuses
duplicate keys, then validates it into an :class:`~readiness.engagement.model.Engagement`,
raising one :class:`~readiness.errors.ConfigError` line per problem. :func:`column_problems`
and :func:`check_columns` compare every column the engagement names (keys, date columns,
references, rules, personal-data columns) with the columns actually found in each table.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from readiness.engagement.hints import _closest
from readiness.engagement.messages import _DuplicateKeyError, _problems, _type_word, _yaml_message
from readiness.engagement.model import Engagement, TableSpec, _split_reference
from readiness.errors import ConfigError, DataError

DEFAULT_FILE_NAME = "engagement.yaml"


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text and refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    raise _DuplicateKeyError(None, None, f"duplicate key {key_node.value!r} (first on line "
                                             f"{seen[key_node.value]})", key_node.start_mark)
                seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_engagement(path: str | Path) -> Engagement:
    """Read and validate an engagement file.

    Parameters
    ----------
    path : str or Path
        The YAML file, or a folder holding ``engagement.yaml``.

    Returns
    -------
    Engagement
        With every table, survey and checklist path made absolute, relative to the file's folder.

    Raises
    ------
    ConfigError
        One line naming the file, the key path, what was found and what to do; when a file has
        several problems the first is shown and all are in the error's ``problems`` list.

    Examples
    --------
    >>> load_engagement("sample_data/harbour_physio/engagement.yaml").slug  # doctest: +SKIP
    'harbour-physio-group'
    """
    path = Path(path)
    if path.is_dir() and (path / DEFAULT_FILE_NAME).is_file():
        path = path / DEFAULT_FILE_NAME
    data = _read_mapping(path)
    if "source" in data:
        raise ConfigError(f"{path.name}: source: unknown key; remove it (the file's own location is used)")
    try:
        return Engagement.model_validate({**data, "source": path})
    except ValidationError as exc:
        problems = _problems(exc)
        more = _more(len(problems) - 1, "problem", "in this file")
        error = ConfigError(f"{path.name}: {problems[0]}{more}")
        error.problems = [f"{path.name}: {p}" for p in problems]
        raise error from None


def _more(count: int, noun: str, where: str) -> str:
    if count < 1:
        return ""
    return f" ({count} more {noun}{'s' if count > 1 else ''}{' ' + where if where else ''})"


def _read_mapping(path: Path) -> dict[str, Any]:
    if not path.is_file():
        what = "is a folder without engagement.yaml" if path.is_dir() else "file not found"
        raise ConfigError(f"{path.name}: {what} at {os.path.abspath(path)}; check the path")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name}: the file is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot be read ({exc.strerror}); check its permissions") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(_yaml_message(path.name, exc)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: malformed YAML ({exc}); fix the syntax") from None
    if not isinstance(data, dict):
        found = "empty" if data is None else _type_word(data)
        raise ConfigError(f"{path.name}: (top level): the file is {found}, not a mapping of keys; "
                          "start with keys such as `client:`, `as_of:`, `currency:` and `tables:`")
    return data


# ------------------------------------------------------- columns vs the files


def column_problems(engagement: Engagement, columns_by_table: dict[str, list[str]]) -> list[str]:
    """Every column the engagement names that is missing from the loaded tables.

    Parameters
    ----------
    engagement : Engagement
        The validated engagement.
    columns_by_table : dict of str to list of str
        The column names of each table that was loaded; tables absent here are not checked.

    Returns
    -------
    list of str
        One message per missing column (empty when all are present), each naming the table's
        file, the key path, the missing column, the closest real column and what to do.
    """
    problems = []
    for name, spec in engagement.tables.items():
        if name not in columns_by_table:
            continue
        for key_path, column, role in _named_columns(name, spec):
            problems += _missing(engagement, spec, columns_by_table[name], key_path, column, role)
        for column, target in spec.references.items():
            parent_name, parent_column = _split_reference(target)
            if parent_name in columns_by_table:
                parent = engagement.tables[parent_name]
                problems += _missing(engagement, parent, columns_by_table[parent_name],
                                     f"tables.{name}.references.{column}", parent_column,
                                     f"the referenced column of table {parent_name}")
    return problems


def check_columns(engagement: Engagement, columns_by_table: dict[str, list[str]]) -> None:
    """Raise :class:`DataError` if a column the engagement names is missing from its table.

    Parameters
    ----------
    engagement : Engagement
        The validated engagement.
    columns_by_table : dict of str to list of str
        The column names of each loaded table; tables absent here are not checked.

    Raises
    ------
    DataError
        The first problem found by :func:`column_problems` (all of them in ``problems``).
    """
    problems = column_problems(engagement, columns_by_table)
    if problems:
        more = _more(len(problems) - 1, "missing column", "")
        error = DataError(problems[0] + more)
        error.problems = problems
        raise error


def _named_columns(name: str, spec: TableSpec) -> list[tuple[str, str, str]]:
    base = f"tables.{name}"
    named = [(f"{base}.key", spec.key, "the table's key")] if spec.key else []
    named += [(f"{base}.date_columns", c, "a date column") for c in spec.date_columns]
    named += [(f"{base}.references.{c}", c, "a reference column") for c in spec.references]
    named += [(f"{base}.rules[{i}].column", r.column, "a rule's column") for i, r in enumerate(spec.rules)]
    named += [(f"{base}.pii", c, "a personal-data column") for c in spec.pii]
    return named


def _missing(engagement: Engagement, spec: TableSpec, columns: list[str], key_path: str, column: str,
             role: str) -> list[str]:
    if column in columns:
        return []
    lowered = {c.lower(): c for c in columns}
    best = lowered.get(column.lower()) or _closest(column, list(columns))
    shown = ", ".join(columns[:12]) + (f", ... ({len(columns)} in all)" if len(columns) > 12 else "")
    hint = f"the closest column is {best!r}" if best else f"columns are: {shown or '(none)'}"
    return [f"{spec.path_text}: {key_path}: column {column!r} ({role}) is not in the file; {hint}; "
            f"fix {key_path} in {engagement.source.name} or the column's name in the file"]
