"""Generate the fictional Harbour Physio Group sample client.

Every person here is invented: names are drawn from the short lists below, email addresses use
the reserved ``example.*`` domains and mobile numbers use the ``555`` exchange. The output files
are committed next to this script, so nobody needs to run it; after changing it, regenerate with

    python sample_data/harbour_physio/generate.py            # the first extract (as_of 2026-06-30)
    python sample_data/harbour_physio/generate.py --later    # later/: the extract six months on
    python sample_data/harbour_physio/generate.py --pilot    # pilot/: the no-show pilot's decision log
    python sample_data/harbour_physio/generate.py --all      # all three
    python sample_data/harbour_physio/generate.py --all --out /tmp/hp   # somewhere else

Each part has its own seed (42, 4242, 4343) and every value is formatted explicitly (no locale, no
float repr), so two runs give byte-identical files. The later extract and the pilot log start from
the first extract as built in memory, so the first extract's files never change when they are
made. The planted data-quality defects, biases and drift are written to ``planted.yaml`` (one per
part) with their exact counts, counted from the files as written.
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

OUT_DIR = Path(__file__).resolve().parent
SEED = 42
AS_OF = date(2026, 6, 30)
WINDOW_START = date(2024, 7, 1)
# The later extract: six more months, its own seed for everything new.
LATER_SEED = 4242
LATER_AS_OF = date(2026, 12, 31)
LATER_START = date(2026, 7, 1)
N_NEW_CUSTOMERS = 700
N_NEW_TICKETS = 900
N_NEW_TICKET_PII = 12
HELPDESK_TOOL_START = date(2026, 7, 1)  # the new helpdesk tool exports opened_at as 14/07/2026 09:15
# The no-show pilot: decisions logged in shadow mode, with planted drift.
PILOT_SEED = 4343
PILOT_START = date(2027, 1, 4)
PILOT_END = date(2027, 3, 31)
PILOT_THRESHOLD = 0.15
PILOT_WEB_SHIFT = 0.55  # share of would-be phone and walk-in bookings made in the new app instead
PILOT_YOUNG_BOOST = 2.6  # 18-24 patients book this much more often (student partnership)
PILOT_WEB_RISK = 1.3  # app bookings no-show more than the web bookings the model learned from
PILOT_SCORE_NOISE = 0.35  # sd of the model's error on the logit scale
PSI_FLOOR = 1e-4
TARGET_APPOINTMENTS = 60_000
N_BASE_CUSTOMERS = 4_950
N_NEAR_DUPLICATES = 30
N_EXACT_DUPLICATES = 20
N_TICKETS = 3_000
STALE_DAYS = 120
CHURN_DAYS = 180  # churned: no appointment in the last 180 days before as_of
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-64", "65+")
AGE_RANGES = {"18-24": (18, 24), "25-34": (25, 34), "35-44": (35, 44), "45-64": (45, 64), "65+": (65, 88)}
CHANNELS = ("phone", "web", "walk-in")

# Irish public holidays up to the end of the pilot: every site is closed.


def words(text: str) -> tuple[str, ...]:
    """A tuple from a space-separated list: keeps the long name lists readable."""
    return tuple(text.split(" "))


HOLIDAYS = frozenset(date.fromisoformat(d) for d in words(
    "2024-08-05 2024-10-28 2024-12-25 2024-12-26 2025-01-01 2025-02-03 2025-03-17 2025-04-21 "
    "2025-05-05 2025-06-02 2025-08-04 2025-10-27 2025-12-25 2025-12-26 2026-01-01 2026-02-02 "
    "2026-03-17 2026-04-06 2026-05-04 2026-06-01 2026-08-03 2026-10-26 2026-12-25 2026-12-26 2026-12-28 "
    "2027-01-01 2027-02-01 2027-03-17 2027-03-29"
))
MONTH_FACTOR = {1: 1.28, 2: 1.12, 3: 1.08, 4: 0.98, 5: 1.0, 6: 0.95, 7: 0.88, 8: 0.68, 9: 1.06,
                10: 1.08, 11: 1.05, 12: 0.82}
WEEKDAY_FACTOR = (1.12, 1.10, 1.04, 1.08, 0.90, 0.55, 0.0)  # Monday .. Sunday


@dataclass(frozen=True)
class Service:
    """A bookable service: (duration, base price, probability) options and its VAT rate."""

    name: str
    options: tuple[tuple[int, float, float], ...]
    vat_rate: float
    no_show_factor: float


SERVICES = (
    Service("Initial assessment", ((45, 70.0, 0.3), (60, 80.0, 0.7)), 0.0, 0.8),
    Service("Follow-up", ((30, 60.0, 0.7), (45, 70.0, 0.3)), 0.0, 1.15),
    Service("Sports massage", ((30, 45.0, 0.25), (60, 70.0, 0.75)), 0.23, 1.0),
    Service("Pelvic health assessment", ((60, 95.0, 1.0),), 0.0, 0.7),
    Service("Pelvic health follow-up", ((45, 75.0, 1.0),), 0.0, 0.85),
    Service("Hydrotherapy", ((45, 55.0, 1.0),), 0.0, 1.0),
    Service("Clinical Pilates class", ((60, 25.0, 1.0),), 0.23, 1.25),
    Service("Dry needling", ((30, 55.0, 1.0),), 0.0, 1.0),
    Service("Video consultation", ((15, 35.0, 0.3), (30, 50.0, 0.7)), 0.0, 0.9),
)
SERVICE_BY_NAME = {s.name: s for s in SERVICES}


@dataclass(frozen=True)
class Site:
    """One clinic: its volume, price level, no-show tendency and mixes."""

    name: str
    volume: float
    price_factor: float
    no_show_factor: float
    channel_mix: tuple[float, float, float]  # phone, web, walk-in
    service_mix: tuple[float, ...]  # in SERVICES order
    age_mix: tuple[float, ...]  # in AGE_BANDS order
    therapists: tuple[str, ...]


SITES = (
    Site("Docklands", 34, 1.10, 0.90, (0.33, 0.62, 0.05),
         (0.18, 0.36, 0.22, 0.03, 0.04, 0.0, 0.07, 0.07, 0.03),
         (0.14, 0.30, 0.26, 0.24, 0.06), tuple(f"PT{i:02d}" for i in range(1, 8))),
    Site("Rathmines", 26, 1.00, 1.25, (0.38, 0.55, 0.07),
         (0.18, 0.38, 0.16, 0.04, 0.06, 0.0, 0.10, 0.06, 0.02),
         (0.22, 0.26, 0.20, 0.23, 0.09), tuple(f"PT{i:02d}" for i in range(8, 14))),
    Site("Dun Laoghaire", 24, 1.05, 0.85, (0.55, 0.38, 0.07),
         (0.16, 0.34, 0.08, 0.04, 0.06, 0.14, 0.12, 0.04, 0.02),
         (0.07, 0.14, 0.20, 0.37, 0.22), tuple(f"PT{i:02d}" for i in range(14, 20))),
    Site("Swords", 16, 0.92, 1.10, (0.45, 0.40, 0.15),
         (0.20, 0.42, 0.12, 0.03, 0.04, 0.0, 0.08, 0.08, 0.03),
         (0.12, 0.24, 0.26, 0.28, 0.10), tuple(f"PT{i:02d}" for i in range(20, 24))),
)
SITE_NAMES = tuple(s.name for s in SITES)
SITE_NAMES_ARRAY = np.array(SITE_NAMES, dtype=object)
SITE_VOLUME = np.array([s.volume for s in SITES], dtype=float)

FEMALE_NAMES = words(
    "Aoife Ciara Niamh Saoirse Siobhán Orla Róisín Sinéad Aisling Clodagh Emma Sarah Laura Rachel Grace "
    "Sophie Chloe Hannah Emily Katie Aine Eimear Deirdre Maeve Caoimhe Fiona Gráinne Mary Catherine Anne "
    "Margaret Bridget Louise Claire Jennifer Michelle Nicola Lisa Tara Zoe"
)
MALE_NAMES = words(
    "Seán Conor Cian Darragh Oisín Eoin Ciarán Pádraig Liam Jack James Daniel Michael David John Patrick "
    "Thomas Mark Paul Brian Declan Colm Donal Fergal Niall Ronan Shane Barry Kevin Gavin Stephen Aidan "
    "Cathal Diarmuid Tadhg Ruairí Fionn Killian Rory Dylan"
)
NEUTRAL_NAMES = words("Alex Sam Jamie Robin Charlie Jordan Ashley Morgan Ali Casey")
SURNAMES = words(
    "Murphy Kelly O'Sullivan Walsh Smith O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle McCarthy "
    "Gallagher O'Doherty Kennedy Lynch Murray Quinn Moore McLoughlin O'Carroll Connolly Daly O'Connell "
    "Wilson Dunne Brennan Burke Collins Campbell Clarke Johnston Hughes O'Farrell Fitzgerald Brown "
    "Martin Maguire Nolan Flynn Thompson O'Callaghan O'Donnell Duffy O'Mahony Boyle Healy O'Shea White "
    "Sweeney Hayes Kavanagh Power McGrath Moran Brady Stewart Casey Foley Fitzpatrick"
)
EMAIL_DOMAINS = (("example.ie", 0.45), ("example.com", 0.35), ("example.net", 0.15),
                 ("mail.example.ie", 0.05))
MOBILE_PREFIXES = ("083", "085", "086", "087", "089")
# Shares of the four phone layouts the front desks type: +353 87 555 1234 | 087-555-1234 | ...
PHONE_FORMATS = (("international", 0.40), ("dashed", 0.20), ("compact", 0.25), ("bracketed", 0.15))
REFERRALS = (("GP referral", 0.24), ("Google search", 0.22), ("Friend or family", 0.20),
             ("Health insurer", 0.10), ("Sports club", 0.09), ("Social media", 0.07),
             ("Employer scheme", 0.05), ("Walked past", 0.03))


# --------------------------------------------------------------------------- small utilities


def pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...], size: int) -> np.ndarray:
    """Draw ``size`` labels from ``(label, probability)`` pairs."""
    labels = np.array([o[0] for o in options], dtype=object)
    probs = np.array([o[1] for o in options], dtype=float)
    return labels[rng.choice(len(options), size=size, p=probs / probs.sum())]


def ascii_fold(text: str) -> str:
    """``Siobhán O'Brien`` -> ``Siobhan OBrien``: what an email address can hold."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return folded.replace("'", "")


def format_phone(prefix: str, subscriber: str, layout: str) -> str:
    """Write a mobile number (``087`` + ``5551234``) in one of the four desk layouts."""
    a, b = subscriber[:3], subscriber[3:]
    return {
        "international": f"+353 {prefix[1:]} {a} {b}",
        "dashed": f"{prefix}-{a}-{b}",
        "compact": f"{prefix}{a}{b}",
        "bracketed": f"({prefix}) {a} {b}",
    }[layout]


def money(values: pd.Series, *, decimal: str = ".") -> pd.Series:
    """Euro amounts as text with two decimals and the given decimal mark."""
    text = values.map(lambda v: f"{v:.2f}")
    return text.str.replace(".", decimal, regex=False) if decimal != "." else text


def iso_datetime(values: pd.Series) -> pd.Series:
    """``2025-03-14T09:15:00``; missing becomes an empty field."""
    return values.dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("")


def iso_date(values: pd.Series) -> pd.Series:
    """``2025-03-14``; missing stays missing."""
    return values.dt.strftime("%Y-%m-%d")


def bool_text(values: pd.Series) -> pd.Series:
    """Booleans as ``true``/``false``, the way the booking system exports them."""
    return values.map({True: "true", False: "false"})


def write_csv(frame: pd.DataFrame, path: Path, *, sep: str = ",") -> Path:
    """UTF-8 with ``\n`` line ends whatever the platform, so the bytes never depend on it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, sep=sep, lineterminator="\n", encoding="utf-8")
    return path


def helper_columns(frame: pd.DataFrame) -> list[str]:
    """The generator's own columns (``_activity``, ``_paid_due`` ...), never exported."""
    return [c for c in frame.columns if c.startswith("_")]


