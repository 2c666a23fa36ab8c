"""How money, dates and CPFs look to the user."""

from datetime import date

import pytest

from stdnum.br import cpf as stdnum_cpf

from services.nucleo.formatacao import format_brl, format_date, mask_cpf


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (123456, "R$ 1.234,56"),
        (15000, "R$ 150,00"),
        (5, "R$ 0,05"),
        (0, "R$ 0,00"),
        (123456789, "R$ 1.234.567,89"),
        (-2500, "-R$ 25,00"),
    ],
)
def test_brl_uses_dot_for_thousands_and_comma_for_cents(cents, shown):
    assert format_brl(cents) == shown


def test_date_is_day_month_year():
    assert format_date(date(2026, 11, 23)) == "23/11/2026"


def test_date_keeps_leading_zeros():
    assert format_date(date(2025, 3, 5)) == "05/03/2025"


@pytest.mark.parametrize(("cpf", "shown"), [
    ("12345678909", "123.456.789-09"),
    ("123.456.789-09", "123.456.789-09"),  # already formatted
    ("123 456 789 09", "123.456.789-09"),
    ("00000000191", "000.000.001-91"),  # leading zeros kept
    ("98765432100", "987.654.321-00"),
])
def test_cpf_is_shown_with_dots_and_dash_by_stdnum(cpf, shown):
    """The `cpf` filter and every page and PDF show a CPF with stdnum's format: the same text
    the portal's own format_cpf gave before."""
    assert stdnum_cpf.format(cpf) == shown


def test_masked_cpf_shows_only_the_middle_digits():
    assert mask_cpf("12345678909") == "***.456.789-**"


def test_an_already_formatted_cpf_is_accepted():
    assert mask_cpf("123.456.789-09") == "***.456.789-**"


@pytest.mark.parametrize("cpf", ["1234567890", "123456789012", "1234567890a", "١٢٣٤٥٦٧٨٩٠٩"])
def test_masked_cpf_must_have_11_digits(cpf):
    with pytest.raises(ValueError, match="11 números"):
        mask_cpf(cpf)
