"""Personal-data validators, masking and the column scan of the ethics stage."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from readiness.ethics.personal_data import (
    find_personal_in_text,
    kind_from_name,
    scan_personal_data,
    special_category_from_name,
)
from readiness.ethics.validators import (
    iban_valid,
    ip_address_valid,
    looks_like_name,
    luhn_valid,
    mask_pii,
    nhs_number_valid,
    uk_ni_valid,
    us_ssn_valid,
)


@pytest.mark.parametrize("number", ["4111 1111 1111 1111", "4539-1488-0343-6467", "5555555555554444",
                                    "378282246310005"])
def test_luhn_accepts_valid_card_numbers(number: str) -> None:
    assert luhn_valid(number)


@pytest.mark.parametrize("number", ["4111 1111 1111 1112", "4539 1488 0343 6468", "1111111111111111",
                                    "4111 1111 111", "4111-abcd-1111-1111"])
def test_luhn_rejects_wrong_check_digit_length_or_text(number: str) -> None:
    assert not luhn_valid(number)


@pytest.mark.parametrize("iban", ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000",
                                  "IE29 AIBK 9311 5212 3456 78"])
def test_iban_accepts_valid_mod97(iban: str) -> None:
    assert iban_valid(iban)


@pytest.mark.parametrize("iban", ["GB82 WEST 1234 5698 7654 33",  # one digit changed: mod 97 is no longer 1
                                  "GB82 WEST 1234 5698 7654 3",   # one character short for GB (22)
                                  "DE88370400440532013000", "12345678901234567890"])
def test_iban_rejects_invalid(iban: str) -> None:
    assert not iban_valid(iban)


def test_nhs_number_check_digit() -> None:
    # 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 mod 11 = 2; 11 - 2 = 9
    assert nhs_number_valid("943 476 5919")
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("943 476 5918")
    # 6*2 = 12, remainder 1, check digit would be 10: no final digit makes the number valid
    assert not any(nhs_number_valid(f"000 000 006{d}") for d in range(10))
    assert not nhs_number_valid("1111111111")


def test_us_ssn_and_uk_ni() -> None:
    assert us_ssn_valid("123-45-6789")
    assert not any(us_ssn_valid(v) for v in ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567",
                                             "123-45-0000", "123456789"])
    assert uk_ni_valid("AB 12 34 56 C") and uk_ni_valid("ab123456d")
    assert not any(uk_ni_valid(v) for v in ["BG 12 34 56 C", "DA 12 34 56 C", "AB 12 34 56 E", "AO 12 34 56 A"])


def test_ip_addresses_and_names() -> None:
    assert ip_address_valid("192.168.1.20") and ip_address_valid("2001:db8::1")
    assert not ip_address_valid("256.1.1.1") and not ip_address_valid("1.2.3")
    assert looks_like_name("Saoirse O'Carroll") and looks_like_name("Róisín Ní Bhriain")
    assert not looks_like_name("Pelvic health assessment") and not looks_like_name("Dublin")


def test_text_finds_each_kind_once() -> None:
    text = ("Card 4111 1111 1111 1111, ring 087 555 1234 or mail jo@example.ie; NHS 943 476 5919; "
            "IBAN GB82 WEST 1234 5698 7654 32; born on 12/03/1985; I live at 14 Seaview Terrace")
    kinds = sorted(k for k, _ in find_personal_in_text(text))
    assert kinds == ["address", "card", "date_of_birth", "email", "iban", "nhs_number", "phone"]
    assert find_personal_in_text("My knee hurts after 2 sessions") == []
    assert find_personal_in_text(None) == []


def _parts(text: str) -> list[str]:
    return [p for p in re.split(r"[\W_]+", text) if p]


SAMPLES = [
    ("jane.doe@example.com", "email"), ("sinead_osullivan@mail.example.ie", "email"), ("087 555 1234", "phone"),
    ("+353 87 555 1234", "phone"), ("4111 1111 1111 1111", "card"), ("GB82 WEST 1234 5698 7654 32", "iban"),
    ("943 476 5919", "nhs_number"), ("AB 12 34 56 C", "uk_ni"), ("123-45-6789", "us_ssn"), ("10.0.0.12", "ip_address"),
    ("1985-03-12", "date_of_birth"), ("Saoirse O'Carroll", "name"), ("14 Seaview Terrace, Howth", "address"),
    ("D02 X285", "address"), ("anything at all", None),
]


@pytest.mark.parametrize(("value", "kind"), SAMPLES)
def test_mask_never_shows_more_than_the_first_character_of_each_part(value: str, kind: str | None) -> None:
    masked = mask_pii(value, kind)
    firsts = {p[0] for p in _parts(value)}
    for part in _parts(masked.replace("*", "x")):
        shown = part.rstrip("x")
        assert len(shown) <= 1, (value, masked)
        assert shown == "" or shown in firsts, (value, masked)
    assert value not in masked


def test_names_and_hints() -> None:
    assert kind_from_name("nhs_number") == "nhs_number"
    assert kind_from_name("NationalInsuranceNo") == "uk_ni"
    assert kind_from_name("customer_email") == "email"
    assert kind_from_name("eircode") == "address"
    assert kind_from_name("clinic_name") is None
    assert special_category_from_name("race") == "racial_or_ethnic_origin"
    assert special_category_from_name("Religion") == "religion_or_belief"
    assert special_category_from_name("trade_union_member") == "trade_union_membership"
    assert special_category_from_name("party_size") is None


def test_scan_counts_rows_by_kind_and_masks_examples() -> None:
    frame = pd.DataFrame({
        "contact": ["ann@example.com", "bob@example.org", "not an address", None],
        "nhs_no": ["943 476 5919", "943 476 5919", None, None],
        "notes": ["Please call me on 087 555 1234 about my appointment next week",
                  "My card 4111 1111 1111 1111 was charged twice for the same session",
                  "The car park was full again this morning and I was late", None],
        "religion": ["Catholic", "None", None, None],
        "amount": [10.0, 20.0, 30.0, 40.0],
    })
    scan = scan_personal_data(frame, table="t", semantic_types={"notes": "free_text"}).set_index(["column", "kind"])
    assert scan.loc[("contact", "email"), "rows"] == 2
    assert scan.loc[("contact", "email"), "found_by"] == "values"
    assert scan.loc[("nhs_no", "nhs_number"), "rows"] == 2
    assert scan.loc[("nhs_no", "nhs_number"), "found_by"] == "name and values"
    assert scan.loc[("notes", "phone"), "rows"] == 1 and scan.loc[("notes", "card"), "rows"] == 1
    assert scan.loc[("religion", "special_category"), "special_category"] == "religion_or_belief"
    assert "amount" not in scan.index.get_level_values("column")
    shown = scan.to_string()
    for raw in ("ann@example.com", "943 476 5919", "087 555 1234", "4111 1111 1111 1111"):
        assert raw not in shown


def test_health_terms_in_values_flag_a_special_category() -> None:
    frame = pd.DataFrame({"service": ["Pelvic health assessment"] * 3 + ["Parking"] * 7})
    scan = scan_personal_data(frame, table="t", semantic_types={"service": "category"})
    assert scan[["kind", "special_category", "rows"]].values.tolist() == [["special_category", "health", 3]]


def test_a_name_suggests_a_kind_and_the_values_decide() -> None:
    frame = pd.DataFrame({"telephone": ["A191", "A192"] * 30, "tel": [1, 2] * 30,
                          "phone_number": [353871234567, 353861234568] * 30,
                          "mobile": ["087 123 4567", "086 765 4321"] * 30})
    found = scan_personal_data(frame, table="credit")
    assert dict(zip(found["column"], found["kind"], strict=True)) == {"phone_number": "phone", "mobile": "phone"}
