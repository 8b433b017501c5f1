"""Import-time costs paid for nothing: what this package keeps out of a process, and why."""

from __future__ import annotations

import sys


def leave_out_iri_grammar() -> None:
    """Keep jsonschema from building its IRI grammar on import (about 1.2 s on a 2-core machine).

    jsonschema (imported by nbformat, and by Great Expectations through altair) imports the
    optional ``rfc3987_syntax``, when installed, to check the ``iri`` and ``iri-reference``
    formats; that package builds a Lark grammar at import (python-jsonschema/jsonschema#1428).
    No schema this package or its tools validate uses those formats. Without the module,
    jsonschema simply has no checker for them. Call before jsonschema is first imported; later
    calls change nothing.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
