from decimal import Decimal

import pytest

from juesuan.money import fmt, parse_amount, percent, round_money, tolerance


@pytest.mark.parametrize("text, expected", [
    ("2,940.05", "2940.05"), ("２９４０．０５", "2940.05"), ("1, 537.4", "1537.4"),
    ("-12.30", "-12.30"), ("(12.3)", "-12.3"), ("  6 ", "6"), ("¥1,000", "1000"),
])
def test_parse_amount_accepts_what_documents_print(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "/"])
def test_empty_placeholders_are_none(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["约二十万", "12.3.4", "1e5", "万元"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_floats_from_spreadsheets_keep_the_typed_digits():
    assert parse_amount(944.91) == Decimal("944.91")
    assert parse_amount(0.1 + 0.2) == Decimal("0.3")


def test_rounding_is_half_up():
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    assert round_money(Decimal("2.675")) == Decimal("2.68")
    assert percent(Decimal("353.63"), Decimal("944.91")) == Decimal("37.42")
    assert percent(Decimal(1), Decimal(0)) is None


def test_tolerance_is_one_cent_per_addend():
    assert tolerance(0) == Decimal("0.01")
    assert tolerance(4) == Decimal("0.04")


def test_fmt():
    assert fmt(Decimal("2940.05")) == "2,940.05"
    assert fmt(None) == ""
