"""Typed notebook parameters: one model per stage, the single source of its parameters.

Each stage declares a :class:`NotebookParams` subclass whose fields are the notebook's
parameters (name, type, default and help, as ``Field(description=...)``). From that one model
come the notebook's ``parameters`` cell (:meth:`NotebookParams.parameters_cell`, in the
``name: type = default  # help`` form that ``papermill --help-notebook`` reads), the validation
of what papermill injected (:meth:`NotebookParams.from_namespace`), the JSON-able parameters the
pipeline passes (:meth:`NotebookParams.notebook_parameters`) and the README's parameter lists
(:meth:`NotebookParams.markdown_table`). ``tests/test_params.py`` fails when a notebook or the
README disagrees with its model; ``python -m readiness.sync`` rewrites both.

A parameter that names a column, table, use case or file defaults to empty, meaning "detect it
and say so": what a stage detected is returned as :class:`Assumption` rows, which every report
shows in one "What was assumed" table.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError

from readiness.errors import ConfigError
from readiness.sources.engines import ENGINE_NAMES

EngineName = Literal[ENGINE_NAMES]  # the engines of readiness.sources.engines.ENGINES

NONE_WORDS = frozenset({"none", "no", "-"})
# Help shared by the stages that read a table, so every notebook explains these the same way.
HELP = {
    "sheet": "Excel sheet name; empty means the first sheet",
    "engine": "pandas, or spark for a table larger than this machine holds",
    "spark_master": "where Spark runs, e.g. local[2], spark://host:7077, yarn; empty means local[2]",
    "spark_driver_memory": "memory of the Spark driver, e.g. 4g; empty keeps the default",
    "spark_conf": "extra Spark settings by their full name, applied last",
    "client": "the client's name, shown in the report; empty for none",
    "seed": "drives every random choice",
    "as_of": "extract date YYYY-MM-DD that dates are judged against; empty means today",
}
_TYPE_WORDS = {str: "str", int: "int", float: "float", bool: "bool", list: "list", dict: "dict"}


@dataclass(frozen=True)
class Assumption:
    """One choice a stage made for the analyst: what, why, and how to change it.

    Parameters
    ----------
    parameter : str
        The notebook parameter (or engagement key) the choice stands for, e.g. ``key``.
    value : str
        What was assumed, in words (``customer_id``, ``none found``, ``2026-12-07``).
    reason : str
        Why: what the data showed (``the only column with unique values named like an id``).
    change : str
        How to override it, e.g. ``-p key COLUMN, or -p key none``.
    """

    parameter: str
    value: str
    reason: str
    change: str = ""

    def as_dict(self) -> dict[str, str]:
        """JSON-able form, as kept in a result's ``metrics["assumed"]``."""
        return asdict(self)


def note_assumptions(report: Any, assumed: Iterable[Assumption]) -> Any:
    """Add choices made for the analyst to a stage report's ``assumed`` and its result's ``metrics["assumed"]``."""
    report.assumed = [*getattr(report, "assumed", []), *assumed]
    report.result.metrics["assumed"] = [a.as_dict() for a in report.assumed]
    return report


def resolve_as_of(as_of: str, *, today: date | None = None) -> tuple[str, list[Assumption]]:
    """``as_of`` as given, or today's date with the assumption that says so."""
    if as_of:
        return as_of, []
    day = (today or date.today()).isoformat()
    return day, [Assumption("as_of", day, "no extract date was given, so dates are judged against today",
                            "-p as_of YYYY-MM-DD, the date the extract was taken")]


def table_name(params_table: str, path: str | Path) -> tuple[str, list[Assumption]]:
    """The table's name as given, or made from the file's name."""
    if params_table:
        return params_table, []
    name = slug(Path(str(path).rstrip("/")).stem)
    return name, [Assumption("table", name, "made from the file's name", "-p table NAME")]


def assumptions_frame(assumed: Iterable[Assumption | Mapping[str, str]]) -> Any:
    """The "What was assumed" table: parameter, assumed value, why, and how to change it."""
    import pandas as pd

    rows = [a.as_dict() if isinstance(a, Assumption) else dict(a) for a in assumed]
    frame = pd.DataFrame(rows, columns=["parameter", "value", "reason", "change"])
    return frame.rename(columns={"value": "assumed", "reason": "why", "change": "to change it"})


