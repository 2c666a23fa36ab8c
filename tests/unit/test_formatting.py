"""How money, dates and CPFs look to the user."""

import pathlib
import re
from datetime import date, datetime, time

import pytest

from stdnum.br import cpf as stdnum_cpf

from services.nucleo.formatacao import (format_brl, format_date, format_datetime, format_day_month,
                                       format_time, mask_cpf)

RAIZ = pathlib.Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize("instante", [datetime(2026, 11, 23, 9, 5), datetime(2025, 3, 5, 0, 0),
                                      datetime(2026, 12, 31, 23, 59)])
def test_time_day_month_and_datetime_read_as_the_inline_formats_they_replace(instante):
    assert format_time(instante) == f"{instante:%H:%M}"
    assert format_time(instante.time()) == f"{instante:%H:%M}"
    assert format_day_month(instante) == f"{instante:%d/%m}"
    assert format_datetime(instante) == f"{instante:%d/%m/%Y %H:%M}"
    assert format_date(instante) == f"{instante:%d/%m/%Y}"


def test_time_is_hours_and_minutes_with_leading_zeros():
    assert format_time(time(9, 5)) == "09:05"
    assert format_datetime(datetime(2026, 1, 2, 3, 4)) == "02/01/2026 03:04"


def test_dates_and_times_are_shown_only_through_formatacao_and_the_filters():
    formatos = re.compile(r"%d/%m|%m/%Y|%H:%M")
    onde = [RAIZ / pasta for pasta in ("services", "web", "filas", "cli", "blueprints",
                                       "templates")]
    permitidos = {RAIZ / "services/nucleo/formatacao.py", RAIZ / "web/filtros.py"}
    inline = [f"{arquivo.relative_to(RAIZ)}:{n}"
              for pasta in onde for arquivo in sorted(pasta.rglob("*"))
              if arquivo.suffix in {".py", ".html", ".txt"} and arquivo not in permitidos
              for n, linha in enumerate(arquivo.read_text().splitlines(), 1)
              if formatos.search(linha)]
    assert inline == [], "formate datas por services/nucleo/formatacao.py ou pelos filtros " \
                         "data e data_hora"


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
