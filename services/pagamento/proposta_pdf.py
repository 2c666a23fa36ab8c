"""The proposta comercial as a PDF: one A4 page a public body files to open its process and
issue the nota de empenho. Drawn from the stored proposta, so downloading it again gives the
same document."""
from dataclasses import dataclass
from datetime import date, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from services.nucleo.formatacao import format_brl, format_date
from services.titular.termo_pdf import _pdf_text

ITEM = "Certificado Digital e-CPF A1 (1 ano)"
_LINHA = 6


@dataclass(frozen=True)
class PropostaPdfData:
    numero: str
    codigo_verificacao: str
    emitida_em: date
    valida_ate: date
    validade_dias: int
    quantidade: int
    valor_unitario_centavos: int
    total_centavos: int
    destinatario_nome: str
    destinatario_documento: str  # as printed: "CNPJ 11.222.333/0001-81"
    destinatario_endereco: str
    vendedor_nome: str
    vendedor_cnpj: str
    prazo_dias_uteis: int
    criada_em: datetime  # fixes the PDF's creation date: the same bytes every time


class _PropostaPDF(FPDF):
    def __init__(self, codigo):
        super().__init__(format="A4")
        self.codigo = codigo
        self.core_fonts_encoding = "windows-1252"

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 5, f"Código de verificação {self.codigo} — página {self.page_no()}/{{nb}}",
                  align="C")


def _titulo(pdf, texto):
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, _pdf_text(texto), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=11)


def _campo(pdf, rotulo, valor):
    pdf.set_font("Helvetica", "B", 11)
    pdf.write(_LINHA, f"{rotulo}: ")
    pdf.set_font("Helvetica", size=11)
    pdf.write(_LINHA, _pdf_text(valor))
    pdf.ln(_LINHA + 0.5)


def _itens(pdf, dados):
    larguras = (86, 24, 32, 32)
    with pdf.table(col_widths=larguras, text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   line_height=_LINHA + 1) as tabela:
        tabela.row(("Item", "Quantidade", "Valor unitário", "Total"))
        tabela.row((ITEM, str(dados.quantidade), format_brl(dados.valor_unitario_centavos),
                    format_brl(dados.total_centavos)))


def render_proposta_pdf(dados: PropostaPdfData) -> bytes:
    pdf = _PropostaPDF(dados.codigo_verificacao)
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_title(f"Proposta comercial {dados.numero}")
    pdf.set_lang("pt-BR")
    pdf.set_creation_date(dados.criada_em)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, f"Proposta comercial nº {dados.numero}", align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, _LINHA, f"Emitida em {format_date(dados.emitida_em)} - válida até "
             f"{format_date(dados.valida_ate)} ({dados.validade_dias} dias)", align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    _titulo(pdf, "Fornecedor")
    _campo(pdf, "Razão social", dados.vendedor_nome)
    _campo(pdf, "CNPJ", dados.vendedor_cnpj)

    _titulo(pdf, "Destinatário")
    _campo(pdf, "Razão social", dados.destinatario_nome)
    _campo(pdf, "Documento", dados.destinatario_documento)
    if dados.destinatario_endereco:
        _campo(pdf, "Endereço", dados.destinatario_endereco)

    _titulo(pdf, "Objeto")
    _itens(pdf, dados)
    pdf.ln(2)
    _campo(pdf, "Valor total da proposta", format_brl(dados.total_centavos))

    _titulo(pdf, "Condições")
    for numero, texto in enumerate((
        f"Validade: {dados.validade_dias} dias, até {format_date(dados.valida_ate)}.",
        f"Pagamento por boleto bancário (ou PIX), com vencimento em {dados.prazo_dias_uteis} "
        "dias úteis após a contratação.",
        "Emissão dos certificados após o reconhecimento do pagamento, com validação do "
        "titular por videoconferência.",
        "Para contratar: Área do Cliente, menu Propostas, \"Contratar esta proposta\", "
        "informando o número da nota de empenho.",
    ), start=1):
        pdf.multi_cell(0, _LINHA, _pdf_text(f"{numero}. {texto}"), align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    _campo(pdf, "Código de verificação", dados.codigo_verificacao)
    return bytes(pdf.output())
