"""What people type, read leniently: dates (dd/mm/aaaa or the ISO a date picker sends) and
amounts in reais ("150,00", "R$ 1.234,56", "150"). Errors are Portuguese, fit for a field."""
import re
from datetime import date

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_VALOR = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?")


def ler_data(texto):
    """'2026-11-24' or '24/11/2026' -> date; ValueError with the reason otherwise."""
    texto = (texto or "").strip()
    if not texto:
        raise ValueError("Informe a data.")
    if m := _ISO.fullmatch(texto):
        ano, mes, dia = (int(g) for g in m.groups())
    elif m := _BR.fullmatch(texto):
        dia, mes, ano = (int(g) for g in m.groups())
    else:
        raise ValueError("Informe a data no formato dd/mm/aaaa, por exemplo 24/11/2026.")
    try:
        return date(ano, mes, dia)
    except ValueError:
        raise ValueError("Esta data não existe no calendário. Confira o dia e o mês.") from None


def ler_valor(texto):
    """'R$ 1.234,56' -> 123456 cents; also '150', '150,5'. ValueError otherwise."""
    limpo = re.sub(r"\s|R\$", "", texto or "")
    if not limpo:
        raise ValueError("Informe o valor.")
    # A point followed by exactly two digits at the end is a decimal point ("150.00").
    if re.fullmatch(r"\d+\.\d{2}", limpo):
        limpo = limpo.replace(".", ",")
    m = _VALOR.fullmatch(limpo)
    if not m:
        raise ValueError("Informe o valor em reais, por exemplo 150,00.")
    reais = int(m.group(1).replace(".", ""))
    centavos = int((m.group(2) or "0").ljust(2, "0"))
    valor = reais * 100 + centavos
    if valor <= 0:
        raise ValueError("O valor deve ser maior que zero.")
    return valor
