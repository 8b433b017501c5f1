"""Personal-data patterns and masks shared by every stage.

Reports never show a raw e-mail address, phone number or name: they show a mask that keeps
the shape (``j***@e***.com``, ``+*** ** *** **67``, ``J*** D***``) so the analyst can still
see what kind of value a column holds.

The ``*_PATTERN`` strings use only syntax that both Python's :mod:`re` and RE2 (used by
``pyarrow.compute``) understand, so a column of a million values can be scanned in one
vectorised call and the same pattern checked value by value here.
"""

from __future__ import annotations

import re
from typing import Any

EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"

# International (+353 87 123 4567, +44 (0)20 7946 0958, +1 (555) 123-4567) or national with a
# leading zero (087 123 4567, (01) 234 5678, 07700 900123): a leading '+' or '0' keeps dates,
# amounts and counts from matching.
PHONE_PATTERN = (
    r"(?:\+\d{1,3}[ .-]?(?:\(0?\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
    r"|\(?0\d{1,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4})"
)
PHONE_MIN_DIGITS = 9
PHONE_MAX_DIGITS = 15

EMAIL_RE = re.compile(rf"(?<![\w.%+-]){EMAIL_PATTERN}", re.ASCII)
PHONE_RE = re.compile(rf"(?<![\w+/.-]){PHONE_PATTERN}(?![\w/-])", re.ASCII)

# Identifiers inside free text, shared with the ethics scanner (readiness.ethics.personal_data). These
# use look-arounds, so they are Python patterns only (not RE2).
IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
CARD_RE = re.compile(r"(?<![\d-])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}(?![\d-])")
US_SSN_RE = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
UK_NI_RE = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
NHS_NUMBER_RE = re.compile(r"(?<![\d+])[4-9]\d{2}[ -]?\d{3}[ -]?\d{4}(?!\d)")
# Nine digits or more in one run, or grouped 3-3-4 (an NHS, social security or tax number, an account):
# masked whatever they are, since a report never needs to show one.
LONG_DIGITS_RE = re.compile(r"(?<![\d.,])\d{9,}(?!\d)|(?<![\d-])\d{3}[ -]\d{3}[ -]\d{4}(?![\d-])")
# RE2 (pyarrow) pattern of text that may hold one of the identifiers above: a cheap vectorised test
# before the Python patterns and check digits run on the few values that pass it.
IDENTIFIER_CANDIDATE_PATTERN = (
    r"\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d|[A-Z]{2}\d{2} ?[A-Z0-9]{4} ?[A-Z0-9]{4}|\d{3}-\d{2}-\d{4}"
    r"|[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]"
)
# A value can only hold personal data when it has an '@' or at least six digits.
_MAYBE_PERSONAL = re.compile(r"@|(?:\d\D*){6}")

PERSONAL_KINDS = ("email", "phone", "name", "date_of_birth", "address", "postcode", "iban", "card", "other")

_NAME_QUALIFIERS = {
    "first", "last", "full", "given", "family", "middle", "maiden", "customer", "client",
    "patient", "contact", "member", "person", "user", "guest", "owner", "staff", "employee",
}
# Words that make a column about personal data rather than holding it (PhoneService, email_opt_in).
_NOT_PERSONAL = {
    "service", "type", "verified", "opt", "optin", "consent", "count", "has", "is", "flag",
    "status", "provider", "domain", "valid", "bounced", "sent", "marketing",
}


def find_emails(text: Any) -> list[str]:
    """E-mail addresses found anywhere in ``text`` (empty list for missing values)."""
    if not isinstance(text, str):
        return []
    return EMAIL_RE.findall(text)


def find_phones(text: Any) -> list[str]:
    """Phone numbers found anywhere in ``text`` with 9 to 15 digits."""
    if not isinstance(text, str):
        return []
    return [m for m in PHONE_RE.findall(text) if _digit_count_ok(m)]


def is_email(value: Any) -> bool:
    """True when the whole value, once trimmed, is one well-formed e-mail address."""
    return isinstance(value, str) and re.fullmatch(EMAIL_PATTERN, value.strip(), re.ASCII) is not None


