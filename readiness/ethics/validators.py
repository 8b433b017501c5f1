"""Validators for personal values and the mask that hides them.

Where a check digit exists a value is validated, not just pattern-matched: payment cards by
Luhn, IBANs by mod-97, UK NHS numbers by their modulus-11 digit. :func:`mask_pii` never shows
more than the first character of any part of a value.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from readiness.privacy import is_email, is_phone, mask_name

# -------------------------------------------------------------------------------- validators


def _digits(text: str) -> str:
    return "".join(ch for ch in str(text) if ch.isdigit())


def luhn_valid(number: str) -> bool:
    """True when a 13-19 digit payment card number passes the Luhn check.

    Spaces and dashes are ignored. Examples: ``luhn_valid("4111 1111 1111 1111")`` is True,
    ``luhn_valid("4111 1111 1111 1112")`` False.
    """
    text = str(number).strip()
    if not re.fullmatch(r"\d[\d -]{11,22}\d", text):
        return False
    digits = _digits(text)
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# Lengths of IBANs by country (ISO 13616 registry, the countries a client is likely to meet).
IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24,
    "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LT": 20,
    "LU": 20, "LV": 21, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19,
    "SK": 24,
}


def iban_valid(value: str) -> bool:
    """True for an IBAN of the right length for its country whose mod-97 remainder is 1.

    Examples: ``iban_valid("GB82 WEST 1234 5698 7654 32")`` is True; changing any digit makes it False.
    """
    text = re.sub(r"[ -]", "", str(value)).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", text):
        return False
    expected = IBAN_LENGTHS.get(text[:2])
    if expected is not None and len(text) != expected:
        return False
    rearranged = text[4:] + text[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def nhs_number_valid(value: str) -> bool:
    """True for a 10-digit UK NHS number whose modulus-11 check digit is right.

    Weights 10 down to 2 multiply the first nine digits; the check digit is 11 minus the
    remainder mod 11 (11 becomes 0, 10 is never valid). ``"943 476 5919"`` is valid.
    """
    text = str(value).strip()
    if not re.fullmatch(r"\d{3}[ -]?\d{3}[ -]?\d{4}", text):
        return False
    digits = [int(ch) for ch in _digits(text)]
    if len(set(digits)) == 1:
        return False
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


_SSN = re.compile(r"(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}")


def us_ssn_valid(value: str) -> bool:
    """True for a US Social Security number written ``AAA-GG-SSSS`` with allocatable parts.

    Area 000, 666 and 900-999, group 00 and serial 0000 are never issued.
    """
    return _SSN.fullmatch(str(value).strip()) is not None


_NI = re.compile(r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]")


def uk_ni_valid(value: str) -> bool:
    """True for a UK National Insurance number (``QQ 12 34 56 C``) with an allocatable prefix."""
    return _NI.fullmatch(str(value).strip().upper()) is not None


def ip_address_valid(value: str) -> bool:
    """True for a dotted IPv4 address or an IPv6 address (with at least two colons)."""
    text = str(value).strip()
    if not (re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", text) or text.count(":") >= 2):
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


_STREET = (r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|terrace|park|close|court|ct|way|place|pl|square|sq"
           r"|crescent|grove|gardens|boulevard|blvd|row|hill|view|quay|green|walk")
ADDRESS_RE = re.compile(rf"\b\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\w'-]*\s+){{1,4}}(?:{_STREET})\b\.?", re.IGNORECASE)
_EIRCODE = re.compile(r"\b[AC-FHKNPRTV-Y]\d[0-9W]\s?[AC-FHKNPRTV-Y0-9]{4}\b")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b")


def is_address(value: str) -> bool:
    """True for a postal address: a house number and street word, or an Eircode / UK postcode."""
    text = str(value).strip()
    return bool(ADDRESS_RE.search(text) or _EIRCODE.fullmatch(text.upper()) or _UK_POSTCODE.fullmatch(text.upper()))


def _name_word(word: str) -> bool:
    return (len(word) >= 2 and word[0].isupper() and any(ch.islower() for ch in word)
            and all(ch.isalpha() or ch in "'-." for ch in word))


def looks_like_name(value: str) -> bool:
    """True for two to four capitalised words (``Saoirse O'Carroll``); only used on name-like columns."""
    words = str(value).split()
    return 2 <= len(words) <= 4 and all(_name_word(w) for w in words)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")


def is_date_text(value: str) -> bool:
    return _DATE.fullmatch(str(value).strip()[:10]) is not None


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "email": is_email, "card": luhn_valid, "iban": iban_valid, "us_ssn": us_ssn_valid, "uk_ni": uk_ni_valid,
    "nhs_number": nhs_number_valid, "phone": is_phone, "ip_address": ip_address_valid,
}

# ----------------------------------------------------------------------------- masking


def mask_pii(value: object, kind: str | None = None) -> str:
    """Mask a personal value so that no part shows more than its first character.

    Names, e-mail addresses and addresses keep the first character of each word
    (``j***.d***@e***.c***``); numbers and identifiers keep only their first character and
    their separators (``0** *** ****``), so the layout stays visible but no digit after the first.

    Examples
    --------
    >>> mask_pii("jane.doe@example.com", "email")
    'j***.d***@e***.c***'
    >>> mask_pii("087 555 1234", "phone")
    '0** *** ****'
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).strip()
    if kind == "name":
        return mask_name(text)
    if kind in ("email", "address"):
        return re.sub(r"[^\W_]+", lambda m: m.group(0)[0] + "***", text)
    return text[:1] + re.sub(r"[^\W_]", "*", text[1:])
