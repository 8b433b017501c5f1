"""Turning YAML and pydantic errors into one-line ``<key.path>: <found>; <what to do>`` messages.

``_yaml_message`` words a YAML syntax error, a duplicate key or a tag by line and column;
``_problems`` walks each pydantic error's location through the engagement's models
(``_Place``) to name the key path, describe what was found in plain words and pick the hint
or "did you mean" suggestion for that key.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from readiness.engagement.hints import _HINTS, _closest, _KeyPathError
from readiness.engagement.model import Engagement


class _DuplicateKeyError(yaml.constructor.ConstructorError):
    """Two entries of one mapping have the same key (YAML would silently keep the last)."""


def _yaml_message(file_name: str, exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(somewhere)"
    if isinstance(exc, _DuplicateKeyError):
        return f"{file_name}: {where}: {exc.problem}; keep only one of them"
    if isinstance(exc, yaml.constructor.ConstructorError):
        return f"{file_name}: {where}: {exc.problem}; remove the tag, only plain YAML values are read"
    problem = ": ".join(p for p in (exc.context, exc.problem) if p)
    return (f"{file_name}: {where}: malformed YAML ({problem}); fix the syntax there "
            "(indentation, a missing ':' or an unclosed quote or bracket)")


_UNION_WORDS = {
    "sheet": "a sheet name or number", "min": "a number or an ISO date", "max": "a number or an ISO date",
    "conf": "text, a number or true/false",
}
_TYPE_WORDS = {
    "int": "an integer", "float": "a number", "string": "text", "bool": "true or false", "list": "a list",
    "dict": "a mapping of keys to values", "model": "a mapping of keys to values",
    "date": "an ISO date (YYYY-MM-DD)", "datetime": "an ISO date", "path": "a file path",
}
_HIDDEN_KEYS = {"source", "extra"}


class _Place:
    """Where an error's location leads in the model: the key path and the field it names."""

    def __init__(self, loc: tuple[Any, ...]) -> None:
        self.loc: tuple[Any, ...] = ()
        self.owner: type[BaseModel] | None = None
        self.field: str | None = None
        self.depth = 0  # container steps (list index, dict key) below the field
        self.annotation: Any = Engagement
        self.is_union = False
        for part in loc:
            if not self._step(part):
                break

    def _step(self, part: Any) -> bool:
        ann = _drop_none(self.annotation)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            self.owner, self.field, self.depth = ann, str(part), 0
            self.annotation = ann.model_fields[part].annotation if part in ann.model_fields else None
        elif get_origin(ann) in (dict, list) or ann in (dict, list):
            self.depth += 1
            self.annotation = get_args(ann)[-1] if get_args(ann) else Any
        else:
            # What follows are pydantic's names for the members of a union, not keys.
            self.is_union = get_origin(ann) in (Union, types.UnionType)
            return False
        self.loc += (part,)
        return True

    @property
    def hint(self) -> str:
        if self.depth and f"{self.field}.*" in _HINTS:
            return _HINTS[f"{self.field}.*"]
        return _HINTS.get(self.field or "", "see the example engagement file")


def _drop_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _key_path(loc: tuple[Any, ...]) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return text or "(top level)"


def _type_word(value: Any) -> str:
    words = {dict: "a mapping", list: "a list", str: "plain text", bool: "true or false"}
    return words.get(type(value), f"a {type(value).__name__}")


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict | list):
        return _type_word(value)
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _problems(exc: ValidationError) -> list[str]:
    """One ``key.path: found; todo`` line per distinct location, in pydantic's order."""
    lines: dict[tuple[Any, ...], str] = {}
    for err in exc.errors():
        place = _Place(err["loc"])
        origin = err.get("ctx", {}).get("error")
        if isinstance(origin, _KeyPathError):
            loc, text = place.loc + origin.loc, f"{origin.found}; {origin.todo}"
        else:
            loc, text = place.loc, f"{_found(err, place)}; {_todo(err, place)}"
        lines.setdefault(loc, f"{_key_path(loc)}: {text}")
    return list(lines.values())


def _found(err: dict[str, Any], place: _Place) -> str:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx", {})
    if kind == "missing":
        return "missing required key"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "invalid_key":
        return f"key {_show(value)} is not text"
    if place.is_union:
        return f"expected {_UNION_WORDS.get(place.field or '', 'another kind of value')}, got {_show(value)}"
    if kind == "literal_error":
        return f"expected one of {', '.join(map(str, get_args(place.annotation)))}, got {_show(value)}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = kind.replace("_", " ").replace("equal", "or equal to")
        return f"expected a number {bound} {next(iter(ctx.values()))}, got {_show(value)}"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} is not in the expected form"
    if kind.split("_")[0] in _TYPE_WORDS:
        detail = f" ({ctx['error']})" if isinstance(ctx.get("error"), str) else ""
        return f"expected {_TYPE_WORDS[kind.split('_')[0]]}, got {_show(value)}{detail}"
    return str(err["msg"]).removeprefix("Value error, ")


def _todo(err: dict[str, Any], place: _Place) -> str:
    if err["type"] == "extra_forbidden" and place.owner is not None:
        allowed = [k for k in place.owner.model_fields if k not in _HIDDEN_KEYS]
        best = _closest(place.loc[-1], allowed)
        return f"did you mean {best!r}?" if best else f"allowed keys here are: {', '.join(allowed)}"
    if err["type"] == "literal_error":
        best = _closest(err.get("input"), [str(a) for a in get_args(place.annotation)])
        if best:
            return f"did you mean {best!r}?"
    if err["type"] == "invalid_key":
        return "write the key as a name, in quotes if it is a number"
    if isinstance(err.get("input"), bool) and err["type"].startswith("string"):
        return "YAML reads yes/no/on/off as true/false: put the value in quotes, e.g. 'no'"
    return place.hint