def slug(text: str, *, fallback: str = "table") -> str:
    """A name fit for file names and engagement keys: ``Telco Customer-Churn.csv`` -> ``telco_customer_churn``."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", ascii_text)
    out = re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")
    if not out:
        return fallback
    return out if out[0].isalpha() else f"{fallback[0]}_{out}"


def is_none_word(value: Any) -> bool:
    """True for the words that mean "there is none" (``none``, ``no``, ``-``), as opposed to "" (detect)."""
    return isinstance(value, str) and value.strip().lower() in NONE_WORDS


def _as_list(value: Any) -> Any:
    """A single name given where a list is expected (``-p exclude id``) becomes a one-item list."""
    if value is None or value == "":
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [value]
    return value


class NotebookParams(BaseModel):
    """Base of every stage's parameter model.

    Subclasses set :attr:`notebook` (the file in ``notebooks/``) and declare fields with
    ``Field(default, description="help")``; a field's type is one of ``str``, ``int``,
    ``float``, ``bool``, ``list[...]`` or ``dict[...]`` so papermill can pass it as JSON.
    """

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, validate_default=False)

    notebook: ClassVar[str] = ""
    stage: ClassVar[str] = ""

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_mapping(cls, given: Mapping[str, Any], *, where: str = "") -> NotebookParams:
        """Validate parameters given by name; unknown names and wrong types raise :class:`ConfigError`."""
        data = {}
        for name, value in given.items():
            data[name] = _as_list(value) if cls._kind(name) == "list" else value
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(cls._message(exc, where)) from None

    @classmethod
    def from_namespace(cls, namespace: Mapping[str, Any]) -> NotebookParams:
        """The parameters as a notebook holds them after papermill injected its values."""
        return cls.from_mapping({name: namespace[name] for name in cls.model_fields if name in namespace},
                                where=f"notebook {cls.notebook}")

    @classmethod
    def _kind(cls, name: str) -> str | None:
        field = cls.model_fields.get(name)
        return None if field is None else type_word(field.annotation)

    @classmethod
    def _message(cls, exc: ValidationError, where: str) -> str:
        error = exc.errors()[0]
        name = ".".join(str(p) for p in error["loc"]) or "(parameters)"
        prefix = f"{where}: " if where else ""
        if error["type"] == "extra_forbidden":
            known = ", ".join(cls.model_fields)
            return f"{prefix}unknown parameter `{name}`; the parameters are: {known}"
        top = str(error["loc"][0]) if error["loc"] else ""
        field = cls.model_fields.get(top)
        wanted = type_word(field.annotation) if field else "a valid value"
        help_text = f" ({field.description})" if field and field.description else ""
        return (f"{prefix}parameter `{name}` is {error.get('input')!r}: {error['msg'].lower()}; "
                f"give a {wanted}{help_text}")

    # ------------------------------------------------------------------ outputs

    def notebook_parameters(self) -> dict[str, Any]:
        """Every parameter as a plain JSON value, ready for ``papermill.execute_notebook``."""
        return json.loads(self.model_dump_json())

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Each parameter's default value."""
        return {name: field.get_default(call_default_factory=True) for name, field in cls.model_fields.items()}

    @classmethod
    def parameters_cell(cls) -> str:
        """The source of the notebook's ``parameters`` cell, one ``name: type = default  # help`` line each."""
        lines = ["# Parameters: each can be overridden with papermill (-p name value)"]
        for name, field in cls.model_fields.items():
            default = python_literal(field.get_default(call_default_factory=True))
            lines.append(f"{name}: {type_word(field.annotation)} = {default}  # {field.description or ''}".rstrip())
        return "\n".join(lines)

    @classmethod
    def markdown_table(cls) -> str:
        """The parameters as a Markdown table for the README: name, type, default, meaning."""
        rows = ["| parameter | type | default | meaning |", "|---|---|---|---|"]
        for name, field in cls.model_fields.items():
            default = python_literal(field.get_default(call_default_factory=True))
            shown = "empty" if default in ('""', "[]", "{}") else f"`{default}`"
            text = (field.description or "").replace("|", "\\|")
            rows.append(f"| `{name}` | {type_word(field.annotation)} | {shown} | {text} |")
        return "\n".join(rows)


def type_word(annotation: Any) -> str:
    """The notebook's type word of a field annotation: ``str``, ``int``, ``float``, ``bool``, ``list`` or ``dict``."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return type_word(args[0]) if args else "str"
    base = origin or annotation
    if base in _TYPE_WORDS:
        return _TYPE_WORDS[base]
    if isinstance(base, type) and issubclass(base, (list, tuple)):
        return "list"
    if isinstance(base, type) and issubclass(base, Mapping):
        return "dict"
    return "str"  # Literal and constrained strings


def python_literal(value: Any) -> str:
    """A default as Python source that papermill can read back (double-quoted strings, True/False)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "None"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{python_literal(str(k))}: {python_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
