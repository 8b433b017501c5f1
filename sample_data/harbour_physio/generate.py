"""Generate the fictional Harbour Physio Group sample client.

Every person here is invented: names are drawn from the short lists below, email addresses use
the reserved ``example.*`` domains and mobile numbers use the ``555`` exchange. The output files
are committed next to this script, so nobody needs to run it; after changing it, regenerate with

    python sample_data/harbour_physio/generate.py

One seed drives every random choice and every value is formatted explicitly (no locale, no
float repr), so two runs give byte-identical files. The planted data-quality defects and biases
are written to ``planted.yaml`` with their exact counts, counted from the files as written.
"""

from __future__ import annotations

import re
import time
import unicodedata
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

# Irish public holidays in the window: every site is closed.


def words(text: str) -> tuple[str, ...]:
    """A tuple from a space-separated list: keeps the long name lists readable."""
    return tuple(text.split(" "))


HOLIDAYS = frozenset(date.fromisoformat(d) for d in words(
    "2024-08-05 2024-10-28 2024-12-25 2024-12-26 2025-01-01 2025-02-03 2025-03-17 2025-04-21 "
    "2025-05-05 2025-06-02 2025-08-04 2025-10-27 2025-12-25 2025-12-26 2026-01-01 2026-02-02 "
    "2026-03-17 2026-04-06 2026-05-04 2026-06-01"
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


def write_csv(frame: pd.DataFrame, name: str, *, sep: str = ",") -> Path:
    """UTF-8 with ``\n`` line ends whatever the platform, so the bytes never depend on it."""
    path = OUT_DIR / name
    frame.to_csv(path, index=False, sep=sep, lineterminator="\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- customers


def age_at(dob: pd.Series, on: date) -> pd.Series:
    """Whole years of age on ``on``."""
    before_birthday = (dob.dt.month > on.month) | ((dob.dt.month == on.month) & (dob.dt.day > on.day))
    return on.year - dob.dt.year - before_birthday.astype(int)


def draw_birth_dates(rng: np.random.Generator, home_site: np.ndarray) -> pd.Series:
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
    as_of = pd.Timestamp(AS_OF)
    dob = pd.Series([as_of - pd.DateOffset(years=int(y)) for y in years]) - pd.to_timedelta(offset_days, "D")
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


def draw_emails(rng: np.random.Generator, first: list[str], last: list[str]) -> list[str]:
    """Unique lower-case addresses on example domains, in the styles people pick."""
    domains = pick(rng, EMAIL_DOMAINS, len(first))
    styles = rng.choice(4, size=len(first), p=[0.45, 0.2, 0.2, 0.15])
    used: set[str] = set()
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


def draw_phones(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """Unique 555-exchange mobiles; returns (digits as dialled nationally, as typed by the desk)."""
    codes = rng.choice(len(MOBILE_PREFIXES) * 10_000, size=n, replace=False)
    layouts = pick(rng, PHONE_FORMATS, n)
    digits, typed = [], []
    for code, layout in zip(codes, layouts, strict=True):
        prefix, subscriber = MOBILE_PREFIXES[code // 10_000], f"555{code % 10_000:04d}"
        digits.append(prefix + subscriber)
        typed.append(format_phone(prefix, subscriber, layout))
    return digits, typed


def draw_registration_dates(rng: np.random.Generator, n: int) -> pd.Series:
    """45% registered before the window (since 2016), the rest spread over it, busier in January."""
    old = rng.random(n) < 0.45
    start_old = pd.Timestamp("2016-03-01")
    old_days = rng.integers(0, (pd.Timestamp(WINDOW_START) - start_old).days, size=n)
    window_days = pd.date_range(WINDOW_START, AS_OF, freq="D")
    weights = np.array([MONTH_FACTOR[d.month] for d in window_days])
    new_days = rng.choice(len(window_days), size=n, p=weights / weights.sum())
    before = (start_old + pd.to_timedelta(old_days, "D")).values
    registered = np.where(old, before, window_days[new_days].values)
    return pd.Series(pd.to_datetime(registered))


def make_customers(rng: np.random.Generator) -> pd.DataFrame:
    """The clean customer register (before any planted defect), plus helper columns."""
    n = N_BASE_CUSTOMERS
    home_site = SITE_NAMES_ARRAY[rng.choice(len(SITES), size=n, p=SITE_VOLUME / SITE_VOLUME.sum())]
    gender, title = draw_gender_and_title(rng, n)
    first, last = draw_names(rng, gender)
    dob = draw_birth_dates(rng, home_site)
    digits, phones = draw_phones(rng, n)
    frame = pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in range(1, n + 1)],
        "title": title,
        "full_name": [f"{f} {s}" for f, s in zip(first, last, strict=True)],
        "email": draw_emails(rng, first, last),
        "phone": phones,
        "date_of_birth": dob,
        "gender": gender,
        "age_band": age_band(age_at(dob, AS_OF)),
        "home_site": home_site,
        "registered_at": draw_registration_dates(rng, n),
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


def daily_counts(rng: np.random.Generator) -> pd.DataFrame:
    """Appointments per site and open day: site volume x weekday x month x growth, Poisson noise."""
    days = pd.date_range(WINDOW_START, AS_OF, freq="D")
    weekday = np.array([WEEKDAY_FACTOR[d.weekday()] for d in days])
    month = np.array([MONTH_FACTOR[d.month] for d in days])
    xmas = np.where((days.month == 12) & (days.day >= 22), 0.45, 1.0)
    closed = np.array([d.date() in HOLIDAYS for d in days])
    growth = 1.0 + 0.06 * (days - days[0]).days / 365.0
    shape = weekday * month * xmas * growth * ~closed
    lam = np.outer(SITE_VOLUME, shape)
    lam *= TARGET_APPOINTMENTS / lam.sum()
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


def draw_channels_and_bookings(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """Channel by site; lead time by channel (walk-ins book the same morning); booked_at from it."""
    channel = np.empty(len(frame), dtype=object)
    for site in SITES:
        mask = (frame["site"] == site.name).to_numpy()
        channel[mask] = np.array(CHANNELS, dtype=object)[rng.choice(3, size=mask.sum(), p=site.channel_mix)]
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
    """Multiplicative risk: site, age band (18-24 about twice 45-64), channel, reminder, lead, day."""
    site_f = frame["site"].map({s.name: s.no_show_factor for s in SITES})
    age_f = frame["age_band"].map({"18-24": 2.0, "25-34": 1.35, "35-44": 1.1, "45-64": 1.0, "65+": 0.85})
    channel_f = frame["channel"].map({"web": 1.15, "phone": 1.0, "walk-in": 0.25})
    reminder_f = np.where(frame["reminder_sent"], 0.8, 1.35)
    lead = (frame["starts_at"] - frame["booked_at"]).dt.days
    lead_f = np.select([lead < 1, lead <= 7, lead <= 21], [0.6, 0.9, 1.15], 1.45)
    weekday_f = frame["starts_at"].dt.weekday.map({0: 1.15, 4: 1.1, 5: 0.9}).fillna(1.0)
    month_f = frame["starts_at"].dt.month.map({12: 1.25, 8: 1.1, 1: 0.95}).fillna(1.0)
    service_f = frame["service"].map({s.name: s.no_show_factor for s in SERVICES})
    raw = (site_f * age_f * channel_f * reminder_f * lead_f * weekday_f * month_f * service_f).to_numpy()
    return np.clip(raw * 0.12 / raw.mean(), 0, 0.7)


def make_appointments(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Two years of bookings at the four sites, before any planted defect."""
    frame = draw_services(rng, daily_counts(rng))
    frame["starts_at"] = draw_start_times(rng, frame)
    frame = draw_channels_and_bookings(rng, frame)
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
    frame["no_show"] = rng.random(len(frame)) < no_show_probability(frame)
    # The fee is charged after the outcome is known: a leak for any no-show model.
    charged = frame["no_show"].to_numpy() & (rng.random(len(frame)) < 0.96)
    frame["late_cancel_fee_eur"] = np.where(charged, np.round(frame["price_eur"] * 0.5, 2), 0.0)
    frame = frame.sort_values(["starts_at", "site"], kind="mergesort").reset_index(drop=True)
    frame["appointment_id"] = [f"A{i:06d}" for i in range(1, len(frame) + 1)]
    frame["_true_starts_at"] = frame["starts_at"]
    return frame


def add_churn_columns(customers: pd.DataFrame, appointments: pd.DataFrame) -> None:
    """Churn label and two behavioural features known before its window, per real person.

    ``churned``: no appointment in the 180 days before as_of (from 2026-01-01). ``visits_12m``:
    attended appointments in the 12 months before that window; ``months_registered``: whole months
    from registration to the window's start. Patients who registered inside the window were not
    yet customers when it opened, so their label and tenure stay blank. Computed before any
    duplicate is planted, so every copy of a person carries that person's values; draws nothing
    from the random generator, so the other files do not change.
    """
    cutoff = pd.Timestamp(AS_OF) - pd.Timedelta(days=CHURN_DAYS)
    starts = appointments["starts_at"]
    recent = set(appointments.loc[(starts >= cutoff) & (starts < pd.Timestamp(AS_OF) + pd.Timedelta(days=1)),
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


def make_invoices(rng: np.random.Generator, appointments: pd.DataFrame) -> pd.DataFrame:
    """One invoice per attended appointment, issued on the day; insurers pay weeks later."""
    attended = appointments[~appointments["no_show"]].sort_values(
        ["_true_starts_at", "appointment_id"], kind="mergesort")
    n = len(attended)
    method = pick(rng, (("card", 0.64), ("cash", 0.07), ("insurance", 0.22), ("bank_transfer", 0.07)), n)
    not_covered = attended["service"].isin(["Sports massage", "Clinical Pilates class"]).to_numpy()
    method = np.where(not_covered & (method == "insurance"), "card", method)
    issued = attended["_true_starts_at"].dt.normalize().reset_index(drop=True)
    lag = np.select([method == "insurance", method == "bank_transfer"],
                    [rng.integers(14, 61, n), rng.integers(0, 11, n)], 0)
    paid = issued + pd.to_timedelta(lag, "D")
    paid = paid.where(paid <= pd.Timestamp(AS_OF))  # not yet paid at the extract date
    vat_rate = attended["service"].map({s.name: s.vat_rate for s in SERVICES}).to_numpy()
    amount = attended["price_eur"].to_numpy()
    return pd.DataFrame({
        "invoice_id": [f"INV-{i:06d}" for i in range(1, n + 1)],
        "appointment_id": attended["appointment_id"].to_numpy(),
        "customer_id": attended["customer_id"].to_numpy(),
        "site": attended["site"].to_numpy(),
        "issued_on": issued,
        "amount_eur": amount,
        "vat_eur": np.round(amount * vat_rate / (1 + vat_rate), 2),
        "payment_method": method,
        "paid_on": paid,
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


def ticket_open_times(rng: np.random.Generator, n: int) -> pd.Series:
    """Opening times up to the day the helpdesk export stopped (120 days before the extract)."""
    last_day = pd.Timestamp(AS_OF) - pd.Timedelta(days=STALE_DAYS)
    days = pd.date_range(WINDOW_START, last_day - pd.Timedelta(days=1), freq="D")
    weights = np.array([MONTH_FACTOR[d.month] * (0.35 if d.weekday() >= 5 else 1.0) for d in days])
    day = days[rng.choice(len(days), size=n - 1, p=weights / weights.sum())]
    minutes = rng.integers(7 * 60, 22 * 60, size=n - 1)
    opened = pd.Series(day) + pd.to_timedelta(minutes, "m")
    # Midnight on the last day: 120 whole days before as_of however the day count is taken.
    return pd.concat([opened, pd.Series([last_day])], ignore_index=True)


def make_tickets(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Helpdesk tickets from registered customers with a satisfaction score.

    The export stopped on the day of the last ticket, so a resolution after that day is not in
    it (blank resolved_at): every date in the table is at least 120 days before as_of.
    """
    opened = ticket_open_times(rng, N_TICKETS).sort_values(kind="mergesort").reset_index(drop=True)
    pool = customers.sort_values(["registered_at", "customer_id"], kind="mergesort")
    eligible = np.searchsorted(pool["registered_at"].to_numpy(), opened.dt.normalize().to_numpy(),
                               side="right")
    chosen = pool.iloc[np.floor(rng.random(N_TICKETS) * eligible).astype(int)]
    site = np.where(rng.random(N_TICKETS) < 0.88, chosen["home_site"].to_numpy(),
                    SITE_NAMES_ARRAY[rng.integers(len(SITES), size=N_TICKETS)])
    category = pick(rng, CATEGORY_MIX, N_TICKETS)
    high_share = np.select([category == "complaint", category == "clinical_question"], [0.45, 0.25], 0.08)
    u = rng.random(N_TICKETS)
    priority = np.where(u < 0.02, "urgent", np.where(u < high_share, "high",
                        np.where(rng.random(N_TICKETS) < 0.4, "low", "normal")))
    hours = rng.lognormal(np.where(category == "complaint", 3.6, 2.9), 1.0)
    resolved = (opened + pd.to_timedelta(np.round(hours * 60), "m")).dt.floor("min")
    resolved = resolved.where(resolved <= pd.Timestamp(AS_OF) - pd.Timedelta(days=STALE_DAYS))
    score = 4.6 - 0.35 * np.log1p(hours / 24) - np.where(category == "complaint", 1.3, 0)
    satisfaction = np.clip(np.round(score + rng.normal(0, 0.8, N_TICKETS)), 1, 5).astype(int)
    sentences = [ticket_sentences(rng, c, s, o) for c, s, o in zip(category, site, opened, strict=True)]
    subjects = [SUBJECTS[c][rng.integers(len(SUBJECTS[c]))] for c in category]
    return pd.DataFrame({
        "ticket_id": [f"TK{i:05d}" for i in range(1, N_TICKETS + 1)],
        "customer_id": chosen["customer_id"].to_numpy(),
        "site": site,
        "opened_at": opened,
        "channel": pick(rng, (("email", 0.38), ("phone", 0.30), ("web_form", 0.24), ("in_person", 0.08)),
                        N_TICKETS),
        "category": category,
        "priority": priority,
        "subject": subjects,
        "body": "",
        "resolved_at": resolved,
        "satisfaction": satisfaction,
        "_opener": [OPENERS[i] for i in rng.integers(len(OPENERS), size=N_TICKETS)],
        "_sentences": sentences,
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
    layouts = customers["phone"].map(phone_layout).value_counts()
    ledger.add("mixed_phone_formats", "customers", "phone", "DQ_INCONSISTENT_FORMAT",
               len(customers) - int(layouts.max()), "quality",
               "Four layouts of the same mobile numbers; count is the values outside the most common one. "
               + ", ".join(f"{k}: {v}" for k, v in layouts.sort_index().items()) + ".")
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


def plant_future_dates(rng: np.random.Generator, appointments: pd.DataFrame, ledger: Ledger) -> None:
    """Year typed as 2027 instead of 2025 in both booked_at and starts_at (invoices kept the right date)."""
    in_2025 = np.flatnonzero((appointments["starts_at"].dt.year == 2025).to_numpy()
                             & (appointments["booked_at"].dt.year == 2025).to_numpy())
    rows = np.sort(rng.choice(in_2025, size=25, replace=False))
    for col in ("booked_at", "starts_at"):
        appointments.loc[rows, col] = appointments.loc[rows, col] + pd.DateOffset(years=2)
    ledger.add("future_appointments", "appointments", "starts_at", "DQ_FUTURE_DATE", 25, "quality",
               "Rows whose booked_at and starts_at are in 2027 (typo for 2025), after as_of.")


def plant_missing_therapist(rng: np.random.Generator, appointments: pd.DataFrame, ledger: Ledger) -> None:
    """Swords' front desk often skips the therapist field; other sites rarely do."""
    counts = {}
    for site in SITE_NAMES:
        rows = np.flatnonzero((appointments["site"] == site).to_numpy())
        share = 0.35 if site == "Swords" else 0.01
        blank = rng.choice(rows, size=round(share * len(rows)), replace=False)
        appointments.loc[blank, "therapist_id"] = ""
        counts[site] = (len(blank), len(rows))
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


def plant_non_positive_amounts(rng: np.random.Generator, invoices: pd.DataFrame,
                               ledger: Ledger) -> np.ndarray:
    """Refunds keyed as negative invoices and complimentary sessions invoiced at zero."""
    rows = np.sort(rng.choice(len(invoices), size=40, replace=False))
    refunds, zeros = rows[:28], rows[28:]
    invoices.loc[refunds, ["amount_eur", "vat_eur"]] *= -1
    invoices.loc[zeros, ["amount_eur", "vat_eur"]] = 0.0
    ledger.add("non_positive_invoices", "invoices", "amount_eur", "DQ_NON_POSITIVE_AMOUNT", 40, "quality",
               "28 refunds entered as negative amounts and 12 complimentary sessions at 0,00.")
    return rows


def plant_blank_vat(rng: np.random.Generator, invoices: pd.DataFrame, avoid: np.ndarray,
                    ledger: Ledger) -> np.ndarray:
    """Rows whose VAT cell the export writes as a single space (applied when formatting)."""
    rows = np.sort(rng.choice(np.setdiff1d(np.arange(len(invoices)), avoid), size=30, replace=False))
    ledger.add("vat_blank_as_space", "invoices", "vat_eur", "DQ_NUMBER_AS_TEXT", 30, "quality",
               "vat_eur holds a single space on 30 rows, so the column reads as text.")
    return rows


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
                     invalid_rows: np.ndarray, ledger: Ledger) -> None:
    """Customers typing their own phone number or email into the ticket text (as its last sentence)."""
    rows = np.sort(rng.choice(len(tickets), size=40, replace=False))
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
    n_email = sum("@" in v for v in ledger.personal_values)
    ledger.add("pii_in_ticket_text", "support_tickets", "body", "DQ_PII_IN_TEXT", len(rows), "quality",
               f"Ticket bodies holding the customer's own phone number ({len(rows) - n_email}) or "
               f"email address ({n_email}).")
    ledger.add("pii_in_ticket_text_ethics", "support_tickets", "body", "ETH_PII_IN_TEXT", len(rows), "ethics",
               "The same ticket bodies, as the ethics stage's personal-data scan reports them.")


def record_ticket_facts(tickets: pd.DataFrame, ledger: Ledger) -> None:
    """The helpdesk export stopped early: the table is stale against as_of."""
    newest = tickets["opened_at"].max()
    ledger.add("stale_tickets", "support_tickets", "opened_at", "DQ_STALE_TABLE", 1, "quality",
               f"Newest opened_at is {newest:%Y-%m-%dT%H:%M:%S}, {(pd.Timestamp(AS_OF) - newest).days} days "
               "before as_of (freshness_days is 90); count is the one table.")


def record_invoice_facts(invoices: pd.DataFrame, orphan_ids: set[str], ledger: Ledger) -> None:
    """Consequences visible in invoices: orphans carried over, and unpaid (blank) paid_on."""
    orphans = int(invoices["customer_id"].isin(orphan_ids).sum())
    ledger.add("orphan_invoices", "invoices", "customer_id", "DQ_ORPHAN_REFERENCE", orphans, "quality",
               "Invoices of the attended orphan appointments carry the same unknown customer_ids.")
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
    return invoices.assign(issued_on=issued_text, amount_eur=money(invoices["amount_eur"] + 0.0, decimal=","),
                           vat_eur=vat, paid_on=iso_date(invoices["paid_on"]).fillna(""))


def tickets_for_csv(tickets: pd.DataFrame) -> pd.DataFrame:
    """The helpdesk export: bodies assembled from their sentences."""
    body = [ticket_body(o, s) for o, s in zip(tickets["_opener"], tickets["_sentences"], strict=True)]
    out = tickets.drop(columns=["_opener", "_sentences"]).assign(body=body)
    return out.assign(opened_at=iso_datetime(out["opened_at"]), resolved_at=iso_datetime(out["resolved_at"]))


def write_planted(ledger: Ledger) -> Path:
    """planted.yaml, defects grouped by table in the order they were planted."""
    path = OUT_DIR / "planted.yaml"
    table_order = ["customers", "appointments", "invoices", "support_tickets"]
    defects = sorted(ledger.defects, key=lambda d: table_order.index(d["table"]))  # stable: keeps plant order
    doc = {"as_of": AS_OF, "seed": SEED, "defects": defects, "personal_values": ledger.personal_values,
           "clean_columns": CLEAN_COLUMNS}
    header = ("# Written by generate.py: every defect and bias planted in the Harbour Physio sample,\n"
              "# with exact counts taken from the files as written. Do not edit by hand.\n")
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + body, encoding="utf-8")
    return path


def build(rng: np.random.Generator) -> dict[str, Path]:
    """Make the clean tables, plant the defects in a fixed order, write every file."""
    ledger = Ledger(defects=[], personal_values=[])
    customers = make_customers(rng)
    near_rows, exact_rows, invalid_rows = reserve_customer_rows(rng)
    plant_invalid_emails(customers, invalid_rows, ledger)
    appointments = make_appointments(rng, customers)
    add_churn_columns(customers, appointments)
    tickets = make_tickets(rng, customers)
    plant_ticket_pii(rng, tickets, customers, invalid_rows, ledger)
    register = plant_near_duplicates(rng, customers, near_rows, ledger)
    move_to_near_duplicates(appointments, register.iloc[N_BASE_CUSTOMERS:])
    register = plant_exact_duplicates(register.drop(columns="_source_id"), exact_rows, ledger)
    record_customer_facts(register, ledger)

    orphan_rows = plant_orphans(rng, appointments, ledger)
    invoices = make_invoices(rng, appointments)
    plant_future_dates(rng, appointments, ledger)
    plant_missing_therapist(rng, appointments, ledger)
    record_appointment_facts(appointments, ledger)

    avoid = plant_non_positive_amounts(rng, invoices, ledger)
    blank_vat = plant_blank_vat(rng, invoices, avoid, ledger)
    issued_text = format_issued_on(rng, invoices, ledger)
    record_invoice_facts(invoices, set(appointments.loc[orphan_rows, "customer_id"]), ledger)
    record_ticket_facts(tickets, ledger)

    return {
        "customers": write_csv(customers_for_csv(register), "customers.csv"),
        "appointments": write_csv(appointments_for_csv(appointments), "appointments.csv"),
        "invoices": write_csv(invoices_for_csv(invoices, issued_text, blank_vat), "invoices.csv", sep=";"),
        "support_tickets": write_csv(tickets_for_csv(tickets), "support_tickets.csv"),
        "planted": write_planted(ledger),
    }


def main() -> None:
    """Write the sample next to this script and say how big and how quick it was."""
    started = time.perf_counter()
    paths = build(np.random.default_rng(SEED))
    for name, path in paths.items():
        print(f"{name:16s} {path.stat().st_size / 1e6:6.2f} MB  {path.name}")
    print(f"generated in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