def is_phone(value: Any) -> bool:
    """True when the whole value, once trimmed, is one phone number with 9 to 15 digits."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return re.fullmatch(PHONE_PATTERN, text, re.ASCII) is not None and _digit_count_ok(text)


def _digit_count_ok(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS


def mask_email(value: str) -> str:
    """Keep the first letter of the local part and of the domain, and the top-level domain.

    Examples
    --------
    >>> mask_email("jane.doe@example.com")
    'j***@e***.com'
    """
    text = str(value).strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return mask_other(text)
    head, dot, tld = domain.rpartition(".")
    if not dot:
        return f"{local[:1]}***@{domain[:1]}***"
    return f"{local[:1]}***@{head[:1]}***.{tld}"


def mask_phone(value: str) -> str:
    """Hide every digit but the last two, keeping spaces, dashes, brackets and the '+'.

    Examples
    --------
    >>> mask_phone("+353 87 123 4567")
    '+*** ** *** **67'
    """
    text = str(value).strip()
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    keep = set(positions[-2:])
    return "".join("*" if ch.isdigit() and i not in keep else ch for i, ch in enumerate(text))


def mask_name(value: str) -> str:
    """Keep the first letter of each word.

    Examples
    --------
    >>> mask_name("Jane Doe")
    'J*** D***'
    """
    return " ".join(f"{word[:1]}***" for word in str(value).split())


def mask_date(value: Any) -> str:
    """Hide every digit of a date (the shape stays: ``****-**-**``)."""
    return re.sub(r"\d", "*", str(value).strip())


def mask_other(value: Any) -> str:
    """Keep only the first character."""
    text = str(value).strip()
    return f"{text[:1]}***" if text else ""


_MASKS = {
    "email": mask_email,
    "phone": mask_phone,
    "name": mask_name,
    "date_of_birth": mask_date,
}


def mask_value(value: Any, kind: str | None) -> str:
    """Mask ``value`` according to the kind of personal data it is.

    Parameters
    ----------
    value : Any
        The raw value; missing values (None, NaN, NA) give an empty string.
    kind : str or None
        One of ``email``, ``phone``, ``name``, ``date_of_birth`` or anything else (treated as
        ``other``: only the first character is kept).

    Returns
    -------
    str
        The masked value, safe to display.
    """
    if _is_na(value):
        return ""
    return _MASKS.get(kind or "other", mask_other)(value)


def _is_na(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT and pd.NA are not equal to themselves
    except (TypeError, ValueError):
        return True  # pd.NA raises on bool()


def scrub_text(text: Any) -> str:
    """Replace every e-mail address and phone number inside free text with its mask.

    Examples
    --------
    >>> scrub_text("Call 087 123 4567 or mail jane@example.com")
    'Call *** *** **67 or mail j***@e***.com'
    """
    if not isinstance(text, str):
        return "" if _is_na(text) else str(text)
    text = EMAIL_RE.sub(lambda m: mask_email(m.group(0)), text)
    return PHONE_RE.sub(lambda m: mask_phone(m.group(0)) if _digit_count_ok(m.group(0)) else m.group(0), text)


def luhn_valid(number: str) -> bool:
    """True when a 13-19 digit payment card number (spaces and dashes ignored) passes the Luhn check.

    Examples
    --------
    >>> luhn_valid("4111 1111 1111 1111"), luhn_valid("4111 1111 1111 1112")
    (True, False)
    """
    digits = [int(ch) for ch in str(number) if ch.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        total += (d * 2 - 9 if d > 4 else d * 2) if i % 2 else d
    return total % 10 == 0


def iban_valid(value: str) -> bool:
    """True for an IBAN (spaces ignored) whose ISO 7064 mod-97 remainder is 1.

    Examples
    --------
    >>> iban_valid("GB82 WEST 1234 5698 7654 32"), iban_valid("GB82 WEST 1234 5698 7654 33")
    (True, False)
    """
    text = re.sub(r"[ -]", "", str(value)).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", text):
        return False
    return int("".join(str(int(ch, 36)) for ch in text[4:] + text[:4])) % 97 == 1


# kind, pattern, validator: identifiers a report must never show, in the order they are looked for
_IDENTIFIERS: tuple[tuple[str, re.Pattern[str], Any], ...] = (
    ("iban", IBAN_RE, iban_valid),
    ("card", CARD_RE, luhn_valid),
    ("national_id", US_SSN_RE, None),
    ("national_id", UK_NI_RE, None),
)


def find_identifiers(text: Any) -> list[tuple[str, str]]:
    """Card numbers (Luhn), IBANs (mod 97) and national identity numbers (US SSN, UK NI) in ``text``.

    Examples
    --------
    >>> find_identifiers("card 4111 1111 1111 1111, ref 1234 5678 9012 3456")
    [('card', '4111 1111 1111 1111')]
    """
    if not isinstance(text, str) or not _MAYBE_PERSONAL.search(text):
        return []
    found = []
    for kind, pattern, valid in _IDENTIFIERS:
        found += [(kind, m.group(0)) for m in pattern.finditer(text) if valid is None or valid(m.group(0))]
    return found


def mask_identifier(value: str) -> str:
    """Hide every letter and digit but the first character, keeping separators (``4*** **** **** ****``)."""
    text = str(value)
    return text[:1] + re.sub(r"[^\W_]", "*", text[1:])


def safe_text(value: Any) -> str:
    """``value`` as text that is safe to show: every personal value inside it replaced by its mask.

    The one gate for any text a report builds from data values (most common values, examples,
    category levels quoted in messages), whatever the column's type. It masks e-mail addresses
    and phone numbers (as :func:`scrub_text`), payment card numbers that pass the Luhn check,
    IBANs, US social security and UK National Insurance numbers, and any run of nine digits or
    more (or grouped 3-3-4), which could be a national identity or account number. Missing
    values give an empty string.

    Examples
    --------
    >>> safe_text("card 4111 1111 1111 1111, call +44 7700 900461")
    'card 4*** **** **** ****, call +** **** ****61'
    >>> safe_text(17850)
    '17850'
    """
    if not isinstance(value, str):
        if _is_na(value):
            return ""
        value = str(value)
    if not _MAYBE_PERSONAL.search(value):
        return value
    text = EMAIL_RE.sub(lambda m: mask_email(m.group(0)), value)
    for _, pattern, valid in _IDENTIFIERS:
        text = pattern.sub(lambda m, ok=valid: mask_identifier(m.group(0)) if ok is None or ok(m.group(0))
                           else m.group(0), text)
    text = PHONE_RE.sub(lambda m: mask_phone(m.group(0)) if _digit_count_ok(m.group(0)) else m.group(0), text)
    return LONG_DIGITS_RE.sub(lambda m: mask_identifier(m.group(0)), text)


def name_tokens(column: str) -> list[str]:
    """Lower-case words of a column name: ``customerEmail`` -> ``['customer', 'email']``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(column))
    return [t for t in re.split(r"[^a-z0-9]+", spaced.lower()) if t]


