"""FEBRABAN "ficha de compensação": barcode, digitable line and their check digits.

Pure numbers, no database: `services/boletos.py` issues and replaces boletos with them and
`services/boleto_pdf.py` draws them.

Layout of the 44-digit barcode (docs/dominio.md §8): bank (3) + currency (1) + general DV (1)
+ due-date factor (4) + amount in cents (10) + bank-specific free field (25).
"""

import re
from dataclasses import dataclass
from datetime import date

from services.nucleo.formatacao import format_date

# The factor counts days from a base date and wrapped from 9999 back to 1000 on 22/02/2025.
_FIRST_CYCLE_BASE = date(1997, 10, 7)
_RESET_DAY = date(2025, 2, 22)
_SECOND_CYCLE_BASE = date(2022, 5, 29)  # 1000 days before the reset
_FIRST_DUE_DAY = date(2000, 7, 3)  # factor 1000 of the first cycle
_LAST_DUE_DAY = date(2049, 10, 13)  # factor 9999 of the second cycle

_MAX_AMOUNT_CENTS = 9_999_999_999  # the barcode has 10 digits for the amount

_DIGITABLE_SEPARATORS = re.compile(r"[\s.\-]")


def due_date_factor(d: date) -> int:
    """Days since the base date of the factor's current cycle (1000..9999)."""
    if not _FIRST_DUE_DAY <= d <= _LAST_DUE_DAY:
        raise ValueError(
            f"O vencimento deve estar entre {format_date(_FIRST_DUE_DAY)} "
            f"e {format_date(_LAST_DUE_DAY)}."
        )
    base = _FIRST_CYCLE_BASE if d < _RESET_DAY else _SECOND_CYCLE_BASE
    return (d - base).days


def mod11_general_dv(digits43: str) -> int:
    """General check digit of the barcode: weights 2..9 from the right; 0, 10 and 11 become 1."""
    _require_digits(digits43, 43, "O código de barras sem o dígito verificador")
    dv = 11 - sum(int(ch) * (2 + i % 8) for i, ch in enumerate(reversed(digits43))) % 11
    return 1 if dv in (0, 10, 11) else dv


def mod10_dv(digits: str) -> int:
    """Check digit of a digitable-line field: weights 2,1,2,1… from the right, digits of products added."""
    if not re.fullmatch(r"[0-9]+", digits):
        raise ValueError("O campo deve conter apenas números.")
    total = sum(sum(divmod(int(ch) * (2 - i % 2), 10)) for i, ch in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def nosso_numero(convenio: str, sequencia: int) -> str:
    """Banco do Brasil "nosso número" for a 7-digit agreement: agreement + 10-digit sequence."""
    _require_digits(convenio, 7, "O convênio")
    if not 0 <= sequencia <= 9_999_999_999:
        raise ValueError("A sequência do nosso número deve ter até 10 dígitos.")
    return f"{convenio}{sequencia:010d}"


def bb_free_field(convenio: str, sequencia: int, carteira: str = "17") -> str:
    """Banco do Brasil free field (7-digit agreement): '000000' + nosso número + carteira."""
    _require_digits(carteira, 2, "A carteira")
    return f"000000{nosso_numero(convenio, sequencia)}{carteira}"


def barcode(bank: str, due: date, amount_cents: int, free_field: str, currency: str = "9") -> str:
    """The 44 digits encoded in the Interleaved 2 of 5 bars."""
    _require_digits(bank, 3, "O código do banco")
    _require_digits(currency, 1, "O código da moeda")
    _require_digits(free_field, 25, "O campo livre")
    if not 0 <= amount_cents <= _MAX_AMOUNT_CENTS:
        raise ValueError("O valor do boleto deve estar entre R$ 0,00 e R$ 99.999.999,99.")
    head = bank + currency
    tail = f"{due_date_factor(due):04d}{amount_cents:010d}{free_field}"
    return f"{head}{mod11_general_dv(head + tail)}{tail}"


def digitable_line(barcode44: str) -> str:
    """The 47 digits people type: the barcode rearranged in 5 fields, the first 3 with a DV."""
    _require_valid_barcode(barcode44)
    fields = (barcode44[0:4] + barcode44[19:24], barcode44[24:34], barcode44[34:44])
    checked = "".join(f"{field}{mod10_dv(field)}" for field in fields)
    return checked + barcode44[4] + barcode44[5:19]


def format_digitable_line(line47: str) -> str:
    """'AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE', as printed on the slip."""
    _require_digits(line47, 47, "A linha digitável")
    s = line47
    return f"{s[0:5]}.{s[5:10]} {s[10:15]}.{s[15:21]} {s[21:26]}.{s[26:32]} {s[32]} {s[33:47]}"


def barcode_from_digitable_line(line47: str) -> str:
    """Undo digitable_line: drop the field DVs and put the pieces back in barcode order."""
    _require_digits(line47, 47, "A linha digitável")
    s = line47
    return s[0:4] + s[32] + s[33:47] + s[4:9] + s[10:20] + s[21:31]


def parse_digitable_line(text: str) -> str:
    """What a person pasted (with dots, spaces, line breaks) -> 47 digits whose DVs all match."""
    line = _DIGITABLE_SEPARATORS.sub("", text)
    if not re.fullmatch(r"[0-9]*", line):
        raise ValueError("A linha digitável deve conter apenas números, pontos e espaços.")
    if len(line) != 47:
        raise ValueError(f"A linha digitável tem 47 números; foram informados {len(line)}.")
    for number, (start, end) in enumerate(((0, 9), (10, 20), (21, 31)), start=1):
        if mod10_dv(line[start:end]) != int(line[end]):
            raise ValueError(f"O campo {number} da linha digitável não confere. Confira a digitação.")
    if not _general_dv_matches(barcode_from_digitable_line(line)):
        raise ValueError("O dígito verificador geral (campo 4) não confere. Confira a digitação.")
    return line


@dataclass(frozen=True)
class BoletoNumbers:
    barcode: str
    linha_digitavel: str
    linha_digitavel_formatada: str
    nosso_numero: str
    fator_vencimento: int


def make_boleto_numbers(
    bank: str,
    convenio: str,
    sequencia: int,
    due: date,
    amount_cents: int,
    carteira: str = "17",
) -> BoletoNumbers:
    """Every number printed on a Banco do Brasil-style boleto, from the agreement and sequence."""
    code = barcode(bank, due, amount_cents, bb_free_field(convenio, sequencia, carteira))
    line = digitable_line(code)
    return BoletoNumbers(
        barcode=code,
        linha_digitavel=line,
        linha_digitavel_formatada=format_digitable_line(line),
        nosso_numero=nosso_numero(convenio, sequencia),
        fator_vencimento=due_date_factor(due),
    )


def _require_valid_barcode(barcode44: str) -> None:
    _require_digits(barcode44, 44, "O código de barras")
    if not _general_dv_matches(barcode44):
        raise ValueError("O dígito verificador do código de barras não confere.")


def _general_dv_matches(barcode44: str) -> bool:
    return mod11_general_dv(barcode44[:4] + barcode44[5:]) == int(barcode44[4])


def _require_digits(value: str, length: int, what: str) -> None:
    # [0-9] rather than str.isdigit(), which also accepts '²' and other Unicode digits.
    if not re.fullmatch(rf"[0-9]{{{length}}}", value):
        raise ValueError(f"{what} deve ter {length} dígitos numéricos.")
