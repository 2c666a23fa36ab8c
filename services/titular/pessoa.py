"""Validators for the holder's certificate request (docs/dominio.md §4, CPF in §7).

Each ``clean_*`` function returns the cleaned value or raises ``ValueError``
with a short Portuguese message meant to be shown next to the form field.
"""

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email
from stdnum.br import cpf as stdnum_cpf
from stdnum.exceptions import ValidationError

DOCUMENTO_TIPOS = [
    "RG",
    "CNH",
    "Passaporte",
    "Carteira de conselho profissional",
    "CNE/CRNM",
]

# Ordered by abbreviation; dict order is preserved, so it can feed a <select>.
UFS = {
    "AC": "Acre",
    "AL": "Alagoas",
    "AM": "Amazonas",
    "AP": "Amapá",
    "BA": "Bahia",
    "CE": "Ceará",
    "DF": "Distrito Federal",
    "ES": "Espírito Santo",
    "GO": "Goiás",
    "MA": "Maranhão",
    "MG": "Minas Gerais",
    "MS": "Mato Grosso do Sul",
    "MT": "Mato Grosso",
    "PA": "Pará",
    "PB": "Paraíba",
    "PE": "Pernambuco",
    "PI": "Piauí",
    "PR": "Paraná",
    "RJ": "Rio de Janeiro",
    "RN": "Rio Grande do Norte",
    "RO": "Rondônia",
    "RR": "Roraima",
    "RS": "Rio Grande do Sul",
    "SC": "Santa Catarina",
    "SE": "Sergipe",
    "SP": "São Paulo",
    "TO": "Tocantins",
}

# Area codes in use by ANATEL's national numbering plan.
DDDS = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28}
    | {31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46, 47, 48, 49}
    | {51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69}
    | {71, 73, 74, 75, 77, 79}
    | set(range(81, 90))
    | set(range(91, 100))
)

NOME_MAX = 120
# ICP-Brasil's otherName field for the ID document number holds 15 positions.
DOCUMENTO_MAX = 15
MIN_BIRTH = date(1900, 1, 1)

# A word is Latin letters, accented ones included, joined by ' or -. The Receita
# Federal base and the certificate use the Latin alphabet, as does the termo PDF.
_LETTERS = "A-Za-zÀ-ÖØ-öø-ÿ"
_WORD = re.compile(rf"[{_LETTERS}]+(?:['’-][{_LETTERS}]+)*")
_CPF_TYPED = re.compile(r"[0-9.\-\s]+")
_PHONE_TYPED = re.compile(r"\+?[0-9().\-\s]+")


def clean_cpf(text: str) -> str:
    """Return the 11 digits of a valid CPF typed with or without punctuation."""
    text = (text or "").strip()
    if not text:
        raise ValueError("Informe o CPF.")
    if not _CPF_TYPED.fullmatch(text):
        raise ValueError("O CPF deve conter apenas números.")
    digits = re.sub(r"[^0-9]", "", text)
    if len(digits) != 11:
        raise ValueError("O CPF deve ter 11 dígitos.")
    # Repeated-digit numbers pass the check-digit arithmetic but are never issued.
    if len(set(digits)) == 1:
        raise ValueError("CPF inválido.")
    try:
        return stdnum_cpf.validate(digits)
    except ValidationError:
        raise ValueError("CPF inválido: confira os dígitos.") from None


def clean_nome(text: str) -> str:
    """Return the full name with single spaces; it must have two words or more."""
    nome = " ".join((text or "").split())
    if not nome:
        raise ValueError("Informe o nome completo.")
    if len(nome) > NOME_MAX:
        raise ValueError(f"O nome deve ter no máximo {NOME_MAX} caracteres.")
    words = nome.split(" ")
    if not all(_WORD.fullmatch(w) for w in words):
        raise ValueError("Use apenas letras, espaços, apóstrofos e hífens.")
    if len(words) < 2:
        raise ValueError("Informe o nome completo, com sobrenome.")
    return nome


