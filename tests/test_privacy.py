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


def test_card_and_iban_check_digits():
    from readiness.privacy import iban_valid, luhn_valid

    assert luhn_valid("4111 1111 1111 1111") and luhn_valid("5500-0000-0000-0004")
    assert not luhn_valid("4111 1111 1111 1112") and not luhn_valid("1111 1111 1111 1111")
    assert iban_valid("GB82 WEST 1234 5698 7654 32") and iban_valid("IE29AIBK93115212345678")
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")


def test_find_identifiers_validates_before_it_reports():
    from readiness.privacy import find_identifiers

    text = "card 4111 1111 1111 1111, not 4111 1111 1111 1112; IBAN GB82 WEST 1234 5698 7654 32; SSN 123-45-6789"
    kinds = [kind for kind, _ in find_identifiers(text)]
    assert kinds.count("card") == 1 and "iban" in kinds and "national_id" in kinds
    assert find_identifiers("order 20240105 of 12 items") == [] and find_identifiers(None) == []


def test_safe_text_masks_personal_values_and_keeps_the_rest():
    from readiness.privacy import safe_text

    assert safe_text("call +44 7700 900461 or jane@example.com") == "call +** **** ****61 or j***@e***.com"
    assert safe_text("card 4111 1111 1111 1111") == "card 4*** **** **** ****"
    assert safe_text("NHS 943 476 5919") == "NHS 9** *** ****"
    assert safe_text("id 123456789012") == "id 1***********"
    assert safe_text(float("nan")) == "" and safe_text(None) == "" and safe_text(4.5) == "4.5"
    for ordinary in ("12/1/10 8:26", "2010-12-01 08:26:00", "C536379", "-13541.3", "Month-to-month"):
        assert safe_text(ordinary) == ordinary


def test_the_ethics_scanner_uses_the_shared_identifier_patterns():
    import readiness.ethics.personal_data as personal_data
    import readiness.privacy as privacy

    patterns = {kind: pattern for kind, pattern, _ in personal_data._TEXT_PATTERNS}
    assert patterns["card"] is privacy.CARD_RE and patterns["iban"] is privacy.IBAN_RE
    assert patterns["us_ssn"] is privacy.US_SSN_RE and patterns["uk_ni"] is privacy.UK_NI_RE
    assert patterns["nhs_number"] is privacy.NHS_NUMBER_RE
    assert [k for k, _ in personal_data.find_personal_in_text("Card 4111 1111 1111 1111, ring 087 555 1234")] == [
        "card", "phone"]
