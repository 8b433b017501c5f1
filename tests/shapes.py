"""Files shaped like real client extracts nobody here prepared, written by seeded generators.

Each mirrors the columns, types and damage of a kind of public extract an analyst meets: a
clinic's appointment export that went through a spreadsheet, a credit file coded as A-codes, a
hotel's bookings. They hold no real person's data; personal-looking values are the reserved test
ranges (``+44 7700 900xxx`` phones, ``4111 1111 1111 1111`` test cards, ``example.com`` mail).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def clinic_appointments(path: Path, *, rows: int = 4000, seed: int = 11) -> Path:
    """A clinic's appointments as exported through a spreadsheet: patient ids in scientific notation.

    ``PatientId`` holds 15-digit ids written as ``2.98725E+13`` by the spreadsheet, so distinct
    patients collapse into one value; ``AppointmentID`` is a clean key; ``No-show`` the outcome.
    """
    rng = np.random.default_rng(seed)
    patients = rng.integers(10**13, 10**15, rows // 3)
    patient = rng.choice(patients, rows)
    scheduled = pd.Timestamp("2016-04-01") + pd.to_timedelta(rng.integers(0, 60 * 24 * 60, rows), unit="m")
    appointment = (scheduled.normalize() + pd.to_timedelta(rng.integers(0, 40, rows), unit="D"))
    age = np.clip(rng.normal(38, 22, rows).round(), -1, 115).astype(int)
    sms = rng.integers(0, 2, rows)
    lead = (appointment - scheduled.normalize()).days
    risk = 0.1 + 0.15 * (lead > 10) + 0.05 * (age < 30)
    frame = pd.DataFrame({
        "PatientId": [f"{p:.5E}" for p in patient.astype(float)],  # 2.98725E+13: what a spreadsheet writes
        "AppointmentID": rng.permutation(np.arange(5_600_000, 5_600_000 + rows)),
        "Gender": rng.choice(["F", "M"], rows, p=[0.65, 0.35]),
        "ScheduledDay": scheduled.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "AppointmentDay": appointment.strftime("%Y-%m-%dT00:00:00Z"),
        "Age": age,
        "Neighbourhood": rng.choice([f"BAIRRO {i}" for i in range(40)], rows),
        "Scholarship": rng.integers(0, 2, rows), "Hipertension": rng.integers(0, 2, rows),
        "Diabetes": rng.integers(0, 2, rows), "Handcap": rng.choice([0, 1, 2], rows, p=[0.97, 0.02, 0.01]),
        "SMS_received": sms,
        "No-show": np.where(rng.random(rows) < risk, "Yes", "No"),
    })
    frame.to_csv(path, index=False)
    return path


def credit_file(path: Path, *, rows: int = 1000, seed: int = 13) -> Path:
    """A credit file coded as the German credit data is: A-codes, including a ``telephone`` column of codes."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "checking_status": rng.choice(["A11", "A12", "A13", "A14"], rows),
        "duration": rng.integers(4, 72, rows),
        "credit_history": rng.choice(["A30", "A31", "A32", "A33", "A34"], rows),
        "purpose": rng.choice(["A40", "A41", "A42", "A43", "A46", "A49"], rows),
        "credit_amount": rng.integers(250, 18000, rows),
        "savings_status": rng.choice(["A61", "A62", "A63", "A64", "A65"], rows),
        "employment": rng.choice(["A71", "A72", "A73", "A74", "A75"], rows),
        "installment_commitment": rng.integers(1, 5, rows),
        "personal_status": rng.choice(["A91", "A92", "A93", "A94"], rows),
        "other_parties": rng.choice(["A101", "A102", "A103"], rows),
        "residence_since": rng.integers(1, 5, rows),
        "property_magnitude": rng.choice(["A121", "A122", "A123", "A124"], rows),
        "age": rng.integers(19, 75, rows),
        "housing": rng.choice(["A151", "A152", "A153"], rows),
        "existing_credits": rng.integers(1, 4, rows),
        "job": rng.choice(["A171", "A172", "A173", "A174"], rows),
        "num_dependents": rng.integers(1, 3, rows),
        "telephone": rng.choice(["A191", "A192"], rows),
        "foreign_worker": rng.choice(["A201", "A202"], rows, p=[0.96, 0.04]),
        "class": rng.choice(["good", "bad"], rows, p=[0.7, 0.3]),
    })
    frame.to_csv(path, index=False)
    return path