def seasonal_days(rng: np.random.Generator, start: date, end: date, n: int) -> pd.DatetimeIndex:
    """``n`` days from ``start`` to ``end``, busier in the busy months (January) as the clinics are."""
    window_days = pd.date_range(start, end, freq="D")
    weights = np.array([MONTH_FACTOR[d.month] for d in window_days])
    return window_days[rng.choice(len(window_days), size=n, p=weights / weights.sum())]


# --------------------------------------------------------------------------- customers


def age_at(dob: pd.Series, on: date) -> pd.Series:
    """Whole years of age on ``on``."""
    before_birthday = (dob.dt.month > on.month) | ((dob.dt.month == on.month) & (dob.dt.day > on.day))
    return on.year - dob.dt.year - before_birthday.astype(int)


def draw_birth_dates(rng: np.random.Generator, home_site: np.ndarray, as_of: date = AS_OF) -> pd.Series:
    """Birth dates whose age bands follow each site's clientele (Rathmines young, Dun Laoghaire older)."""
    n = len(home_site)
    bands = np.empty(n, dtype=object)
    for site in SITES:
        mask = home_site == site.name
        bands[mask] = np.array(AGE_BANDS, dtype=object)[
            rng.choice(len(AGE_BANDS), size=mask.sum(), p=np.array(site.age_mix) / sum(site.age_mix))
        ]
    low = np.array([AGE_RANGES[b][0] for b in bands])
    high = np.array([AGE_RANGES[b][1] for b in bands])
    years = rng.integers(low, high + 1)
    # Born between `years + 1` and `years` years before the extract date, so the band holds on as_of.
    offset_days = rng.integers(1, 365, size=n)
    extract_day = pd.Timestamp(as_of)
    dob = pd.Series([extract_day - pd.DateOffset(years=int(y)) for y in years]) - pd.to_timedelta(offset_days, "D")
    return dob


def age_band(ages: pd.Series) -> pd.Series:
    """Whole years to the bands used across the sample: 18-24 ... 65+."""
    bins = [17, 24, 34, 44, 64, 200]
    return pd.cut(ages, bins=bins, labels=list(AGE_BANDS)).astype(str)