def age_on(birth: date, today: date) -> int:
    """Completed years; someone born on 29/02 turns older on 01/03 in common years."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def clean_data_nascimento(d: date, today: date, min_age: int = 18) -> date:
    if d > today:
        raise ValueError("A data de nascimento não pode estar no futuro.")
    if d < MIN_BIRTH:
        raise ValueError("Confira a data de nascimento.")
    if age_on(d, today) < min_age:
        raise ValueError(
            f"O titular precisa ter pelo menos {min_age} anos. Para menores de idade, "
            "a solicitação exige um responsável legal e atendimento presencial."
        )
    return d


def clean_celular(text: str) -> str:
    """Return the 11 digits (DDD + 9 + 8 digits) of a Brazilian mobile number."""
    text = (text or "").strip()
    if not text:
        raise ValueError("Informe o celular com DDD.")
    if not _PHONE_TYPED.fullmatch(text):
        raise ValueError("O celular deve conter apenas números.")
    digits = re.sub(r"[^0-9]", "", text)
    # A 13-digit number can only be the country code 55 followed by DDD + number.
    if len(digits) == 13 and digits.startswith("55"):
        digits = digits[2:]
    if len(digits) != 11:
        raise ValueError("Informe o celular com DDD: 11 dígitos, como (11) 98765-4321.")
    if int(digits[:2]) not in DDDS:
        raise ValueError("DDD inválido.")
    if digits[2] != "9":
        raise ValueError("Número de celular inválido: após o DDD ele começa com 9.")
    return digits


def clean_cep(text: str) -> str:
    """Return the 8 digits of a CEP such as "01310-100"."""
    text = (text or "").strip()
    if not text:
        raise ValueError("Informe o CEP.")
    digits = re.sub(r"[.\-\s]", "", text)
    if not (len(digits) == 8 and digits.isascii() and digits.isdigit()):
        raise ValueError("O CEP deve ter 8 números, como 01310-100.")
    if digits == "00000000":
        raise ValueError("CEP inválido.")
    return digits


def clean_uf(text: str) -> str:
    uf = (text or "").strip().upper()
    if not uf:
        raise ValueError("Informe a UF.")
    if uf not in UFS:
        raise ValueError("UF inválida.")
    return uf


def clean_documento_numero(text: str) -> str:
    """Return the document number in upper case without punctuation ("12.345.678-x" → "12345678X")."""
    text = (text or "").strip()
    if not text:
        raise ValueError("Informe o número do documento.")
    if not re.fullmatch(r"[A-Za-z0-9.\-/\s]+", text):
        raise ValueError("Use apenas letras, números, pontos, hífens e barras.")
    numero = re.sub(r"[.\-/\s]", "", text).upper()
    if not any(c.isdigit() for c in numero):
        raise ValueError("O número do documento deve conter algarismos.")
    if len(numero) > DOCUMENTO_MAX:
        raise ValueError(f"O número do documento deve ter no máximo {DOCUMENTO_MAX} caracteres.")
    return numero


# The bodies that issue most identity documents, suggested as the person types.
ORGAOS_EMISSORES = ("SSP", "DETRAN", "PC", "IFP", "SDS", "SESP", "SEJUSP", "IGP", "DPF",
                    "MRE", "CREA", "CRM", "OAB")
ORGAO_EMISSOR_MAX = 30


def clean_orgao_emissor(text: str) -> str:
    """The issuing body's acronym or name, in capitals: letters and spaces only (the UF has
    its own field), so a date or a number typed here is refused."""
    text = " ".join((text or "").split())
    if not text:
        raise ValueError("Informe o órgão emissor, como SSP ou DETRAN.")
    if len(text) > ORGAO_EMISSOR_MAX:
        raise ValueError(f"Use no máximo {ORGAO_EMISSOR_MAX} caracteres.")
    if re.fullmatch(rf"[{_LETTERS}]+\s*/\s*[A-Za-z]{{2}}", text):
        raise ValueError("Informe só o órgão (por exemplo SSP); a UF vai no campo "
                         "“UF de emissão”.")
    if not re.fullmatch(rf"[{_LETTERS}]+(?: [{_LETTERS}]+)*", text):
        raise ValueError("Use só letras, como está no documento: por exemplo SSP, DETRAN, PC "
                         "ou IFP.")
    return text.upper()


def clean_data_emissao(issue: date, birth: date, today: date) -> date:
    if issue > today:
        raise ValueError("A data de emissão não pode estar no futuro.")
    if issue < birth:
        raise ValueError("A data de emissão não pode ser anterior ao nascimento.")
    return issue


def clean_email(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValueError("Informe o e-mail.")
    try:
        # Deliverability needs DNS; the confirmation e-mail proves the address anyway.
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError("E-mail inválido.") from None


def format_celular(digits: str) -> str:
    """ "11987654321" → "(11) 98765-4321"; anything else is returned unchanged."""
    if len(digits) != 11:
        return digits
    return f"({digits[:2]}) {digits[2:7]}-{digits[7:]}"


def format_cep(digits: str) -> str:
    """ "01310100" → "01310-100"; anything else is returned unchanged."""
    if len(digits) != 8:
        return digits
    return f"{digits[:5]}-{digits[5:]}"