def hotel_bookings(path: Path, *, rows: int = 6000, seed: int = 7) -> Path:
    """A hotel's bookings: the outcome copied by a status, a status date written when the booking ends,
    the arrival date over three columns, ``NULL`` tokens in number columns, a free-text note with
    contact details in a few rows."""
    rng = np.random.default_rng(seed)
    arrival = pd.Timestamp("2015-07-01") + pd.to_timedelta(rng.integers(0, 790, rows), unit="D")
    lead = rng.integers(0, 400, rows)
    deposit = rng.choice(["No Deposit", "Non Refund", "Refundable"], rows, p=[0.85, 0.13, 0.02])
    segment = rng.choice(["Online TA", "Offline TA/TO", "Groups", "Direct", "Corporate"], rows)
    risk = 0.12 + 0.2 * (lead > 120) + 0.45 * (deposit == "Non Refund") + 0.1 * (segment == "Groups")
    canceled = (rng.random(rows) < risk).astype(int)
    week_nights = rng.integers(0, 6, rows)
    status_date = np.where(canceled == 1, arrival - pd.to_timedelta(rng.integers(1, 90, rows), unit="D"),
                           arrival + pd.to_timedelta(week_nights + 1, unit="D"))
    status = np.where(canceled == 1, rng.choice(["Canceled", "No-Show"], rows, p=[0.96, 0.04]), "Check-Out")
    agent = np.where(rng.random(rows) < 0.14, "NULL", rng.integers(1, 300, rows).astype(str))
    company = np.where(rng.random(rows) < 0.94, "NULL", rng.integers(1, 500, rows).astype(str))
    note = np.array(["ok"] * rows, dtype=object)
    note[rng.choice(rows, 6, replace=False)] = "call +44 7700 900461"
    note[rng.choice(rows, 4, replace=False)] = "card 4111 1111 1111 1111"
    countries = ["PRT", "GBR", "FRA", "ESP", "DEU", "ITA", "IRL", "BEL", "BRA", "NLD", "USA", "CHE", "CN", "AUT",
                 "SWE", "CHN", "POL", "ISR", "RUS", "NOR"] + [f"C{i:02d}" for i in range(60)]
    weights = np.r_[np.linspace(20, 2, 20), np.full(60, 0.2)]
    frame = pd.DataFrame({
        "hotel": rng.choice(["Resort Hotel", "City Hotel"], rows), "is_canceled": canceled, "lead_time": lead,
        "arrival_date_year": arrival.year, "arrival_date_month": [MONTHS[m - 1] for m in arrival.month],
        "arrival_date_week_number": arrival.isocalendar().week.to_numpy(), "arrival_date_day_of_month": arrival.day,
        "stays_in_weekend_nights": rng.integers(0, 3, rows), "stays_in_week_nights": week_nights,
        "adults": rng.integers(1, 4, rows), "children": np.where(rng.random(rows) < 0.001, "NA",
                                                                  rng.integers(0, 3, rows).astype(str)),
        "babies": rng.choice([0, 1], rows, p=[0.99, 0.01]), "meal": rng.choice(["BB", "HB", "FB", "SC"], rows),
        "country": rng.choice(countries, rows, p=weights / weights.sum()), "market_segment": segment,
        "distribution_channel": rng.choice(["TA/TO", "Direct", "Corporate"], rows),
        "is_repeated_guest": rng.choice([0, 1], rows, p=[0.97, 0.03]),
        "previous_cancellations": rng.choice([0, 1, 2], rows, p=[0.94, 0.05, 0.01]),
        "previous_bookings_not_canceled": rng.choice([0, 1, 2], rows, p=[0.96, 0.03, 0.01]),
        "reserved_room_type": rng.choice(list("ADEFG"), rows), "assigned_room_type": rng.choice(list("ADEFG"), rows),
        "booking_changes": rng.choice([0, 1, 2], rows, p=[0.85, 0.1, 0.05]), "deposit_type": deposit,
        "agent": agent, "company": company, "days_in_waiting_list": rng.choice([0, 10], rows, p=[0.97, 0.03]),
        "customer_type": rng.choice(["Transient", "Contract", "Group", "Transient-Party"], rows),
        "adr": np.round(rng.normal(100, 40, rows).clip(0), 2), "required_car_parking_spaces": rng.choice([0, 1], rows),
        "total_of_special_requests": rng.integers(0, 4, rows), "note": note,
        "reservation_status": status, "reservation_status_date": pd.to_datetime(status_date).strftime("%Y-%m-%d"),
    })
    frame.to_csv(path, index=False)
    return path
