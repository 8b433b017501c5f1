"""Personal values written inside text: which distinct values hold an e-mail, a phone or an identifier.

Both sources count the rows of a text column that hold personal data the same way: each distinct
value is tested once (:func:`personal_flags`), and the first few are shown masked
(:func:`personal_example`).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from readiness.privacy import (
    EMAIL_PATTERN,
    IDENTIFIER_CANDIDATE_PATTERN,
    PHONE_PATTERN,
    find_emails,
    find_identifiers,
    find_phones,
    mask_email,
    mask_identifier,
    mask_phone,
)
from readiness.profiling.columns import as_bool
from readiness.sources.base import PersonalCounts

EXAMPLES = 3  # masked examples kept per column


def personal_flags(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which distinct text values hold an e-mail address, a phone number, an identifier (card, IBAN,
    national identity number)."""
    has_email = as_bool(pc.match_substring_regex(values, EMAIL_PATTERN))
    has_phone = np.zeros(len(values), dtype=bool)
    has_id = np.zeros(len(values), dtype=bool)
    candidate = np.flatnonzero(as_bool(pc.match_substring_regex(
        values, rf"(?:^|[^\w+/.-]){PHONE_PATTERN}|{IDENTIFIER_CANDIDATE_PATTERN}")))
    for i, text in zip(candidate, values.take(pa.array(candidate, type=pa.int64())).to_pylist(), strict=True):
        has_phone[i] = bool(find_phones(text))
        has_id[i] = bool(find_identifiers(text))
    return has_email, has_phone, has_id


def personal_example(text: str) -> str:
    """The first personal value in ``text``, masked: an e-mail, else an identifier, else a phone."""
    emails = find_emails(text)
    if emails:
        return mask_email(emails[0])
    found = find_identifiers(text)
    return mask_identifier(found[0][1]) if found else mask_phone(find_phones(text)[0])


def count_personal(values: pa.Array, counts: np.ndarray) -> PersonalCounts | None:
    """The rows holding personal values among distinct ``values`` held ``counts`` times each (None when none).

    Examples are the first :data:`EXAMPLES` such values in the order given, masked.
    """
    if not len(values):
        return None
    has_email, has_phone, has_id = personal_flags(values)
    hit = has_email | has_phone | has_id
    if not hit.any():
        return None
    examples = [personal_example(text) for text in values.filter(pa.array(hit)).to_pylist()[:EXAMPLES]]
    return PersonalCounts(rows=int(counts[hit].sum()), emails=int(counts[has_email].sum()),
                          phones=int(counts[has_phone].sum()), identifiers=int(counts[has_id].sum()),
                          examples=examples)