def draw_gender_and_title(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gender (F/M/X, blank when not given) and a title that mostly follows it (a proxy)."""
    gender = pick(rng, (("F", 0.58), ("M", 0.385), ("X", 0.013), ("", 0.022)), n)
    title_options = {
        # A few titles contradict the stated gender: desk slips, as in any real register.
        "F": (("Ms", 0.48), ("Mrs", 0.34), ("Miss", 0.12), ("Dr", 0.055), ("Mr", 0.005)),
        "M": (("Mr", 0.935), ("Dr", 0.06), ("Ms", 0.005)),
        "X": (("Mx", 0.85), ("Dr", 0.15)),
        "": (("Mr", 0.40), ("Ms", 0.35), ("Mrs", 0.15), ("Dr", 0.10)),
    }
    title = np.empty(n, dtype=object)
    for g, options in title_options.items():
        mask = gender == g
        title[mask] = pick(rng, options, int(mask.sum()))
    return gender, title


def draw_names(rng: np.random.Generator, gender: np.ndarray) -> tuple[list[str], list[str]]:
    first = []
    for g in gender:
        pool = {"F": FEMALE_NAMES, "M": MALE_NAMES, "X": NEUTRAL_NAMES}.get(g)
        if pool is None:
            pool = FEMALE_NAMES if rng.random() < 0.55 else MALE_NAMES
        first.append(pool[rng.integers(len(pool))])
    last = [SURNAMES[i] for i in rng.integers(len(SURNAMES), size=len(gender))]
    return first, last


def draw_emails(rng: np.random.Generator, first: list[str], last: list[str],
                taken: frozenset[str] = frozenset()) -> list[str]:
    """Unique lower-case addresses on example domains, in the styles people pick (none of ``taken``)."""
    domains = pick(rng, EMAIL_DOMAINS, len(first))
    styles = rng.choice(4, size=len(first), p=[0.45, 0.2, 0.2, 0.15])
    used: set[str] = set(taken)
    emails = []
    for f, s, domain, style in zip(first, last, domains, styles, strict=True):
        f, s = ascii_fold(f).lower(), ascii_fold(s).lower()
        local = (f"{f}.{s}", f"{f}{s}", f"{f[0]}.{s}", f"{f}_{s}")[style]
        candidate, n = f"{local}@{domain}", 1
        while candidate in used:
            n += 1
            candidate = f"{local}{n}@{domain}"
        used.add(candidate)
        emails.append(candidate)
    return emails


def draw_phones(rng: np.random.Generator, n: int,
                taken: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """Unique 555-exchange mobiles, none of ``taken`` (digits); returns (digits as dialled, as typed)."""
    free = np.array([c for c in range(len(MOBILE_PREFIXES) * 10_000) if phone_digits(c) not in taken])
    codes = free[rng.choice(len(free), size=n, replace=False)]
    layouts = pick(rng, PHONE_FORMATS, n)
    digits, typed = [], []
    for code, layout in zip(codes, layouts, strict=True):
        digits.append(phone_digits(code))
        typed.append(format_phone(digits[-1][:3], digits[-1][3:], layout))
    return digits, typed


def phone_digits(code: int) -> str:
    """Mobile number ``code`` (0 ... 49,999) as dialled nationally: ``0875551234``."""
    return f"{MOBILE_PREFIXES[code // 10_000]}555{code % 10_000:04d}"


def draw_registration_dates(rng: np.random.Generator, n: int) -> pd.Series:
    """45% registered before the window (since 2016), the rest spread over it, busier in January."""
    old = rng.random(n) < 0.45
    start_old = pd.Timestamp("2016-03-01")
    old_days = rng.integers(0, (pd.Timestamp(WINDOW_START) - start_old).days, size=n)
    in_window = seasonal_days(rng, WINDOW_START, AS_OF, n)
    before = (start_old + pd.to_timedelta(old_days, "D")).values
    registered = np.where(old, before, in_window.values)
    return pd.Series(pd.to_datetime(registered))


@dataclass(frozen=True)
class Taken:
    """What a register already uses, so new patients get their own: ids, emails, phone digits."""

    next_number: int = 1
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()


def make_customers(rng: np.random.Generator, *, n: int = N_BASE_CUSTOMERS, as_of: date = AS_OF,
                   since: date | None = None, taken: Taken = Taken()) -> pd.DataFrame:
    """The clean customer register (before any planted defect), plus helper columns.

    By default the first extract's register (registered 2016-03 to as_of); with ``since``, the
    patients who registered from that day to ``as_of``, numbered after ``taken``.
    """
    home_site = SITE_NAMES_ARRAY[rng.choice(len(SITES), size=n, p=SITE_VOLUME / SITE_VOLUME.sum())]
    gender, title = draw_gender_and_title(rng, n)
    first, last = draw_names(rng, gender)
    dob = draw_birth_dates(rng, home_site, as_of)
    digits, phones = draw_phones(rng, n, taken.phones)
    frame = pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in range(taken.next_number, taken.next_number + n)],
        "title": title,
        "full_name": [f"{f} {s}" for f, s in zip(first, last, strict=True)],
        "email": draw_emails(rng, first, last, taken.emails),
        "phone": phones,
        "date_of_birth": dob,
        "gender": gender,
        "age_band": age_band(age_at(dob, as_of)),
        "home_site": home_site,
        "registered_at": (draw_registration_dates(rng, n) if since is None
                          else pd.Series(seasonal_days(rng, since, as_of, n))),
        "referral_source": pick(rng, REFERRALS, n),
        "marketing_opt_in": rng.random(n) < 0.58,
        "country": "Ireland",
    })
    frame["_phone_digits"] = digits
    # How often each person books; lapsed patients registered long ago book less.
    frame["_activity"] = rng.gamma(2.0, 1.0, size=n) * np.where(
        frame["registered_at"] < pd.Timestamp(WINDOW_START), 0.6, 1.0)
    return frame



# --------------------------------------------------------------------------- appointments


def day_shape(start: date, end: date) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The days from ``start`` to ``end`` and their relative volume: weekday x month x growth, closures."""
    days = pd.date_range(start, end, freq="D")
    weekday = np.array([WEEKDAY_FACTOR[d.weekday()] for d in days])
    month = np.array([MONTH_FACTOR[d.month] for d in days])
    xmas = np.where((days.month == 12) & (days.day >= 22), 0.45, 1.0)
    closed = np.array([d.date() in HOLIDAYS for d in days])
    growth = 1.0 + 0.06 * (days - pd.Timestamp(WINDOW_START)).days / 365.0  # about 6% a year since 2024-07
    return days, weekday * month * xmas * growth * ~closed


def daily_counts(rng: np.random.Generator, start: date = WINDOW_START, end: date = AS_OF) -> pd.DataFrame:
    """Appointments per site and open day: site volume x weekday x month x growth, Poisson noise.

    Scaled so that the first extract's two years hold about ``TARGET_APPOINTMENTS``; later windows
    keep that scale (and the growth), so they continue the same business.
    """
    days, shape = day_shape(start, end)
    lam = np.outer(SITE_VOLUME, shape)
    lam *= TARGET_APPOINTMENTS / np.outer(SITE_VOLUME, day_shape(WINDOW_START, AS_OF)[1]).sum()
    counts = rng.poisson(lam)
    site_idx, day_idx = np.nonzero(counts)
    reps = counts[site_idx, day_idx]
    return pd.DataFrame({
        "site": np.repeat(SITE_NAMES_ARRAY[site_idx], reps),
        "day": np.repeat(days[day_idx].values, reps),
    })


def draw_services(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Service, duration and list price by site mix; a EUR 5 price rise from September 2025."""
    service = np.empty(len(frame), dtype=object)
    for site in SITES:
        mask = (frame["site"] == site.name).to_numpy()
        mix = np.array(site.service_mix) / sum(site.service_mix)
        service[mask] = np.array([s.name for s in SERVICES], dtype=object)[
            rng.choice(len(SERVICES), size=mask.sum(), p=mix)]
    duration = np.zeros(len(frame), dtype=int)
    base_price = np.zeros(len(frame))
    for svc in SERVICES:
        mask = service == svc.name
        probs = np.array([o[2] for o in svc.options])
        choice = rng.choice(len(svc.options), size=mask.sum(), p=probs / probs.sum())
        duration[mask] = np.array([o[0] for o in svc.options])[choice]
        base_price[mask] = np.array([o[1] for o in svc.options])[choice]
    factor = frame["site"].map({s.name: s.price_factor for s in SITES}).to_numpy()
    price = base_price * factor
    price = np.where(price >= 40, np.round(price / 5) * 5, np.round(price))
    rise = (frame["day"] >= pd.Timestamp("2025-09-01")).to_numpy() & (service != "Clinical Pilates class")
    return frame.assign(service=service, duration_min=duration, price_eur=price + 5.0 * rise)


def draw_start_times(rng: np.random.Generator, frame: pd.DataFrame) -> pd.Series:
    """Quarter-hour slots: early morning, lunch and evening peaks; Saturday mornings only."""
    weekday_slots = np.arange(8 * 60, 19 * 60 + 1, 15)
    hour = weekday_slots // 60
    weekday_w = np.select([hour < 10, hour < 12, hour < 14, hour < 17], [1.3, 0.9, 1.2, 0.8], 1.5)
    saturday_slots = np.arange(9 * 60, 12 * 60 + 1, 15)
    is_sat = (frame["day"].dt.weekday == 5).to_numpy()
    minutes = np.where(
        is_sat,
        rng.choice(saturday_slots, size=len(frame)),
        rng.choice(weekday_slots, size=len(frame), p=weekday_w / weekday_w.sum()),
    )
    return frame["day"] + pd.to_timedelta(minutes, "m")


def channel_mix(site: Site, web_shift: float) -> tuple[float, float, float]:
    """A site's phone/web/walk-in shares once ``web_shift`` of its phone and walk-in bookings move online."""
    if not web_shift:
        return site.channel_mix
    phone, web, walk_in = site.channel_mix
    return phone * (1 - web_shift), web + web_shift * (phone + walk_in), walk_in * (1 - web_shift)


def draw_channels_and_bookings(rng: np.random.Generator, frame: pd.DataFrame, web_shift: float = 0.0) -> pd.DataFrame:
    """Channel by site; lead time by channel (walk-ins book the same morning); booked_at from it."""
    channel = np.empty(len(frame), dtype=object)
    for site in SITES:
        mask = (frame["site"] == site.name).to_numpy()
        mix = channel_mix(site, web_shift)
        channel[mask] = np.array(CHANNELS, dtype=object)[rng.choice(3, size=mask.sum(), p=mix)]
    channel[(frame["service"] == "Video consultation").to_numpy()] = "web"
    n = len(frame)
    lead_days = np.where(channel == "web", np.floor(rng.lognormal(1.9, 0.8, n)),
                         np.floor(rng.lognormal(1.6, 0.9, n)))
    lead_days = np.minimum(lead_days, 60)
    # Minute of the day the booking was made: web any time 07:00-23:00, phone in desk hours.
    clock = np.where(channel == "web", rng.integers(7 * 60, 23 * 60, n),
                     rng.integers(8 * 60 + 30, 19 * 60, n))
    day = frame["starts_at"].dt.normalize()
    booked = day - pd.to_timedelta(lead_days, "D") + pd.to_timedelta(clock, "m")
    too_late = booked >= frame["starts_at"] - pd.Timedelta(minutes=30)
    booked = booked.where(~too_late, frame["starts_at"] - pd.to_timedelta(rng.integers(45, 240, n), "m"))
    walk_in = channel == "walk-in"
    booked = booked.where(~walk_in, frame["starts_at"] - pd.to_timedelta(rng.integers(2, 12, n) * 5, "m"))
    return frame.assign(channel=channel, booked_at=booked.dt.floor("min"))


def assign_customers(rng: np.random.Generator, frame: pd.DataFrame, customers: pd.DataFrame) -> np.ndarray:
    """Pick a registered customer for each booking: 90% from the site's own patients, by activity."""
    ids = np.empty(len(frame), dtype=object)
    from_home = rng.random(len(frame)) < 0.90
    u = rng.random(len(frame))
    booked_day = frame["booked_at"].dt.normalize().to_numpy()
    for site in SITES:
        at_site = (frame["site"] == site.name).to_numpy()
        for home, mask in ((True, at_site & from_home), (False, at_site & ~from_home)):
            pool = customers[customers["home_site"] == site.name] if home else customers
            pool = pool.sort_values(["registered_at", "customer_id"], kind="mergesort")
            cum = np.cumsum(pool["_activity"].to_numpy())
            eligible = np.searchsorted(pool["registered_at"].to_numpy(), booked_day[mask], side="right")
            eligible = np.maximum(eligible, 1)  # the earliest bookings still go to someone
            target = u[mask] * cum[eligible - 1]
            ids[mask] = pool["customer_id"].to_numpy()[np.searchsorted(cum, target, side="right")]
    return ids


def no_show_probability(frame: pd.DataFrame) -> np.ndarray:
    """Multiplicative risk scaled to a 12% average (capped at 70%)."""
    raw = no_show_risk(frame)
    return np.clip(raw * 0.12 / raw.mean(), 0, 0.7)


def no_show_risk(frame: pd.DataFrame) -> np.ndarray:
    """Relative risk: site, age band (18-24 about twice 45-64), channel, reminder, lead, day."""
    site_f = frame["site"].map({s.name: s.no_show_factor for s in SITES})
    age_f = frame["age_band"].map({"18-24": 2.0, "25-34": 1.35, "35-44": 1.1, "45-64": 1.0, "65+": 0.85})
    channel_f = frame["channel"].map({"web": 1.15, "phone": 1.0, "walk-in": 0.25})
    reminder_f = np.where(frame["reminder_sent"], 0.8, 1.35)
    lead = (frame["starts_at"] - frame["booked_at"]).dt.days
    lead_f = np.select([lead < 1, lead <= 7, lead <= 21], [0.6, 0.9, 1.15], 1.45)
    weekday_f = frame["starts_at"].dt.weekday.map({0: 1.15, 4: 1.1, 5: 0.9}).fillna(1.0)
    month_f = frame["starts_at"].dt.month.map({12: 1.25, 8: 1.1, 1: 0.95}).fillna(1.0)
    service_f = frame["service"].map({s.name: s.no_show_factor for s in SERVICES})
    return (site_f * age_f * channel_f * reminder_f * lead_f * weekday_f * month_f * service_f).to_numpy()


def make_appointments(rng: np.random.Generator, customers: pd.DataFrame, *, start: date = WINDOW_START,
                      end: date = AS_OF, first_number: int = 1) -> pd.DataFrame:
    """Bookings at the four sites (by default the first extract's two years), before any planted defect."""
    frame = draw_bookings(rng, customers, start=start, end=end)
    frame = draw_outcomes(rng, frame, no_show_probability(frame))
    return number_appointments(frame, first_number)


def draw_bookings(rng: np.random.Generator, customers: pd.DataFrame, *, start: date, end: date,
                  web_shift: float = 0.0) -> pd.DataFrame:
    """Who booked what, where, when and how, with the therapist and the reminder: no outcome yet."""
    frame = draw_services(rng, daily_counts(rng, start, end))
    frame["starts_at"] = draw_start_times(rng, frame)
    frame = draw_channels_and_bookings(rng, frame, web_shift)
    frame["customer_id"] = assign_customers(rng, frame, customers)
    person = customers.set_index("customer_id")
    frame["age_band"] = frame["customer_id"].map(person["age_band"])
    frame["gender"] = frame["customer_id"].map(person["gender"])
    therapist = np.empty(len(frame), dtype=object)
    for site in SITES:
        mask = (frame["site"] == site.name).to_numpy()
        weights = np.linspace(1.4, 0.6, len(site.therapists))
        therapist[mask] = np.array(site.therapists, dtype=object)[
            rng.choice(len(site.therapists), size=mask.sum(), p=weights / weights.sum())]
    frame["therapist_id"] = therapist
    same_day = (frame["starts_at"] - frame["booked_at"]) < pd.Timedelta(days=1)
    reminder_p = frame["channel"].map({"web": 0.96, "phone": 0.75, "walk-in": 0.0})
    reminder_p = reminder_p * np.where(same_day, 0.1, 1)
    frame["reminder_sent"] = rng.random(len(frame)) < reminder_p.to_numpy()
    return frame


def draw_outcomes(rng: np.random.Generator, frame: pd.DataFrame, probability: np.ndarray) -> pd.DataFrame:
    """No-show drawn with ``probability``; the late-cancellation fee charged after it (the leak)."""
    frame["no_show"] = rng.random(len(frame)) < probability
    # The fee is charged after the outcome is known: a leak for any no-show model.
    charged = frame["no_show"].to_numpy() & (rng.random(len(frame)) < 0.96)
    frame["late_cancel_fee_eur"] = np.where(charged, np.round(frame["price_eur"] * 0.5, 2), 0.0)
    return frame


def number_appointments(frame: pd.DataFrame, first_number: int) -> pd.DataFrame:
    """Ids in order of the start time, from ``A{first_number:06d}``."""
    frame = frame.sort_values(["starts_at", "site"], kind="mergesort").reset_index(drop=True)
    frame["appointment_id"] = [f"A{i:06d}" for i in range(first_number, first_number + len(frame))]
    frame["_true_starts_at"] = frame["starts_at"]
    return frame


def add_churn_columns(customers: pd.DataFrame, appointments: pd.DataFrame, as_of: date = AS_OF) -> None:
    """Churn label and two behavioural features known before its window, per real person.

    ``churned``: no appointment in the 180 days before as_of (from 2026-01-01). ``visits_12m``:
    attended appointments in the 12 months before that window; ``months_registered``: whole months
    from registration to the window's start. Patients who registered inside the window were not
    yet customers when it opened, so their label and tenure stay blank. Computed before any
    duplicate is planted, so every copy of a person carries that person's values; draws nothing
    from the random generator, so the other files do not change.
    """
    cutoff = pd.Timestamp(as_of) - pd.Timedelta(days=CHURN_DAYS)
    starts = appointments["starts_at"]
    recent = set(appointments.loc[(starts >= cutoff) & (starts < pd.Timestamp(as_of) + pd.Timedelta(days=1)),
                                  "customer_id"])
    year_before = (starts >= cutoff - pd.DateOffset(years=1)) & (starts < cutoff) & ~appointments["no_show"]
    visits = appointments.loc[year_before, "customer_id"].value_counts()
    registered = customers["registered_at"]
    known = registered < cutoff
    months = (cutoff.year - registered.dt.year) * 12 + (cutoff.month - registered.dt.month) \
        - (registered.dt.day > cutoff.day).astype(int)
    customers["visits_12m"] = customers["customer_id"].map(visits).fillna(0).astype(int)
    customers["months_registered"] = months.where(known).astype("Int64")
    customers["churned"] = pd.Series(~customers["customer_id"].isin(recent), dtype="boolean").where(known)


# --------------------------------------------------------------------------- invoices


def make_invoices(rng: np.random.Generator, appointments: pd.DataFrame, *, as_of: date = AS_OF,
                  first_number: int = 1) -> pd.DataFrame:
    """One invoice per attended appointment, issued on the day; insurers pay weeks later.

    ``paid_on`` is blank when the payment came after ``as_of``; ``_paid_due`` keeps the day it came.
    """
    attended = appointments[~appointments["no_show"]].sort_values(
        ["_true_starts_at", "appointment_id"], kind="mergesort")
    n = len(attended)
    method = pick(rng, (("card", 0.64), ("cash", 0.07), ("insurance", 0.22), ("bank_transfer", 0.07)), n)
    not_covered = attended["service"].isin(["Sports massage", "Clinical Pilates class"]).to_numpy()
    method = np.where(not_covered & (method == "insurance"), "card", method)
    issued = attended["_true_starts_at"].dt.normalize().reset_index(drop=True)
    lag = np.select([method == "insurance", method == "bank_transfer"],
                    [rng.integers(14, 61, n), rng.integers(0, 11, n)], 0)
    due = issued + pd.to_timedelta(lag, "D")
    paid = due.where(due <= pd.Timestamp(as_of))  # not yet paid at the extract date
    vat_rate = attended["service"].map({s.name: s.vat_rate for s in SERVICES}).to_numpy()
    amount = attended["price_eur"].to_numpy()
    return pd.DataFrame({
        "invoice_id": [f"INV-{i:06d}" for i in range(first_number, first_number + n)],
        "appointment_id": attended["appointment_id"].to_numpy(),
        "customer_id": attended["customer_id"].to_numpy(),
        "site": attended["site"].to_numpy(),
        "issued_on": issued,
        "amount_eur": amount,
        "vat_eur": np.round(amount * vat_rate / (1 + vat_rate), 2),
        "payment_method": method,
        "paid_on": paid,
        "_paid_due": due,
    })


# --------------------------------------------------------------------------- support tickets

SUBJECTS = {
    "booking": ("Change of appointment", "Availability question", "Booking not confirmed", "Block booking"),
    "billing": ("Query about my bill", "Charged twice", "Receipt request", "Cancellation fee query"),
    "insurance": ("Insurance claim", "Claim form", "Cover question"),
    "clinical_question": ("Question about my exercises", "Question after my session",
                          "Before my appointment"),
    "complaint": ("Complaint", "Unhappy with my visit", "Long wait"),
    "facilities": ("Parking", "Access question", "Facilities issue"),
    "app_website": ("Cannot log in", "Problem with the app", "Website issue"),
}
SENTENCES = {
    "booking": (
        "I need to move my {service} on {weekday} to later in the week.",
        "Is there any availability for a {service} at {site} next week? Evenings would suit best.",
        "The online booking page shows no free slots at {site} for the next fortnight.",
        "Can I book a block of {count} sessions with the same physio?",
        "I booked online but never got a confirmation.",
        "Could I switch from {site} to another clinic for my next few sessions?",
    ),
    "billing": (
        "I was charged twice for my appointment on {day_month}.",
        "My receipt shows €{amount} but I was quoted €{amount_low} when I booked.",
        "Could you send me an itemised receipt for my Med 1 tax relief claim?",
        "I was charged a late cancellation fee but I rang the day before to cancel.",
        "The card machine at {site} declined my card but the payment still went through.",
    ),
    "insurance": (
        "Do I need a GP referral for my health insurer to cover the {service}?",
        "My insurer says they have not received the claim for my session on {day_month}.",
        "Can you fill in the physiotherapy section of my claim form?",
        "How many sessions a year will my plan cover at {site}?",
    ),
    "clinical_question": (
        "My knee is still swelling after the last session, should I keep doing the exercises?",
        "Is it safe to do the home exercises while I have a cold?",
        "Should I bring my scan results to the {service}?",
        "How soon after the {service} can I go back running?",
        "My lower back has been stiff every morning since the {service}.",
    ),
    "complaint": (
        "I waited forty minutes past my appointment time at {site} and nobody explained the delay.",
        "The session felt rushed and the room was cold.",
        "The receptionist was quite abrupt with me on the phone.",
        "I was marked as a no-show even though I was sitting in the waiting room.",
        "This is the second time my appointment at {site} was cancelled at short notice.",
    ),
    "facilities": (
        "The car park at {site} was full again and I was late for my session.",
        "Is there step-free access at {site}? I am on crutches at the moment.",
        "The changing room by the pool had no towels left.",
        "The lift at {site} was out of order when I arrived.",
    ),
    "app_website": (
        "The app keeps logging me out when I try to view my exercises.",
        "I cannot reset my password on the booking site.",
        "The exercise videos will not load on my phone.",
        "The website took my payment but the booking does not show in my account.",
    ),
}
OPENERS = ("Hi,", "Hello,", "Good morning,", "")
MAX_SENTENCES = 4
SENTENCE_END = re.compile(r"[.?!](?=\s|$)")
CLOSERS = ("Thanks.", "Many thanks.", "Any help appreciated.", "Please let me know.", "")
CATEGORY_MIX = (("booking", 0.27), ("billing", 0.19), ("insurance", 0.11), ("clinical_question", 0.15),
                ("complaint", 0.10), ("facilities", 0.08), ("app_website", 0.10))
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


def ticket_sentences(rng: np.random.Generator, category: str, site: str, opened: pd.Timestamp) -> list[str]:
    """One to three sentences on the topic (now and then one drifting to another), maybe a sign-off."""
    n_core = int(rng.choice([1, 2, 3], p=[0.45, 0.4, 0.15]))
    picks = [category] * n_core
    if rng.random() < 0.12:  # people mention two things; keeps triage from being trivial
        other = [c for c in SENTENCES if c != category]
        picks[-1] = other[rng.integers(len(other))]
    earlier = opened - pd.Timedelta(days=int(rng.integers(2, 30)))
    amount_low = int(rng.integers(8, 16)) * 5
    fields = {
        "service": SERVICES[rng.integers(len(SERVICES))].name.lower(), "site": site,
        "weekday": WEEKDAY_NAMES[rng.integers(6)], "count": int(rng.integers(3, 7)),
        "day_month": f"{earlier.day} {MONTH_NAMES[earlier.month - 1]}",
        "amount": amount_low + 5 * int(rng.integers(1, 4)), "amount_low": amount_low,
    }
    chosen: list[str] = []
    for cat in picks:
        options = SENTENCES[cat]
        sentence = options[rng.integers(len(options))].format(**fields)
        if sentence not in chosen and sentence_count([*chosen, sentence]) <= MAX_SENTENCES:
            chosen.append(sentence)
    closer = CLOSERS[rng.integers(len(CLOSERS))]
    return [*chosen, closer] if closer and sentence_count(chosen) < MAX_SENTENCES else chosen


def sentence_count(parts: list[str]) -> int:
    """Sentences in the given pieces of text (a piece may hold two)."""
    return sum(len(SENTENCE_END.findall(p)) for p in parts)


def ticket_body(opener: str, sentences: list[str]) -> str:
    """The text as the customer sent it: an optional greeting, then one to four sentences."""
    first = sentences[0]
    if opener and not first.startswith("I "):
        first = first[0].lower() + first[1:]
    return " ".join([opener, first, *sentences[1:]]).strip()


def ticket_open_times(rng: np.random.Generator, n: int, start: date, last_day: pd.Timestamp) -> pd.Series:
    """Opening times from ``start`` up to ``last_day``, the day the helpdesk export stopped."""
    days = pd.date_range(start, last_day - pd.Timedelta(days=1), freq="D")
    weights = np.array([MONTH_FACTOR[d.month] * (0.35 if d.weekday() >= 5 else 1.0) for d in days])
    day = days[rng.choice(len(days), size=n - 1, p=weights / weights.sum())]
    minutes = rng.integers(7 * 60, 22 * 60, size=n - 1)
    opened = pd.Series(day) + pd.to_timedelta(minutes, "m")
    # Midnight on the last day: 120 whole days before as_of however the day count is taken.
    return pd.concat([opened, pd.Series([last_day])], ignore_index=True)


def make_tickets(rng: np.random.Generator, customers: pd.DataFrame, *, n: int = N_TICKETS,
                 start: date = WINDOW_START, as_of: date = AS_OF, first_number: int = 1) -> pd.DataFrame:
    """Helpdesk tickets from registered customers with a satisfaction score.

    The export stopped on the day of the last ticket, 120 days before ``as_of``, so a resolution
    after that day is not in it (blank resolved_at; ``_resolved_due`` keeps its time): every date
    in the table is at least 120 days before as_of.
    """
    export_stop = pd.Timestamp(as_of) - pd.Timedelta(days=STALE_DAYS)
    opened = ticket_open_times(rng, n, start, export_stop).sort_values(kind="mergesort").reset_index(drop=True)
    pool = customers.sort_values(["registered_at", "customer_id"], kind="mergesort")
    eligible = np.searchsorted(pool["registered_at"].to_numpy(), opened.dt.normalize().to_numpy(),
                               side="right")
    chosen = pool.iloc[np.floor(rng.random(n) * eligible).astype(int)]
    site = np.where(rng.random(n) < 0.88, chosen["home_site"].to_numpy(),
                    SITE_NAMES_ARRAY[rng.integers(len(SITES), size=n)])
    category = pick(rng, CATEGORY_MIX, n)
    high_share = np.select([category == "complaint", category == "clinical_question"], [0.45, 0.25], 0.08)
    u = rng.random(n)
    priority = np.where(u < 0.02, "urgent", np.where(u < high_share, "high",
                        np.where(rng.random(n) < 0.4, "low", "normal")))
    hours = rng.lognormal(np.where(category == "complaint", 3.6, 2.9), 1.0)
    due = (opened + pd.to_timedelta(np.round(hours * 60), "m")).dt.floor("min")
    resolved = due.where(due <= export_stop)
    score = 4.6 - 0.35 * np.log1p(hours / 24) - np.where(category == "complaint", 1.3, 0)
    satisfaction = np.clip(np.round(score + rng.normal(0, 0.8, n)), 1, 5).astype(int)
    sentences = [ticket_sentences(rng, c, s, o) for c, s, o in zip(category, site, opened, strict=True)]
    subjects = [SUBJECTS[c][rng.integers(len(SUBJECTS[c]))] for c in category]
    return pd.DataFrame({
        "ticket_id": [f"TK{i:05d}" for i in range(first_number, first_number + n)],
        "customer_id": chosen["customer_id"].to_numpy(),
        "site": site,
        "opened_at": opened,
        "channel": pick(rng, (("email", 0.38), ("phone", 0.30), ("web_form", 0.24), ("in_person", 0.08)), n),
        "category": category,
        "priority": priority,
        "subject": subjects,
        "body": "",
        "resolved_at": resolved,
        "satisfaction": satisfaction,
        "_opener": [OPENERS[i] for i in rng.integers(len(OPENERS), size=n)],
        "_sentences": sentences,
        "_resolved_due": due,
    })


# --------------------------------------------------------------------------- planted defects


@dataclass
class Ledger:
    """What was planted where, with exact counts, written out as planted.yaml."""

    defects: list[dict]
    personal_values: list[str]

    def add(self, id_: str, table: str, column: str | None, code: str, count: int, stage: str,
            description: str) -> None:
        self.defects.append({"id": id_, "table": table, "column": column, "code": code, "count": int(count),
                             "stage": stage, "description": description})


def reserve_customer_rows(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Disjoint row sets: near-duplicate sources, exact-duplicate sources, invalid emails."""
    shuffled = rng.permutation(N_BASE_CUSTOMERS)
    near = np.sort(shuffled[:N_NEAR_DUPLICATES])
    exact = np.sort(shuffled[N_NEAR_DUPLICATES:N_NEAR_DUPLICATES + N_EXACT_DUPLICATES])
    invalid = np.sort(shuffled[N_NEAR_DUPLICATES + N_EXACT_DUPLICATES:][:150])
    return near, exact, invalid


def plant_invalid_emails(customers: pd.DataFrame, rows: np.ndarray, ledger: Ledger) -> None:
    """Typos a front desk makes: no @, a comma for the dot, a space, a doubled @."""
    breakers = (
        ("missing @", lambda e: e.replace("@", "")),
        ("comma in domain", lambda e: e[::-1].replace(".", ",", 1)[::-1]),
        ("space", lambda e: e.replace(".", " ", 1) if "." in e.split("@")[0] else e.replace("@", " @")),
        ("double @@", lambda e: e.replace("@", "@@")),
    )
    sizes = (40, 40, 35, 35)
    kinds = np.repeat(np.arange(4), sizes)
    col = customers.columns.get_loc("email")
    for row, kind in zip(rows, kinds, strict=True):
        customers.iat[row, col] = breakers[kind][1](customers.iat[row, col])
    detail = ", ".join(f"{size} {name}" for (name, _), size in zip(breakers, sizes, strict=True))
    ledger.add("invalid_emails", "customers", "email", "DQ_INVALID_EMAIL", len(rows), "quality",
               f"Malformed addresses typed at the desk: {detail}.")


def near_duplicate_variant(rng: np.random.Generator, name: str, email: str) -> tuple[str, str]:
    """The same person typed again: name differs in case or spacing, email maybe in case."""
    first, _, last = name.partition(" ")
    name_variants = (name.upper(), name.lower(), f"{first}  {last}", f" {name} ", f"{name} ")
    new_name = name_variants[rng.integers(len(name_variants))]
    local, _, domain = email.partition("@")
    if rng.random() < 0.5:
        local = ".".join(p[:1].upper() + p[1:] for p in local.split("."))
    return new_name, f"{local}@{domain}"


def plant_near_duplicates(rng: np.random.Generator, customers: pd.DataFrame, rows: np.ndarray,
                          ledger: Ledger) -> pd.DataFrame:
    """Re-registered patients: a new customer_id, everything else equal up to case and spaces."""
    copies = customers.iloc[rows].copy()
    start = len(customers) + 1
    copies["customer_id"] = [f"C{i:05d}" for i in range(start, start + len(rows))]
    variants = [near_duplicate_variant(rng, n, e)
                for n, e in zip(copies["full_name"], copies["email"], strict=True)]
    copies["full_name"] = [v[0] for v in variants]
    copies["email"] = [v[1] for v in variants]
    copies["_source_id"] = customers["customer_id"].iloc[rows].to_numpy()
    ledger.add("near_duplicate_customers", "customers", None, "DQ_NEAR_DUPLICATE_RECORDS", len(rows),
               "quality",
               "Patients registered twice under a new customer_id; full_name and email differ only in case "
               "or surrounding/double spaces (emails stay valid), every other field is identical.")
    return pd.concat([customers, copies], ignore_index=True)


def plant_exact_duplicates(customers: pd.DataFrame, rows: np.ndarray, ledger: Ledger) -> pd.DataFrame:
    """Rows exported twice, verbatim, key included; each copy sits next to its original."""
    out = pd.concat([customers, customers.iloc[rows]], ignore_index=True)
    out = out.sort_values("customer_id", kind="mergesort").reset_index(drop=True)
    ledger.add("exact_duplicate_customers", "customers", None, "DQ_DUPLICATE_ROWS", len(rows), "quality",
               "Customer rows repeated verbatim (extra copies counted).")
    ledger.add("duplicate_customer_keys", "customers", "customer_id", "DQ_DUPLICATE_KEY", len(rows),
               "quality",
               "customer_id values appearing twice, from the verbatim repeats.")
    return out


def record_customer_facts(customers: pd.DataFrame, ledger: Ledger) -> None:
    """Defects that come from how the register was kept rather than from a single event."""
    record_phone_layouts(customers, ledger)
    record_register_facts(customers, ledger)


def record_phone_layouts(customers: pd.DataFrame, ledger: Ledger) -> None:
    """The front desks' four layouts of one mobile number."""
    layouts = customers["phone"].map(phone_layout).value_counts()
    ledger.add("mixed_phone_formats", "customers", "phone", "DQ_INCONSISTENT_FORMAT",
               len(customers) - int(layouts.max()), "quality",
               "Four layouts of the same mobile numbers; count is the values outside the most common one. "
               + ", ".join(f"{k}: {v}" for k, v in layouts.sort_index().items()) + ".")


def record_register_facts(customers: pd.DataFrame, ledger: Ledger) -> None:
    """The constant country, the gaps in gender and the title that gives gender away."""
    ledger.add("constant_country", "customers", "country", "DQ_CONSTANT_COLUMN", len(customers), "quality",
               "country is 'Ireland' on every row.")
    blank = int((customers["gender"] == "").sum())
    ledger.add("gender_not_given", "customers", "gender", "DQ_MISSING_VALUES", blank, "quality",
               "Gender left blank when not given (expected gaps, not an error).")
    gendered = customers["title"].isin(["Mr", "Ms", "Mrs", "Miss", "Mx"]) & (customers["gender"] != "")
    implied = customers["title"].map({"Mr": "M", "Ms": "F", "Mrs": "F", "Miss": "F", "Mx": "X"})
    agree = (implied[gendered] == customers.loc[gendered, "gender"]).mean()
    ledger.add("title_proxies_gender", "customers", "title", "ETH_PROXY", int(gendered.sum()), "ethics",
               f"title predicts gender: on the {int(gendered.sum())} rows with a gendered title and a stated "
               f"gender they agree {agree:.1%} of the time.")


def phone_layout(phone: str) -> str:
    """Which of the four desk layouts a stored phone number uses."""
    if phone.startswith("+353"):
        return "international"
    if phone.startswith("("):
        return "bracketed"
    return "dashed" if "-" in phone else "compact"


def move_to_near_duplicates(appointments: pd.DataFrame, near: pd.DataFrame) -> None:
    """Bookings made after re-registration use the new id (the later half of that person's visits)."""
    for source, new_id in zip(near["_source_id"], near["customer_id"], strict=True):
        rows = appointments.index[appointments["customer_id"] == source]
        later = rows[len(rows) // 2:]
        appointments.loc[later, "customer_id"] = new_id


def plant_orphans(rng: np.random.Generator, appointments: pd.DataFrame, ledger: Ledger) -> np.ndarray:
    """60 bookings of 15 patients whose records were erased from the register afterwards."""
    rows = np.sort(rng.choice(len(appointments), size=60, replace=False))
    ghost_ids = np.array([f"C{i:05d}" for i in rng.choice(np.arange(6001, 9999), size=15, replace=False)])
    appointments.loc[rows, "customer_id"] = np.repeat(ghost_ids, 4)[rng.permutation(60)]
    appointments.loc[rows, "age_band"] = np.array(AGE_BANDS, dtype=object)[rng.integers(5, size=60)]
    appointments.loc[rows, "gender"] = np.array(["F", "M"], dtype=object)[rng.integers(2, size=60)]
    ledger.add("orphan_appointments", "appointments", "customer_id", "DQ_ORPHAN_REFERENCE", 60, "quality",
               "Appointments of 15 customer_ids (4 each) that are not in customers.csv.")
    return rows


def plant_future_dates(rng: np.random.Generator, appointments: pd.DataFrame, ledger: Ledger) -> np.ndarray:
    """Year typed as 2027 instead of 2025 in both booked_at and starts_at (invoices kept the right date)."""
    in_2025 = np.flatnonzero((appointments["starts_at"].dt.year == 2025).to_numpy()
                             & (appointments["booked_at"].dt.year == 2025).to_numpy())
    rows = np.sort(rng.choice(in_2025, size=25, replace=False))
    for col in ("booked_at", "starts_at"):
        appointments.loc[rows, col] = appointments.loc[rows, col] + pd.DateOffset(years=2)
    ledger.add("future_appointments", "appointments", "starts_at", "DQ_FUTURE_DATE", 25, "quality",
               "Rows whose booked_at and starts_at are in 2027 (typo for 2025), after as_of.")
    return rows


def plant_missing_therapist(rng: np.random.Generator, appointments: pd.DataFrame) -> None:
    """Swords' front desk often skips the therapist field; other sites rarely do."""
    for site in SITE_NAMES:
        rows = np.flatnonzero((appointments["site"] == site).to_numpy())
        share = 0.35 if site == "Swords" else 0.01
        blank = rng.choice(rows, size=round(share * len(rows)), replace=False)
        appointments.loc[blank, "therapist_id"] = ""


def record_missing_therapist(appointments: pd.DataFrame, ledger: Ledger) -> None:
    """The blank therapist_id cells, by site as written."""
    blank = appointments["therapist_id"] == ""
    counts = {site: (int(blank[appointments["site"] == site].sum()), int((appointments["site"] == site).sum()))
              for site in SITE_NAMES}
    total = sum(b for b, _ in counts.values())
    detail = "; ".join(f"{s}: {b} of {n}" for s, (b, n) in counts.items())
    ledger.add("therapist_missing_swords", "appointments", "therapist_id", "DQ_MISSING_CONCENTRATED", total,
               "quality", f"therapist_id blank, concentrated at Swords ({detail}).")
    ledger.add("therapist_missing", "appointments", "therapist_id", "DQ_MISSING_VALUES", total, "quality",
               "Same blanks as above, seen as missing values.")


def record_appointment_facts(appointments: pd.DataFrame, ledger: Ledger) -> None:
    """Leakage and the age-band base-rate gap, measured on the rows as written."""
    fee = appointments["late_cancel_fee_eur"] > 0
    no_show = appointments["no_show"]
    ledger.add("late_cancel_fee_leak", "appointments", "late_cancel_fee_eur", "FEAS_LABEL_LEAKAGE",
               int(fee.sum()), "feasibility",
               f"Fee charged after the outcome: non-zero on {int((fee & no_show).sum())} of "
               f"{int(no_show.sum())} no-shows and on {int((fee & ~no_show).sum())} attended appointments.")
    rate = no_show.groupby(appointments["age_band"]).mean()
    young = int((appointments["age_band"] == "18-24").sum())
    ledger.add("no_show_age_gap", "appointments", "age_band", "ETH_BASE_RATE_DISPARITY", young, "ethics",
               f"No-show rate 18-24 is {rate['18-24']:.1%} against {rate['45-64']:.1%} for 45-64 "
               f"(ratio {rate['18-24'] / rate['45-64']:.2f}); count is the 18-24 rows.")
    blank = int((appointments["gender"] == "").sum())
    ledger.add("appointment_gender_not_given", "appointments", "gender", "DQ_MISSING_VALUES", blank,
               "quality",
               "Patient gender copied from the register, blank when not given.")


def plant_non_positive_amounts(rng: np.random.Generator, invoices: pd.DataFrame, *, refunds: int = 28,
                               zeros: int = 12) -> np.ndarray:
    """Refunds keyed as negative invoices and complimentary sessions invoiced at zero."""
    rows = np.sort(rng.choice(len(invoices), size=refunds + zeros, replace=False))
    refund_rows, zero_rows = rows[:refunds], rows[refunds:]
    invoices.loc[refund_rows, ["amount_eur", "vat_eur"]] *= -1
    invoices.loc[zero_rows, ["amount_eur", "vat_eur"]] = 0.0
    return rows


def record_non_positive_amounts(invoices: pd.DataFrame, ledger: Ledger) -> None:
    """Negative (refund) and zero (complimentary) amounts, as written."""
    negative, zero = int((invoices["amount_eur"] < 0).sum()), int((invoices["amount_eur"] == 0).sum())
    ledger.add("non_positive_invoices", "invoices", "amount_eur", "DQ_NON_POSITIVE_AMOUNT", negative + zero,
               "quality", f"{negative} refunds entered as negative amounts and {zero} complimentary sessions at 0,00.")


def plant_blank_vat(rng: np.random.Generator, invoices: pd.DataFrame, avoid: np.ndarray, *,
                    size: int = 30) -> np.ndarray:
    """Rows whose VAT cell the export writes as a single space (applied when formatting)."""
    return np.sort(rng.choice(np.setdiff1d(np.arange(len(invoices)), avoid), size=size, replace=False))


def record_blank_vat(count: int, ledger: Ledger) -> None:
    """The VAT cells written as a single space."""
    ledger.add("vat_blank_as_space", "invoices", "vat_eur", "DQ_NUMBER_AS_TEXT", count, "quality",
               f"vat_eur holds a single space on {count} rows, so the column reads as text.")


def old_site_date_rows(invoices: pd.DataFrame) -> np.ndarray:
    """Dun Laoghaire's invoices from before its move to the new accounting package (October 2024)."""
    mask = (invoices["site"] == "Dun Laoghaire") & (invoices["issued_on"] < pd.Timestamp("2024-10-01"))
    return np.flatnonzero(mask.to_numpy())


def format_issued_on(rng: np.random.Generator, invoices: pd.DataFrame, ledger: Ledger) -> pd.Series:
    """ISO dates, except the old Dun Laoghaire rows: 14/03/2025 mostly, 14 Mar 2025 sometimes."""
    text = iso_date(invoices["issued_on"]).to_numpy(dtype=object)
    rows = old_site_date_rows(invoices)
    days = invoices["issued_on"].iloc[rows]
    slash = days.dt.strftime("%d/%m/%Y")
    spelled = days.map(lambda d: f"{d.day:02d} {MONTH_ABBR[d.month - 1]} {d.year}")
    use_slash = rng.random(len(rows)) < 0.8
    text[rows] = np.where(use_slash, slash, spelled)
    ledger.add("mixed_issue_date_formats", "invoices", "issued_on", "DQ_MIXED_DATE_FORMATS", len(rows),
               "quality", f"Dun Laoghaire invoices before 2024-10-01 use dd/mm/yyyy ({int(use_slash.sum())})"
               f" or 'dd Mon yyyy' ({int((~use_slash).sum())}); all others ISO.")
    return pd.Series(text, index=invoices.index)


def plant_ticket_pii(rng: np.random.Generator, tickets: pd.DataFrame, customers: pd.DataFrame,
                     invalid_rows: np.ndarray, ledger: Ledger, size: int = 40) -> None:
    """Customers typing their own phone number or email into the ticket text (as its last sentence).

    The ledger's entries count every value in ``ledger.personal_values`` (earlier ones included).
    """
    rows = np.sort(rng.choice(len(tickets), size=size, replace=False))
    phone_templates = ("Please call me on {v}.", "You can reach me on {v} after 5pm.", "My mobile is {v}.")
    email_templates = ("My email is {v} if that is easier.", "Please send the receipt to {v}.")
    person = customers.set_index("customer_id")
    invalid_ids = set(customers["customer_id"].iloc[invalid_rows])
    for i, row in enumerate(rows):
        cid = tickets.at[row, "customer_id"]
        use_email = i % 5 in (1, 3) and cid not in invalid_ids
        d = person.at[cid, "_phone_digits"]
        spoken = (f"{d[:3]} {d[3:6]} {d[6:]}", d, f"+353 {d[1:3]} {d[3:6]} {d[6:]}")
        value = person.at[cid, "email"] if use_email else spoken[i % 3]
        templates = email_templates if use_email else phone_templates
        sentence = templates[rng.integers(len(templates))].format(v=value)
        parts = list(tickets.at[row, "_sentences"])
        while sentence_count(parts) >= MAX_SENTENCES:
            parts.pop()
        # Before the sign-off, if there is one: "... Please call me on 087 ... Thanks."
        at = len(parts) - 1 if len(parts) > 1 and parts[-1] in CLOSERS else len(parts)
        tickets.at[row, "_sentences"] = [*parts[:at], sentence, *parts[at:]]
        ledger.personal_values.append(value)
    total = len(ledger.personal_values)
    n_email = sum("@" in v for v in ledger.personal_values)
    ledger.add("pii_in_ticket_text", "support_tickets", "body", "DQ_PII_IN_TEXT", total, "quality",
               f"Ticket bodies holding the customer's own phone number ({total - n_email}) or "
               f"email address ({n_email}).")
    ledger.add("pii_in_ticket_text_ethics", "support_tickets", "body", "ETH_PII_IN_TEXT", total, "ethics",
               "The same ticket bodies, as the ethics stage's personal-data scan reports them.")


def record_ticket_facts(tickets: pd.DataFrame, ledger: Ledger, as_of: date = AS_OF) -> None:
    """The helpdesk export stopped early: the table is stale against as_of."""
    newest = tickets["opened_at"].max()
    ledger.add("stale_tickets", "support_tickets", "opened_at", "DQ_STALE_TABLE", 1, "quality",
               f"Newest opened_at is {newest:%Y-%m-%dT%H:%M:%S}, {(pd.Timestamp(as_of) - newest).days} days "
               "before as_of (freshness_days is 90); count is the one table.")


def record_invoice_facts(invoices: pd.DataFrame, orphan_ids: set[str], ledger: Ledger) -> None:
    """Consequences visible in invoices: orphans carried over, and unpaid (blank) paid_on."""
    orphans = int(invoices["customer_id"].isin(orphan_ids).sum())
    ledger.add("orphan_invoices", "invoices", "customer_id", "DQ_ORPHAN_REFERENCE", orphans, "quality",
               "Invoices of the attended orphan appointments carry the same unknown customer_ids.")
    record_unpaid_invoices(invoices, ledger)


def record_unpaid_invoices(invoices: pd.DataFrame, ledger: Ledger) -> None:
    """Blank paid_on: insurers and bank transfers that had not paid by as_of."""
    unpaid = int(invoices["paid_on"].isna().sum())
    ledger.add("unpaid_invoices", "invoices", "paid_on", "DQ_MISSING_VALUES", unpaid, "quality",
               "paid_on blank where an insurer or bank transfer had not paid by as_of (expected gaps).")


# --------------------------------------------------------------------------- output


CLEAN_COLUMNS = {
    "customers": ["title", "date_of_birth", "age_band", "home_site", "registered_at", "referral_source",
                  "marketing_opt_in"],
    "appointments": ["appointment_id", "site", "service", "duration_min", "price_eur", "channel",
                     "reminder_sent", "no_show", "late_cancel_fee_eur", "age_band"],
    "invoices": ["invoice_id", "appointment_id", "site", "payment_method"],
    "support_tickets": ["ticket_id", "customer_id", "site", "channel", "category", "priority", "subject",
                        "resolved_at", "satisfaction"],
}


def customers_for_csv(customers: pd.DataFrame) -> pd.DataFrame:
    """The register as exported: helper columns dropped, dates and flags as text."""
    out = customers.drop(columns=[c for c in customers.columns if c.startswith("_")])
    return out.assign(date_of_birth=iso_date(out["date_of_birth"]),
                      registered_at=iso_date(out["registered_at"]),
                      marketing_opt_in=bool_text(out["marketing_opt_in"]),
                      churned=out["churned"].map({True: "true", False: "false"}).fillna(""))


def appointments_for_csv(appointments: pd.DataFrame) -> pd.DataFrame:
    """The booking export: ISO datetimes, amounts with two decimals, lower-case booleans."""
    cols = ["appointment_id", "customer_id", "site", "therapist_id", "service", "booked_at", "starts_at",
            "duration_min", "price_eur", "channel", "reminder_sent", "no_show", "late_cancel_fee_eur",
            "age_band", "gender"]
    out = appointments[cols].sort_values("appointment_id", kind="mergesort")
    return out.assign(booked_at=iso_datetime(out["booked_at"]), starts_at=iso_datetime(out["starts_at"]),
                      price_eur=money(out["price_eur"]),
                      late_cancel_fee_eur=money(out["late_cancel_fee_eur"]),
                      reminder_sent=bool_text(out["reminder_sent"]), no_show=bool_text(out["no_show"]))


def invoices_for_csv(invoices: pd.DataFrame, issued_text: pd.Series, blank_vat: np.ndarray) -> pd.DataFrame:
    """The accounting export: decimal commas, the planted blank VAT cells and date formats."""
    vat = money(invoices["vat_eur"] + 0.0, decimal=",")
    vat.iloc[blank_vat] = " "
    out = invoices.drop(columns=helper_columns(invoices))
    return out.assign(issued_on=issued_text, amount_eur=money(out["amount_eur"] + 0.0, decimal=","),
                      vat_eur=vat, paid_on=iso_date(out["paid_on"]).fillna(""))


def tickets_for_csv(tickets: pd.DataFrame) -> pd.DataFrame:
    """The helpdesk export: bodies assembled from their sentences."""
    body = [ticket_body(o, s) for o, s in zip(tickets["_opener"], tickets["_sentences"], strict=True)]
    out = tickets.drop(columns=helper_columns(tickets)).assign(body=body)
    return out.assign(opened_at=iso_datetime(out["opened_at"]), resolved_at=iso_datetime(out["resolved_at"]))


PLANTED_HEADER = ("# Written by generate.py: every defect and bias planted in the Harbour Physio sample,\n"
                  "# with exact counts taken from the files as written. Do not edit by hand.\n")
TABLE_ORDER = ("customers", "appointments", "invoices", "support_tickets")


def write_planted(ledger: Ledger, path: Path, *, as_of: date = AS_OF, seed: int = SEED,
                  header: str = PLANTED_HEADER, changes: dict | None = None) -> Path:
    """planted.yaml, defects grouped by table in the order they were planted (and what changed, if given)."""
    defects = sorted(ledger.defects, key=lambda d: TABLE_ORDER.index(d["table"]))  # stable: keeps plant order
    doc = {"as_of": as_of, "seed": seed, "defects": defects, "personal_values": ledger.personal_values,
           "clean_columns": CLEAN_COLUMNS}
    if changes is not None:
        doc["changes"] = changes
    return write_yaml(doc, path, header)


def write_yaml(doc: dict, path: Path, header: str) -> Path:
    """A YAML document under a comment header, keys in the given order, UTF-8 with ``\\n`` line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(header + body)
    return path


# --------------------------------------------------------------------------- the first extract


@dataclass
class FirstExtract:
    """The first extract in memory, as written, and what the later extract needs to repair it."""

    register: pd.DataFrame  # customers as exported, with the helper columns
    appointments: pd.DataFrame
    invoices: pd.DataFrame
    issued_text: pd.Series
    blank_vat: np.ndarray
    tickets: pd.DataFrame
    ledger: Ledger
    valid_emails: dict[str, str]  # customer_id -> the address before the desk's typo
    near_sources: dict[str, str]  # id of a re-registration -> id of the person's first registration
    orphan_rows: np.ndarray
    future_rows: np.ndarray


def build_first(rng: np.random.Generator) -> FirstExtract:
    """Make the clean tables and plant the defects in a fixed order (the order fixes every draw)."""
    ledger = Ledger(defects=[], personal_values=[])
    customers = make_customers(rng)
    near_rows, exact_rows, invalid_rows = reserve_customer_rows(rng)
    valid_emails = dict(zip(customers["customer_id"].iloc[invalid_rows], customers["email"].iloc[invalid_rows],
                            strict=True))
    plant_invalid_emails(customers, invalid_rows, ledger)
    appointments = make_appointments(rng, customers)
    add_churn_columns(customers, appointments)
    tickets = make_tickets(rng, customers)
    plant_ticket_pii(rng, tickets, customers, invalid_rows, ledger)
    register = plant_near_duplicates(rng, customers, near_rows, ledger)
    near = register.iloc[N_BASE_CUSTOMERS:]
    move_to_near_duplicates(appointments, near)
    register = plant_exact_duplicates(register.drop(columns="_source_id"), exact_rows, ledger)
    record_customer_facts(register, ledger)

    orphan_rows = plant_orphans(rng, appointments, ledger)
    invoices = make_invoices(rng, appointments)
    future_rows = plant_future_dates(rng, appointments, ledger)
    plant_missing_therapist(rng, appointments)
    record_missing_therapist(appointments, ledger)
    record_appointment_facts(appointments, ledger)

    avoid = plant_non_positive_amounts(rng, invoices)
    record_non_positive_amounts(invoices, ledger)
    blank_vat = plant_blank_vat(rng, invoices, avoid)
    record_blank_vat(len(blank_vat), ledger)
    issued_text = format_issued_on(rng, invoices, ledger)
    record_invoice_facts(invoices, set(appointments.loc[orphan_rows, "customer_id"]), ledger)
    record_ticket_facts(tickets, ledger)
    return FirstExtract(register, appointments, invoices, issued_text, blank_vat, tickets, ledger, valid_emails,
                        dict(zip(near["customer_id"], near["_source_id"], strict=True)), orphan_rows, future_rows)


def write_first(first: FirstExtract, out_dir: Path) -> dict[str, Path]:
    """The first extract's four tables and its planted.yaml."""
    return {
        "customers": write_csv(customers_for_csv(first.register), out_dir / "customers.csv"),
        "appointments": write_csv(appointments_for_csv(first.appointments), out_dir / "appointments.csv"),
        "invoices": write_csv(invoices_for_csv(first.invoices, first.issued_text, first.blank_vat),
                              out_dir / "invoices.csv", sep=";"),
        "support_tickets": write_csv(tickets_for_csv(first.tickets), out_dir / "support_tickets.csv"),
        "planted": write_planted(first.ledger, out_dir / "planted.yaml"),
    }


# --------------------------------------------------------------------------- the later extract

LATER_HEADER = ("# Written by generate.py --later: every defect and bias still planted in the later extract\n"
                "# (as_of 2026-12-31), with exact counts taken from the files as written, and under `changes`\n"
                "# what was fixed since the first extract (../planted.yaml) and what is new. Do not edit by hand.\n")


@dataclass
class LaterExtract:
    """The extract six months on: typed tables (helper columns kept), their export text, the ledger."""

    register: pd.DataFrame
    persons: pd.DataFrame  # one row per real patient, under the id they book with now
    appointments: pd.DataFrame
    invoices: pd.DataFrame
    invoices_text: pd.DataFrame
    tickets: pd.DataFrame
    tickets_text: pd.DataFrame
    ledger: Ledger
    changes: dict


def build_later(first: FirstExtract, rng: np.random.Generator) -> LaterExtract:
    """Repair four of the first extract's defects, keep the rest, add six months and one new defect."""
    ledger = Ledger(defects=[], personal_values=list(first.ledger.personal_values))
    register = repaired_register(first)
    newcomers = make_customers(rng, n=N_NEW_CUSTOMERS, as_of=LATER_AS_OF, since=LATER_START,
                               taken=taken_by(register))
    register = pd.concat([register, newcomers[register.columns.drop(["visits_12m", "months_registered",
                                                                      "churned"])]], ignore_index=True)
    register["phone"] = [format_phone(d[:3], d[3:], "international") for d in register["_phone_digits"]]
    register["age_band"] = age_band(age_at(register["date_of_birth"], LATER_AS_OF))
    persons = booking_persons(register, first.near_sources)
    new_appointments = make_appointments(rng, persons, start=LATER_START, end=LATER_AS_OF,
                                         first_number=len(first.appointments) + 1)
    plant_missing_therapist(rng, new_appointments)
    appointments = pd.concat([repaired_appointments(first), new_appointments], ignore_index=True)
    appointments = copy_register_fields(appointments, register)
    add_later_churn(register, appointments, first.near_sources)
    invoices, invoices_text = later_invoices(rng, first, new_appointments)
    tickets = later_tickets(rng, first, persons, ledger)
    tickets_text = tickets_for_csv(tickets).assign(opened_at=format_opened_at(tickets))
    record_later_facts(register, appointments, invoices, invoices_text, tickets, ledger)
    return LaterExtract(register, persons, appointments, invoices, invoices_text, tickets, tickets_text, ledger,
                        changes_since(first.ledger, ledger))


def repaired_register(first: FirstExtract) -> pd.DataFrame:
    """The first register with the desk's e-mail typos corrected (phones are rewritten later for all)."""
    register = first.register.copy()
    register["email"] = register["customer_id"].map(first.valid_emails).fillna(register["email"])
    return register


def taken_by(register: pd.DataFrame) -> Taken:
    """The numbers, addresses and phones new patients must not reuse."""
    last = int(register["customer_id"].str[1:].astype(int).max())
    return Taken(next_number=last + 1, emails=frozenset(register["email"].str.lower()),
                 phones=frozenset(register["_phone_digits"]))


def booking_persons(register: pd.DataFrame, near_sources: dict[str, str]) -> pd.DataFrame:
    """One row per real patient: exact repeats dropped, re-registered patients under their new id."""
    persons = register.drop_duplicates("customer_id")
    return persons[~persons["customer_id"].isin(set(near_sources.values()))].reset_index(drop=True)


def repaired_appointments(first: FirstExtract) -> pd.DataFrame:
    """The first extract's bookings, the erased patients' ones deleted and the 2027 typos corrected."""
    appointments = first.appointments.copy()
    typo = np.setdiff1d(first.future_rows, first.orphan_rows)
    appointments.loc[typo, "starts_at"] = appointments.loc[typo, "_true_starts_at"]
    appointments.loc[typo, "booked_at"] = appointments.loc[typo, "booked_at"] - pd.DateOffset(years=2)
    return appointments.drop(index=first.orphan_rows)


def copy_register_fields(appointments: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Age band and gender copied from the register on export (bands as of the later as_of)."""
    person = register.drop_duplicates("customer_id").set_index("customer_id")
    ids = appointments["customer_id"]
    return appointments.assign(age_band=ids.map(person["age_band"]), gender=ids.map(person["gender"]))


def add_later_churn(register: pd.DataFrame, appointments: pd.DataFrame, near_sources: dict[str, str]) -> None:
    """Churn label and features as of the later as_of, per person (a re-registration shares its person's)."""
    def person_of(ids: pd.Series) -> pd.Series:
        return ids.map(near_sources).fillna(ids)

    persons = register.drop_duplicates("customer_id")
    persons = persons[~persons["customer_id"].isin(set(near_sources))].copy()
    add_churn_columns(persons, appointments.assign(customer_id=person_of(appointments["customer_id"])),
                      LATER_AS_OF)
    by_person = persons.set_index("customer_id")
    key = person_of(register["customer_id"])
    register["visits_12m"] = key.map(by_person["visits_12m"]).astype(int)
    register["months_registered"] = key.map(by_person["months_registered"]).astype("Int64")
    register["churned"] = key.map(by_person["churned"]).astype("boolean")


def later_invoices(rng: np.random.Generator, first: FirstExtract,
                   new_appointments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first invoices (erased patients' deleted, payments since caught up) and six months more.

    The accounting habits stay: a few refunds keyed as negative invoices, complimentary sessions at
    zero and VAT cells written as a space. Returns the typed invoices and their export text.
    """
    old = first.invoices.copy()
    old["paid_on"] = old["_paid_due"].where(old["_paid_due"] <= pd.Timestamp(LATER_AS_OF))
    erased = old["appointment_id"].isin(set(first.appointments.loc[first.orphan_rows, "appointment_id"]))
    old_text = invoices_for_csv(old, first.issued_text, first.blank_vat)
    new = make_invoices(rng, new_appointments, as_of=LATER_AS_OF, first_number=len(old) + 1)
    avoid = plant_non_positive_amounts(rng, new, refunds=8, zeros=3)
    blank_vat = plant_blank_vat(rng, new, avoid, size=8)
    new_text = invoices_for_csv(new, iso_date(new["issued_on"]), blank_vat)
    return (pd.concat([old[~erased], new], ignore_index=True),
            pd.concat([old_text[~erased], new_text], ignore_index=True))


def later_tickets(rng: np.random.Generator, first: FirstExtract, persons: pd.DataFrame,
                  ledger: Ledger) -> pd.DataFrame:
    """The first tickets (resolutions since caught up) and six months more; the export still stops early."""
    old = first.tickets.copy()
    export_stop = pd.Timestamp(LATER_AS_OF) - pd.Timedelta(days=STALE_DAYS)
    old["resolved_at"] = old["_resolved_due"].where(old["_resolved_due"] <= export_stop)
    new = make_tickets(rng, persons, n=N_NEW_TICKETS, start=first.tickets["opened_at"].max().date(),
                       as_of=LATER_AS_OF, first_number=len(old) + 1)
    plant_ticket_pii(rng, new, persons, np.array([], dtype=int), ledger, size=N_NEW_TICKET_PII)
    return pd.concat([old, new], ignore_index=True)


def format_opened_at(tickets: pd.DataFrame) -> pd.Series:
    """ISO, except tickets opened in the new helpdesk tool (from July 2026): ``14/07/2026 09:15``."""
    text = iso_datetime(tickets["opened_at"])
    new_tool = tickets["opened_at"] >= pd.Timestamp(HELPDESK_TOOL_START)
    text[new_tool] = tickets.loc[new_tool, "opened_at"].dt.strftime("%d/%m/%Y %H:%M")
    return text


def record_later_facts(register: pd.DataFrame, appointments: pd.DataFrame, invoices: pd.DataFrame,
                       invoices_text: pd.DataFrame, tickets: pd.DataFrame, ledger: Ledger) -> None:
    """Every defect still in the later extract, counted from the tables as written, plus the new one."""
    record_register_duplicates(register, ledger)
    record_register_facts(register, ledger)
    record_missing_therapist(appointments, ledger)
    record_appointment_facts(appointments, ledger)
    record_non_positive_amounts(invoices, ledger)
    record_blank_vat(int((invoices_text["vat_eur"] == " ").sum()), ledger)
    record_issue_date_formats(invoices_text["issued_on"], ledger)
    record_unpaid_invoices(invoices, ledger)
    record_ticket_facts(tickets, ledger, LATER_AS_OF)
    new_tool = int((tickets["opened_at"] >= pd.Timestamp(HELPDESK_TOOL_START)).sum())
    ledger.add("mixed_open_date_formats", "support_tickets", "opened_at", "DQ_MIXED_DATE_FORMATS", new_tool,
               "quality", f"NEW: tickets opened in the new helpdesk tool (from {HELPDESK_TOOL_START.isoformat()}) "
               f"write opened_at as dd/mm/yyyy HH:MM ({new_tool}); the older ones stay ISO.")


def record_register_duplicates(register: pd.DataFrame, ledger: Ledger) -> None:
    """Re-registered patients and verbatim repeats, counted as the quality stage counts them."""
    text = customers_for_csv(register)
    exact = int(text.duplicated().sum())
    folded = text.drop(columns="customer_id").astype(str).apply(lambda c: c.str.lower().str.split().str.join(" "))
    near = int(folded.duplicated().sum()) - exact
    ledger.add("near_duplicate_customers", "customers", None, "DQ_NEAR_DUPLICATE_RECORDS", near, "quality",
               "Patients registered twice under a new customer_id; full_name and email differ only in case "
               "or surrounding/double spaces (emails stay valid), every other field is identical.")
    ledger.add("exact_duplicate_customers", "customers", None, "DQ_DUPLICATE_ROWS", exact, "quality",
               "Customer rows repeated verbatim (extra copies counted).")
    ledger.add("duplicate_customer_keys", "customers", "customer_id", "DQ_DUPLICATE_KEY",
               int(text["customer_id"].duplicated().sum()), "quality",
               "customer_id values appearing twice, from the verbatim repeats.")


def record_issue_date_formats(issued_text: pd.Series, ledger: Ledger) -> None:
    """Dun Laoghaire's old invoices, still in their pre-October-2024 date layouts."""
    slash = int(issued_text.str.fullmatch(r"\d{2}/\d{2}/\d{4}").sum())
    spelled = int(issued_text.str.fullmatch(r"\d{2} [A-Z][a-z]{2} \d{4}").sum())
    ledger.add("mixed_issue_date_formats", "invoices", "issued_on", "DQ_MIXED_DATE_FORMATS", slash + spelled,
               "quality", f"Dun Laoghaire invoices before 2024-10-01 use dd/mm/yyyy ({slash}) or 'dd Mon yyyy' "
               f"({spelled}); all others ISO.")


# Defects of the first extract found on a second column without an entry of their own in its ledger.
SIDE_EFFECTS = {("DQ_FUTURE_DATE", "appointments", "starts_at"): ("DQ_FUTURE_DATE", "appointments", "booked_at")}


def changes_since(before: Ledger, after: Ledger) -> dict:
    """What a comparison of the two extracts' findings should show: (code, table, column) gone, and new."""
    def where(d: dict) -> tuple[str, str, str | None]:
        return d["code"], d["table"], d["column"]

    now = {where(d) for d in after.defects}
    then = {where(d) for d in before.defects}
    gone = [w for w in dict.fromkeys(map(where, before.defects)) if w not in now]
    gone = [x for w in gone for x in (w, SIDE_EFFECTS.get(w)) if x is not None]
    fixed = [{"code": c, "table": t, "column": col} for c, t, col in gone]
    new = [{"code": d["code"], "table": d["table"], "column": d["column"], "count": d["count"]}
           for d in after.defects if where(d) not in then]
    return {"fixed": fixed, "new": new}


def write_later(later: LaterExtract, out_dir: Path) -> dict[str, Path]:
    """later/: the four tables as the clinic exported them on 2026-12-31, and their planted.yaml."""
    return {
        "later/customers": write_csv(customers_for_csv(later.register), out_dir / "customers.csv"),
        "later/appointments": write_csv(appointments_for_csv(later.appointments), out_dir / "appointments.csv"),
        "later/invoices": write_csv(later.invoices_text, out_dir / "invoices.csv", sep=";"),
        "later/support_tickets": write_csv(later.tickets_text, out_dir / "support_tickets.csv"),
        "later/planted": write_planted(later.ledger, out_dir / "planted.yaml", as_of=LATER_AS_OF, seed=LATER_SEED,
                                       header=LATER_HEADER, changes=later.changes),
    }


# --------------------------------------------------------------------------- the no-show pilot

PILOT_HEADER = ("# Written by generate.py --pilot: the drift and calibration planted in the no-show pilot's\n"
                "# decision log (no_show_pilot.csv), with figures computed from the files as written. Do not edit.\n")
PILOT_COLUMNS = ("appointment_id", "customer_id", "decided_at", "score", "decision", "no_show", "site", "service",
                 "channel", "duration_min", "price_eur", "reminder_sent", "age_band", "gender")
# Features compared with the assessed extract: each value of a category a bin, numbers cut at their deciles.
DRIFT_FEATURES = {"site": "category", "service": "category", "channel": "category", "duration_min": "deciles",
                  "price_eur": "deciles", "reminder_sent": "category", "age_band": "category", "gender": "category"}
PLANTED_DRIFT = ("channel", "age_band")


def drift_reasons(reference: pd.DataFrame) -> dict[str, str]:
    """Why a feature moved: the two planted shifts, and the two that follow from them or from the prices."""
    risen = (reference["starts_at"] >= pd.Timestamp("2025-09-01")).mean()
    return {
        "channel": f"PLANTED: the booking app launched with the pilot; {PILOT_WEB_SHIFT:.0%} of the bookings that "
                   "would have come by phone or walk-in come through it (web).",
        "age_band": f"PLANTED: a student partnership from January 2027; patients aged 18-24 book "
                    f"{PILOT_YOUNG_BOOST:g} times as often.",
        "reminder_sent": "Not planted, follows channel: web bookings get an SMS reminder 96% of the time, phone "
                         "bookings 75%, walk-ins never.",
        "price_eur": "Not planted, follows the price rise of September 2025: every pilot price includes it, "
                     f"against {risen:.0%} of the assessed rows.",
    }


def build_pilot(first: FirstExtract, later: LaterExtract, rng: np.random.Generator) -> pd.DataFrame:
    """The pilot's decisions, one row per appointment, in the order they were taken (typed).

    The model scores every booking with the risk it learned on the assessed extract (calibrated
    there). The pilot ran in shadow mode (decisions logged, nobody called), so ``no_show`` is the
    untreated outcome. Saturday sessions were left out (no reception staff to act on a score).
    Planted: more app (web) bookings, more patients aged 18-24, and app bookings that no-show more
    than the model expects.
    """
    pool = later.persons.copy()
    pool["_activity"] = pool["_activity"] * np.where(pool["age_band"] == "18-24", PILOT_YOUNG_BOOST, 1.0)
    frame = draw_bookings(rng, pool, start=PILOT_START, end=PILOT_END, web_shift=PILOT_WEB_SHIFT)
    frame["_model_p"] = model_probability(frame, first.appointments)
    true_p = np.clip(frame["_model_p"] * np.where(frame["channel"] == "web", PILOT_WEB_RISK, 1.0), 0, 0.8)
    frame = draw_outcomes(rng, frame, true_p.to_numpy())
    frame = number_appointments(frame, last_appointment_number(later.appointments) + 1)
    frame["score"] = model_scores(rng, frame["_model_p"].to_numpy())
    frame["decision"] = (frame["score"] >= PILOT_THRESHOLD).astype(int)
    frame["decided_at"] = decision_times(frame)
    frame = frame[frame["starts_at"].dt.weekday < 5]
    return frame.sort_values(["decided_at", "appointment_id"], kind="mergesort").reset_index(drop=True)


def last_appointment_number(appointments: pd.DataFrame) -> int:
    """The number in the newest appointment id (``A076321`` -> 76321)."""
    return int(appointments["appointment_id"].str[1:].astype(int).max())


def model_probability(frame: pd.DataFrame, reference: pd.DataFrame) -> np.ndarray:
    """The no-show risk the model learned: relative risk scaled to the assessed extract's no-show rate."""
    scale = reference["no_show"].mean() / no_show_risk(reference).mean()
    return np.clip(no_show_risk(frame) * scale, 0.001, 0.7)


def model_scores(rng: np.random.Generator, probability: np.ndarray) -> np.ndarray:
    """The model's estimate: the learned risk with its error on the logit scale, to four decimals."""
    logit = np.log(probability / (1 - probability)) + rng.normal(0, PILOT_SCORE_NOISE, len(probability))
    return np.round(1 / (1 + np.exp(-logit)), 4)


def decision_times(frame: pd.DataFrame) -> pd.Series:
    """The 07:00 batch the day before the visit, or the booking itself when it came later (or the start)."""
    batch = frame["starts_at"].dt.normalize() - pd.Timedelta(days=1) + pd.Timedelta(hours=7)
    first_batch = pd.Timestamp(PILOT_START) + pd.Timedelta(hours=7)
    return batch.where(batch >= frame["booked_at"], frame["booked_at"]).clip(lower=first_batch)


def pilot_for_csv(pilot: pd.DataFrame) -> pd.DataFrame:
    """The decision log as exported: ISO datetimes, four-decimal scores, 0/1 decisions, true/false outcomes."""
    out = pilot[list(PILOT_COLUMNS)]
    return out.assign(decided_at=iso_datetime(out["decided_at"]), score=out["score"].map(lambda v: f"{v:.4f}"),
                      decision=out["decision"].astype(str), no_show=bool_text(out["no_show"]),
                      price_eur=money(out["price_eur"]), reminder_sent=bool_text(out["reminder_sent"]))


def population_stability(reference: pd.Series, current: pd.Series, kind: str) -> dict:
    """PSI = sum over bins of (current - reference share) x ln(current / reference share).

    ``category``: each value is a bin; ``deciles``: bins cut at the reference's deciles (numpy's
    default interpolation, repeated edges merged), right-closed. Shares are floored at ``PSI_FLOOR``
    (the same reading as ``readiness.pilot``'s drift table).
    """
    if kind == "deciles":
        ref, cur = reference.astype(float), current.astype(float)
        edges = np.unique(np.quantile(ref, np.linspace(0.1, 0.9, 9)))
        labels = [f"<= {e:g}" for e in edges] + [f"> {edges[-1]:g}"]
        reference = pd.Series(np.array(labels)[np.searchsorted(edges, ref, side="left")])
        current = pd.Series(np.array(labels)[np.searchsorted(edges, cur, side="left")])
    bins = sorted(set(reference) | set(current))
    ref_share = reference.value_counts(normalize=True).reindex(bins, fill_value=0.0)
    cur_share = current.value_counts(normalize=True).reindex(bins, fill_value=0.0)
    p, q = np.maximum(cur_share.to_numpy(), PSI_FLOOR), np.maximum(ref_share.to_numpy(), PSI_FLOOR)
    return {"psi": round(float(np.sum((p - q) * np.log(p / q))), 4),
            "reference_shares": {str(b): round(float(v), 4) for b, v in ref_share.items()},
            "pilot_shares": {str(b): round(float(v), 4) for b, v in cur_share.items()}}


def psi_band(psi: float) -> str:
    """The usual reading: under 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 significant shift."""
    return "stable" if psi < 0.1 else "moderate" if psi <= 0.25 else "significant"


def drift_facts(reference: pd.DataFrame, pilot: pd.DataFrame) -> dict:
    """PSI of every model input, pilot against the assessed extract (as written), with the shares behind it."""
    reference_text, pilot_text, why = appointments_for_csv(reference), pilot_for_csv(pilot), drift_reasons(reference)
    features = {}
    for name, kind in DRIFT_FEATURES.items():
        found = population_stability(reference_text[name], pilot_text[name], kind)
        entry = {"psi": found["psi"], "band": psi_band(found["psi"]), "planted": name in PLANTED_DRIFT, "bins": kind}
        if name in why:
            entry.update(why=why[name], reference_shares=found["reference_shares"],
                         pilot_shares=found["pilot_shares"])
        features[name] = entry
    return {"reference": "../appointments.csv (the assessed extract, as_of 2026-06-30)",
            "method": "PSI = sum over bins of (pilot share - reference share) * ln(pilot share / reference share); "
                      "each value of a category is a bin (a blank gender too), numbers (duration_min, price_eur) "
                      "are cut at the reference's deciles (numpy's default quantiles, repeated edges merged, "
                      f"right-closed); shares floored at {PSI_FLOOR:g}. Bands: < 0.1 stable, 0.1-0.25 moderate, "
                      "> 0.25 significant.",
            "planted": list(PLANTED_DRIFT), "features": features}


def outcome_facts(pilot: pd.DataFrame, reference: pd.DataFrame) -> dict:
    """Realised no-show rate, how well the scores discriminate, how far their calibration slipped."""
    score, outcome, decision = pilot["score"], pilot["no_show"], pilot["decision"] == 1
    by_channel = {c: {"rows": int(g.sum()), "mean_score": round(float(score[g].mean()), 4),
                      "positive_rate": round(float(outcome[g].mean()), 4)}
                  for c in CHANNELS for g in [pilot["channel"] == c]}
    true_pos = int((decision & outcome).sum())
    return {
        "positives": int(outcome.sum()), "positive_rate": round(float(outcome.mean()), 4),
        "mean_score": round(float(score.mean()), 4),
        "observed_to_expected": round(float(outcome.mean() / score.mean()), 4),
        "reference_observed_to_expected": round(float(reference["no_show"].mean()
                                                      / model_probability(reference, reference).mean()), 4),
        "brier": round(float(((score - outcome) ** 2).mean()), 4), "auc": round(rank_auc(score, outcome), 4),
        "decisions": int(decision.sum()), "decision_rate": round(float(decision.mean()), 4),
        "true_positives": true_pos, "precision": round(true_pos / int(decision.sum()), 4),
        "recall": round(true_pos / int(outcome.sum()), 4), "by_channel": by_channel,
    }


def rank_auc(score: pd.Series, outcome: pd.Series) -> float:
    """Area under the ROC curve from average ranks (ties count half)."""
    ranks = score.rank(method="average")
    positives, negatives = int(outcome.sum()), int((~outcome).sum())
    return float((ranks[outcome].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def pilot_facts(pilot: pd.DataFrame, first: FirstExtract) -> dict:
    """The pilot's planted.yaml document."""
    return {
        "period": {"start": PILOT_START, "end": PILOT_END},
        "seed": PILOT_SEED, "rows": len(pilot), "threshold": PILOT_THRESHOLD,
        "mode": "shadow: decisions logged, nobody called, so no_show is the untreated outcome",
        "decided_at": {"first": f"{pilot['decided_at'].min():%Y-%m-%dT%H:%M:%S}",
                       "last": f"{pilot['decided_at'].max():%Y-%m-%dT%H:%M:%S}"},
        "outcome": outcome_facts(pilot, first.appointments),
        "calibration": f"PLANTED: app (web) bookings no-show {PILOT_WEB_RISK:g} times as often as the model's risk "
                       "says, so observed_to_expected is above 1 (on the assessed extract the model's risk averages "
                       "the observed rate: reference_observed_to_expected) and worst on web.",
        "drift": drift_facts(first.appointments, pilot),
    }


def write_pilot(pilot: pd.DataFrame, first: FirstExtract, out_dir: Path) -> dict[str, Path]:
    """pilot/: the decision log and its planted.yaml."""
    return {
        "pilot/no_show_pilot": write_csv(pilot_for_csv(pilot), out_dir / "no_show_pilot.csv"),
        "pilot/planted": write_yaml(pilot_facts(pilot, first), out_dir / "planted.yaml", PILOT_HEADER),
    }


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Generate the Harbour Physio sample client. Without an option: "
                                                 "the first extract (as_of 2026-06-30).")
    parser.add_argument("--later", action="store_true", help="write later/: the extract six months on")
    parser.add_argument("--pilot", action="store_true", help="write pilot/: the no-show pilot's decision log")
    parser.add_argument("--all", action="store_true", help="write the first extract, later/ and pilot/")
    parser.add_argument("--out", type=Path, default=OUT_DIR,
                        help="folder for the first extract; later/ and pilot/ go inside it (default: this script's)")
    return parser.parse_args(argv)


def generate(out_dir: Path, *, first: bool = True, later: bool = False, pilot: bool = False) -> dict[str, Path]:
    """Write the chosen parts under ``out_dir``; the later and pilot parts build the first in memory."""
    extract = build_first(np.random.default_rng(SEED))
    paths = write_first(extract, out_dir) if first else {}
    if later or pilot:
        later_extract = build_later(extract, np.random.default_rng(LATER_SEED))
        if later:
            paths |= write_later(later_extract, out_dir / "later")
        if pilot:
            log = build_pilot(extract, later_extract, np.random.default_rng(PILOT_SEED))
            paths |= write_pilot(log, extract, out_dir / "pilot")
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    """Write the sample (by default next to this script) and say how big and how quick it was."""
    args = parse_args(argv)
    started = time.perf_counter()
    only_first = not (args.later or args.pilot or args.all)
    paths = generate(args.out, first=only_first or args.all, later=args.later or args.all,
                     pilot=args.pilot or args.all)
    for name, path in paths.items():
        print(f"{name:22s} {path.stat().st_size / 1e6:6.2f} MB  {path.relative_to(args.out)}")
    print(f"generated in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
