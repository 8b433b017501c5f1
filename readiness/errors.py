"""Errors the suite raises on bad input.

Every message names the file, the key path or column, what was found and what to do,
so the command line can print it on one line and exit with status 2.
"""

from __future__ import annotations


class ReadinessError(Exception):
    """Base class of every error caused by the user's input, not by a bug."""

    exit_code = 2

    def one_line(self) -> str:
        """The message on a single line, as the command line prints it."""
        return " ".join(str(self).split())


class ConfigError(ReadinessError):
    """An engagement file or a notebook parameter is missing, malformed or of the wrong type."""


class DataError(ReadinessError):
    """A client data file cannot be read or lacks a column the engagement names."""


class PipelineError(ReadinessError):
    """The run itself cannot proceed, e.g. the output folder is not writable."""
