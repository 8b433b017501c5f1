"""Display components: right words and numbers, hostile strings shown as text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from readiness.display import (
    findings_table,
    format_value,
    metric_cards,
    report_style,
    section_note,
    table,
    verdict_box,
)
from readiness.results import Finding, StageResult

HOSTILE = "<script>alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(1)>'


class Page(HTMLParser):
    """Elements and text of an HTML fragment, as a browser would see them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data) -> None:
        if data.strip():
            self.text.append(data.strip())


def assert_inert(html: str) -> Page:
    page = Page(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert not any(name.startswith("on") for name, _ in page.attrs)
    return page


@pytest.mark.parametrize(
    ("verdict", "word"), [("ready", "Ready"), ("needs_work", "Needs work"), ("not_ready", "Not ready")]
)
def test_verdict_box_words(verdict: str, word: str) -> None:
    html = verdict_box(StageResult("quality", "t", verdict, 88.6)).data
    page = Page(html)
    assert word in page.text
    assert "88.6" in page.text  # score with one decimal, as in the index
    assert f'class="rd-verdict rd-{verdict}"' in html


def test_verdict_box_counts_headline_and_missing_score() -> None:
    findings = [
        Finding("error", "A", "m"),
        Finding("warning", "B", "m"),
        Finding("warning", "C", "m"),
    ]
    html = verdict_box(StageResult("roi", "r", "not_ready", None, findings=findings), headline=HOSTILE).data
    page = assert_inert(html)
    assert {"1 error", "2 warnings", "0 info", "n/a", HOSTILE} <= set(page.text)


def test_verdict_box_with_an_unexpected_verdict_keeps_the_class_attribute_safe() -> None:
    html = verdict_box(StageResult("x", "y", 'bad" onclick="alert(1)', 50.0)).data
    assert_inert(html)
    assert 'class="rd-verdict rd-badonclickalert1"' in html


def test_findings_table_orders_by_severity_and_escapes() -> None:
    findings = [
        Finding("info", "DQ_INFO", "context"),
        Finding("warning", "DQ_WARN", HOSTILE_ATTR, column=HOSTILE),
        Finding("error", "DQ_ERR", "blocking"),
    ]
    html = findings_table(findings).data
    page = assert_inert(html)
    codes = [t for t in page.text if t.startswith("DQ_")]
    assert codes == ["DQ_ERR", "DQ_WARN", "DQ_INFO"]
    assert HOSTILE in page.text and HOSTILE_ATTR in page.text
    assert re.findall(r"rd-pill rd-(\w+)", html) == ["error", "warning", "info"]


def test_findings_table_when_empty() -> None:
    assert "No findings." in Page(findings_table([]).data).text


def test_metric_cards_format_numbers_and_escape_labels() -> None:
    html = metric_cards({"Rows": 5020, "Share": 0.5, "Whole": 3.0, HOSTILE: "13", "Flag": True}).data
    page = assert_inert(html)
    assert page.text == ["Rows", "5,020", "Share", "0.50", "Whole", "3", HOSTILE, "13", "Flag", "✓"]


def test_table_escapes_and_formats() -> None:
    df = pd.DataFrame(
        {
            HOSTILE: [1234, 2],
            "share": [0.953, np.nan],
            "ok": [True, False],
            "note": [HOSTILE_ATTR, None],
        }
    )
    html = table(df, caption="Profile <b>", percent_columns=["share"]).data
    page = assert_inert(html)
    assert page.text == [
        "Profile <b>",
        HOSTILE,
        "share",
        "ok",
        "note",
        "1,234",
        "95.3%",
        "✓",
        HOSTILE_ATTR,
        "2",
        "—",
        "✗",
        "—",
    ]
    # Numeric columns are right-aligned, text columns are not.
    assert html.count('<th class="rd-num">') == 2


def test_table_truncates_and_shows_a_named_index() -> None:
    df = pd.DataFrame({"value": [1.0, 2.25, 3.0, 4.0, 5.0]}, index=pd.Index(list("abcde"), name="column"))
    page = Page(table(df, max_rows=2, number_format="{:.1f}").data)
    assert page.text[:6] == ["column", "value", "a", "1.0", "b", "2.2"]
    assert "Showing the first 2 of 5 rows." in page.text


def test_table_of_an_empty_frame() -> None:
    page = Page(table(pd.DataFrame({"a": []})).data)
    assert page.text == ["a", "No rows."]


def test_section_note_escapes() -> None:
    page = assert_inert(section_note(HOSTILE).data)
    assert page.text == [HOSTILE]


@pytest.mark.parametrize(
    ("value", "kwargs", "text"),
    [
        (5020, {}, "5,020"),
        (np.int64(7), {}, "7"),
        (0.1234, {"percent": True}, "12.3%"),
        (1234.5, {}, "1,234.50"),
        (np.float64("nan"), {}, "—"),
        (None, {}, "—"),
        (pd.NaT, {}, "—"),
        (np.bool_(False), {}, "✗"),
        (pd.Timestamp("2026-06-30"), {}, "2026-06-30"),
        (float("inf"), {}, "∞"),
    ],
)
def test_format_value(value, kwargs, text) -> None:
    assert format_value(value, **kwargs) == text


def test_report_style_only_styles_its_own_classes() -> None:
    css = report_style().data
    assert css.startswith("<style>") and ".rd-verdict" in css
    selectors = re.findall(r"(?m)^([^{}\s/*][^{}]*)\{", css.removeprefix("<style>"))
    assert selectors
    assert all(":root" in s or ".rd-" in s for s in selectors), selectors


def test_findings_on_one_column_read_as_one_problem_with_its_facts() -> None:
    findings = [
        Finding("warning", "DQ_DISGUISED_NULLS", "agent hides 16,340 missing values as 'NULL'.", column="agent"),
        Finding("info", "DQ_MISSING_VALUES", "agent is empty in 16,340 rows.", column="agent"),
        Finding("warning", "DQ_NUMBER_AS_TEXT", "agent holds numbers stored as text.", column="agent"),
        Finding("error", "DQ_DUPLICATE_KEY", "booking_id repeats.", column="booking_id"),
        Finding("warning", "DQ_DUPLICATE_ROWS", "12 rows are copies."),
    ]
    html = findings_table(findings).data
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)[1:]  # the header row first
    assert len(rows) == 3
    agent = next(r for r in rows if "<td>agent</td>" in r)
    assert re.findall(r"rd-pill rd-(\w+)", agent) == ["warning"]  # the worst of the three
    assert agent.count("<li>") == 3
    assert re.findall(r">(DQ_\w+)<", agent) == ["DQ_DISGUISED_NULLS", "DQ_NUMBER_AS_TEXT", "DQ_MISSING_VALUES"]
    assert 'title="Blanks or null tokens' in agent  # each code explains itself from the catalogue
    assert re.findall(r"rd-pill rd-(\w+)", html) == ["error", "warning", "warning"]


def test_wide_tables_wrap_to_fit_the_page() -> None:
    narrow = table(pd.DataFrame({c: [1] for c in "abc"})).data
    wide = table(pd.DataFrame({c: [1] for c in "abcdefghijkl"})).data
    assert 'class="rd-table"' in narrow and 'class="rd-table rd-wide"' in wide
