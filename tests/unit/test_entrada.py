"""What people type into date and amount fields."""
from datetime import date

import pytest

from services.nucleo.entrada import ler_data, ler_valor


@pytest.mark.parametrize("typed, expected", [
    ("2026-11-24", date(2026, 11, 24)),  # what a date picker sends
    ("24/11/2026", date(2026, 11, 24)),
    ("4/1/2027", date(2027, 1, 4)),
    (" 24/11/2026 ", date(2026, 11, 24)),
    ("24-11-2026", date(2026, 11, 24)),
])
def test_dates_are_read_in_both_formats(typed, expected):
    assert ler_data(typed) == expected


@pytest.mark.parametrize("typed, message", [
    ("", "Informe a data."),
    ("amanhã", "formato dd/mm/aaaa"),
    ("24/11/26", "formato dd/mm/aaaa"),
    ("31/02/2026", "não existe"),
    ("2026-13-01", "não existe"),
])
def test_bad_dates_say_why(typed, message):
    with pytest.raises(ValueError, match=message):
        ler_data(typed)


@pytest.mark.parametrize("typed, cents", [
    ("150,00", 15000), ("R$ 150,00", 15000), ("150", 15000), ("150,5", 15050),
    ("1.234,56", 123456), ("150.00", 15000), ("R$1.500", 150000),
])
def test_amounts_are_read_as_people_write_them(typed, cents):
    assert ler_valor(typed) == cents


@pytest.mark.parametrize("typed", ["", "abc", "1,234", "15,000", "0,00", "-10", "1.23.4"])
def test_bad_amounts_are_refused(typed):
    with pytest.raises(ValueError):
        ler_valor(typed)
