"""Start a new engagement: ready-to-fill files, a draft from the client's extracts, and what is still missing.

:func:`write_new_engagement` writes ``engagement.yaml``, a blank survey answers file and a blank
ethics checklist answers file; with a folder of extracts, ``engagement.yaml`` is drafted from them
(:func:`draft_engagement`: tables, keys, references found by value inclusion, suggested use
cases). :func:`missing_inputs` tells an analyst what still has to be supplied before
``readiness run`` gives a complete report.
"""

from __future__ import annotations

from readiness.scaffold.draft import Draft, draft_engagement
from readiness.scaffold.files import (
    CHECKLIST_PATH,
    checklist_template,
    engagement_template,
    survey_template,
    write_new_engagement,
)
from readiness.scaffold.gaps import missing_inputs
from readiness.scaffold.references import ColumnValues, Reference, find_references
from readiness.scaffold.sample import copy_sample
from readiness.scaffold.sketch import TableSketch, sketch_extracts, sketch_frame
from readiness.scaffold.suggest import Suggestion

__all__ = [
    "CHECKLIST_PATH", "ColumnValues", "Draft", "Reference", "Suggestion", "TableSketch", "checklist_template",
    "copy_sample",
    "draft_engagement", "engagement_template", "find_references", "missing_inputs", "sketch_extracts",
    "sketch_frame", "survey_template", "write_new_engagement",
]
