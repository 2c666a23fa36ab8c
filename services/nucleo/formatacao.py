"""How money, dates and CPFs are shown to people in Brazil (pt-BR). A whole CPF is shown by
stdnum.br.cpf.format; the masked one is ours."""

import re
from datetime import date, datetime, time


def format_brl(cents: int) -> str:
    """1234567 -> 'R$ 12.345,67' (dot groups thousands, comma before the cents)."""
    sign = "-" if cents < 0 else ""
    reais, centavos = divmod(abs(cents), 100)
    grouped = f"{reais:,}".replace(",", ".")
    return f"{sign}R$ {grouped},{centavos:02d}"


def format_date(d: date) -> str:
    """date(2026, 11, 23) -> '23/11/2026' (a datetime: its own day, in its own zone)."""
    return d.strftime("%d/%m/%Y")


def format_day_month(d: date) -> str:
    """date(2026, 12, 25) -> '25/12'."""
    return d.strftime("%d/%m")


def format_time(t: time | datetime) -> str:
    """time(9, 5) -> '09:05'."""
    return t.strftime("%H:%M")


def format_datetime(dt: datetime) -> str:
    """datetime(2026, 11, 23, 9, 5) -> '23/11/2026 09:05', in the datetime's own zone."""
    return f"{format_date(dt)} {format_time(dt)}"


def mask_cpf(cpf11: str) -> str:
    """'12345678909' -> '***.456.789-**': LGPD, lists show only the middle digits."""
    digits = _cpf_digits(cpf11)
    return f"***.{digits[3:6]}.{digits[6:9]}-**"


_SEPARADORES_CPF = re.compile(r"[.\- ]")
_ONZE_DIGITOS = re.compile(r"[0-9]{11}")


def _cpf_digits(cpf: str) -> str:
    digits = _SEPARADORES_CPF.sub("", cpf)
    if not _ONZE_DIGITOS.fullmatch(digits):
        raise ValueError("O CPF deve ter 11 números.")
    return digits


def mask_email(email: str) -> str:
    """"maria@example.com" -> "ma***@example.com": enough to recognise, not to harvest."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:2]}***@{domain}" if domain else "***"
