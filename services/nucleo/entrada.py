"""What people type, read leniently: dates (dd/mm/aaaa or the ISO a date picker sends) and
amounts in reais ("150,00", "R$ 1.234,56", "150"). Errors are Portuguese, fit for a field."""
import re
from datetime import date, datetime

# Control characters (NUL, ESC, CR/LF in a one-line field...): PostgreSQL refuses NUL and
# nobody types the others; a paste from another program is the usual source.
_CONTROLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROLE_MULTILINHA = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MENSAGEM_CONTROLE = ("Este campo tem caracteres invisíveis ou de controle (talvez colados de "
                     "outro programa). Apague e digite de novo.")
# Dates people and the bank may mean; anything else is a typo (and out of the DB's range).
ANO_MINIMO, ANO_MAXIMO = 1900, 2100
# The largest amount an INTEGER column holds.
MAX_CENTAVOS = 2**31 - 1
MAIOR_ID = 2**63 - 1  # the largest id (or version) SQLite's INTEGER and PostgreSQL's BIGINT hold


def tem_controle(texto, multilinha=False):
    return bool((_CONTROLE_MULTILINHA if multilinha else _CONTROLE).search(texto or ""))


def data_plausivel(valor):
    """`valor` (a date or datetime) if its year is within ANO_MINIMO..ANO_MAXIMO, else None."""
    return valor if valor is not None and ANO_MINIMO <= valor.year <= ANO_MAXIMO else None


def data_iso(texto):
    """A query-string date (AAAA-MM-DD) within the plausible years, or None."""
    try:
        return data_plausivel(date.fromisoformat((texto or "")[:10]))
    except ValueError:
        return None


def data_hora_iso(texto):
    """A query-string date-time (AAAA-MM-DDTHH:MM) within the plausible years, or None."""
    try:
        return data_plausivel(datetime.fromisoformat((texto or "")[:32]))
    except ValueError:
        return None

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
    if not ANO_MINIMO <= ano <= ANO_MAXIMO:
        raise ValueError(f"Informe um ano entre {ANO_MINIMO} e {ANO_MAXIMO}.")
    try:
        return date(ano, mes, dia)
    except ValueError:
        raise ValueError("Esta data não existe no calendário. Confira o dia e o mês.") from None


def ler_valor(texto):
    """'R$ 1.234,56' -> 123456 cents; also '150', '150,5'. ValueError otherwise."""
    limpo = re.sub(r"\s|R\$", "", texto or "")
    if not limpo:
        raise ValueError("Informe o valor.")
    if len(limpo) > 20:
        raise ValueError("Valor alto demais. Confira o valor pago.")
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
    if valor > MAX_CENTAVOS:
        raise ValueError("Valor alto demais. Confira o valor pago.")
    return valor


def ler_id(texto):
    """`texto` as an id, or None when it is not a positive integer the database can hold."""
    if not isinstance(texto, str) or not texto.isascii() or not texto.isdigit() or len(texto) > 19:
        return None
    valor = int(texto)
    return valor if 0 < valor <= MAIOR_ID else None
