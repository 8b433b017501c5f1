"""readiness: assess whether a service business's data and organisation are ready for AI."""

from __future__ import annotations

__version__ = "0.1.0"
