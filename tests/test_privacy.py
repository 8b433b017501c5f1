"""Personal-data patterns, masks and column-name hints."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from readiness.privacy import (
    EMAIL_RE,
    PHONE_RE,
    find_emails,
    find_phones,
    is_email,
    is_phone,
    mask_email,
    mask_name,
    mask_phone,
    mask_value,
    personal_kind_from_name,
    scrub_text,
)


def test_mask_email_keeps_first_letters_and_tld():
    assert mask_email("jane.doe@example.com") == "j***@e***.com"
    assert mask_email("x@mail.example.co.uk") == "x***@m***.uk"


def test_mask_phone_keeps_shape_and_last_two_digits():
    assert mask_phone("+353 87 123 4567") == "+*** ** *** **67"
    assert mask_phone("(01) 234-5678") == "(**) ***-**78"


def test_mask_name_keeps_initials():
    assert mask_name("Jane Doe") == "J*** D***"
    assert mask_name("  Seán  Ó Briain ") == "S*** Ó*** B***"


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("jane@example.ie", "email", "j***@e***.ie"),
        ("087 123 4567", "phone", "*** *** **67"),
        ("Jane Doe", "name", "J*** D***"),
        ("1984-03-02", "date_of_birth", "****-**-**"),
        ("D02 X285", "postcode", "D***"),
        ("anything", None, "a***"),
        (None, "email", ""),
        (float("nan"), "name", ""),
        (pd.NA, "phone", ""),
    ],
)
def test_mask_value_by_kind(value, kind, expected):
    assert mask_value(value, kind) == expected


@pytest.mark.parametrize(
    "number",
    ["+353 87 123 4567", "087 123 4567", "(01) 234 5678", "087-123-4567", "020 7946 0958",
     "07700 900123", "+44 (0)20 7946 0958", "+1 (555) 123-4567", "0871234567"],
)
def test_phone_numbers_are_recognised(number):
    assert is_phone(number)
    assert find_phones(f"ring {number} today") == [number]


@pytest.mark.parametrize("text", ["2024-06-30", "1,234.56", "INV-000123456", "7590-VHVEG", "12345678901", "0871"])
def test_dates_amounts_and_codes_are_not_phones(text):
    assert not is_phone(text)
    assert find_phones(f"ref {text} end") == []


def test_emails_found_in_text_and_validated():
    assert find_emails("write to a.b@clinic.ie or x@y") == ["a.b@clinic.ie"]
    assert EMAIL_RE.search("no address here") is None
    assert is_email(" jane@example.com ")
    assert not is_email("jane@example")
    assert not is_email("jane doe@example.com")
    assert find_emails(None) == [] and find_phones(math.nan) == []


def test_scrub_text_masks_every_contact_detail():
    text = "Call 087 123 4567 or mail jane@example.com, booked 2024-06-30 for 45.00"
    assert scrub_text(text) == "Call *** *** **67 or mail j***@e***.com, booked 2024-06-30 for 45.00"
    assert scrub_text(None) == ""
    assert PHONE_RE.search(scrub_text(text)) is None


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("email", "email"), ("E_mail", "email"), ("customerEmail", "email"),
        ("phone", "phone"), ("Mobile", "phone"), ("tel", "phone"),
        ("name", "name"), ("first_name", "name"), ("Surname", "name"), ("full_name", "name"),
        ("dob", "date_of_birth"), ("date_of_birth", "date_of_birth"), ("birth_date", "date_of_birth"),
        ("address", "address"), ("postcode", "postcode"), ("Eircode", "postcode"), ("zip", "postcode"),
        ("iban", "iban"), ("card_number", "card"),
        ("customerID", None), ("product_name", None), ("clinic_name", None), ("PhoneService", None),
        ("card_type", None), ("email_opt_in", None), ("Tenure", None),
    ],
)
def test_personal_kind_from_column_name(column, kind):
    assert personal_kind_from_name(column) == kind
