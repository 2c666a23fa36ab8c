"""Termo de titularidade for the e-CPF A1 (docs/dominio.md §5) as a PDF.

The same ``TermoData`` always yields the same bytes and the same verification
code, so a stored termo can be checked against the data it was generated from.
"""

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from stdnum.br import cpf as stdnum_cpf

from services.nucleo.formatacao import format_date, format_time
from relogio import TZ

TITULO = "Termo de Titularidade — Certificado Digital e-CPF A1"
CERTIFICADO = "e-CPF A1, validade de 12 meses"
DECLARACOES = (
    "Os dados que informei são verdadeiros e completos, e respondo por eles.",
    "Manterei a chave privada do certificado e a senha que a protege em sigilo e sob meu "
    "controle exclusivo, sem compartilhá-las com ninguém.",
    "Utilizarei o certificado somente para os fins permitidos pela sua Política de "
    "Certificado, no âmbito da ICP-Brasil.",
    "Solicitarei imediatamente a revogação do certificado se a chave privada ou a senha "
    "puderem ter sido comprometidas, ou se algum dado do certificado mudar.",
    "Autorizo o tratamento dos meus dados pessoais para a emissão do certificado, nos termos "
    "da Lei Geral de Proteção de Dados Pessoais (LGPD — Lei nº 13.709/2018).",
)

_BODY_PT = 12  # large enough to read on a phone with the page fitted to the width
_LINE_MM = 6.5


@dataclass(frozen=True)
class TermoData:
    nome: str
    cpf: str  # 11 digits
    data_nascimento: date
    email: str
    documento_tipo: str
    documento_numero: str
    documento_emissor: str
    documento_uf: str
    processo_id: str
    versao: int
    gerado_em: datetime  # aware

    def __post_init__(self):
        if not (len(self.cpf) == 11 and self.cpf.isascii() and self.cpf.isdigit()):
            raise ValueError("cpf must be 11 digits")
        if self.gerado_em.tzinfo is None or self.gerado_em.utcoffset() is None:
            raise ValueError("gerado_em must be a timezone-aware datetime")


def verification_code(data: TermoData) -> str:
    """First 64 bits of SHA-256 over the fields, as "A1B2-C3D4-E5F6-0718"."""
    fields = asdict(data)
    fields["data_nascimento"] = data.data_nascimento.isoformat()
    # The instant matters, not the zone it was expressed in.
    fields["gerado_em"] = data.gerado_em.astimezone(timezone.utc).isoformat()
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def _format_gerado_em(dt: datetime) -> str:
    local = dt.astimezone(TZ)
    return f"{format_date(local)} às {format_time(local)}"


def _pdf_text(text: str) -> str:
    """Core fonts only cover windows-1252: fold anything else to its base letter."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


class _TermoPDF(FPDF):
    def __init__(self, code: str):
        super().__init__(format="A4")
        self.code = code
        # windows-1252 rather than latin-1 so the em dash of the title is printable.
        self.core_fonts_encoding = "windows-1252"

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(
            0, 5, f"Código de verificação {self.code} — página {self.page_no()}/{{nb}}", align="C"
        )


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=_BODY_PT)


def _field(pdf: FPDF, label: str, value: str) -> None:
    # write() wraps long values (e-mails, names) instead of clipping them.
    pdf.set_font("Helvetica", "B", _BODY_PT)
    pdf.write(_LINE_MM, f"{label}: ")
    pdf.set_font("Helvetica", size=_BODY_PT)
    pdf.write(_LINE_MM, _pdf_text(value))
    pdf.ln(_LINE_MM + 1)


def _clause(pdf: FPDF, number: int, text: str) -> None:
    indent = 8
    y = pdf.get_y()
    pdf.cell(indent, _LINE_MM, f"{number}.")
    pdf.set_xy(pdf.l_margin + indent, y)
    pdf.multi_cell(0, _LINE_MM, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def render_termo_pdf(data: TermoData) -> bytes:
    code = verification_code(data)
    pdf = _TermoPDF(code)
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_title(TITULO)
    pdf.set_lang("pt-BR")
    # A fixed creation date (instead of "now") makes the bytes reproducible.
    pdf.set_creation_date(data.gerado_em)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, TITULO, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    _heading(pdf, "Identificação do titular")
    _field(pdf, "Nome", data.nome)
    _field(pdf, "CPF", stdnum_cpf.format(data.cpf))
    _field(pdf, "Data de nascimento", format_date(data.data_nascimento))
    _field(pdf, "E-mail", data.email)
    _field(pdf, "Documento de identidade", data.documento_tipo)
    _field(pdf, "Número do documento", data.documento_numero)
    _field(pdf, "Órgão emissor / UF", f"{data.documento_emissor} / {data.documento_uf}")

    _heading(pdf, "Certificado")
    _field(pdf, "Tipo e validade", CERTIFICADO)
    _field(pdf, "ID Processo Compra (Contrato)", data.processo_id)

    _heading(pdf, "Declarações do titular")
    pdf.multi_cell(
        0, _LINE_MM, "Como titular do certificado, declaro que:", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(1.5)
    for number, text in enumerate(DECLARACOES, start=1):
        _clause(pdf, number, text)

    _heading(pdf, "Registro")
    _field(pdf, "Gerado em", f"{_format_gerado_em(data.gerado_em)} (horário de Brasília)")
    _field(pdf, "Versão", str(data.versao))
    _field(pdf, "Código de verificação", code)

    return bytes(pdf.output())