def personal_kind_from_name(column: str) -> str | None:
    """The kind of personal data a column's name suggests, or None.

    Recognises e-mail (email, e_mail, mail), phone (phone, mobile, tel, telephone), name
    (name, first_name, surname, full_name, customer_name ...), date of birth (dob,
    date_of_birth, birth_date), address, postcode (postcode, eircode, zip), iban and card
    numbers. ``product_name``, ``clinic_name`` or ``PhoneService`` are not personal.
    """
    tokens = name_tokens(column)
    words = set(tokens)
    compact = "".join(tokens)
    if words & _NOT_PERSONAL:
        return None
    if words & {"email", "mail"} or "email" in compact:
        return "email"
    if words & {"phone", "mobile", "tel", "telephone", "cell"} or "phone" in compact:
        return "phone"
    if words & {"dob", "birth", "birthday", "birthdate"} or "dateofbirth" in compact:
        return "date_of_birth"
    if words & {"surname", "forename", "firstname", "lastname", "fullname"} or compact == "name":
        return "name"
    if "name" in words and words & _NAME_QUALIFIERS:
        return "name"
    if words & {"postcode", "eircode", "zip", "zipcode", "postal"} or compact == "postcode":
        return "postcode"
    if "address" in words or compact.startswith("addr"):
        return "address"
    if "iban" in words:
        return "iban"
    if "card" in words and (words & {"number", "no", "num", "pan", "credit", "debit"} or compact == "card"):
        return "card"
    return None
