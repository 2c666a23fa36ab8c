"""The printable boleto: one A4 page, "recibo do pagador" on top, "ficha de compensação" at the bottom.

Measures follow docs/dominio.md §8: Interleaved 2 of 5 bars, narrow 0.33 mm, wide 3× narrow,
13 mm high, at least 5 mm of blank space on each side; the slip about 100 mm high at the foot of
the page.
"""

import hashlib
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby

import segno
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from services.pagamento.febraban import BoletoNumbers
from services.nucleo.formatacao import format_brl, format_date

PAGE_HEIGHT = 297
MARGIN = 10
CONTENT_WIDTH = 190
RIGHT_COLUMN = 50  # vencimento, nosso número and amounts, as on every bank's slip
LEFT_COLUMN = CONTENT_WIDTH - RIGHT_COLUMN
ROW = 9
HEADER = 10
PAGADOR_ROW = 12

NARROW_BAR = 0.33
WIDE_BAR = 3 * NARROW_BAR  # fpdf2's interleaved2of5 takes the wide bar and draws narrow = w / 3
BAR_HEIGHT = 13
QUIET_ZONE = 5  # bars start this far inside the slip's left edge; nothing is drawn beside them
BAR_TOP_GAP = 6  # room for the "Autenticação mecânica" caption above the bars

FICHA_HEIGHT = HEADER + 6 * ROW + PAGADOR_ROW + BAR_TOP_GAP + BAR_HEIGHT + 5
FICHA_TOP = PAGE_HEIGHT - MARGIN - FICHA_HEIGHT

QR_SIZE = 40
QR_BORDER = 4  # modules of quiet zone the QR standard asks for

# Typographic signs that text editors insert and latin-1 lacks.
_TYPOGRAPHY = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


@dataclass(frozen=True)
class BoletoPdfData:
    numbers: BoletoNumbers
    beneficiario_nome: str
    beneficiario_cnpj: str  # as printed: 12.345.678/0001-90
    pagador_nome: str
    pagador_documento: str  # as printed: "CPF ***.456.789-**" or "CNPJ 11.222.333/0001-81"
    vencimento: date
    valor_cents: int
    numero_documento: str
    data_documento: date
    instrucoes: Sequence[str] = ()
    local_pagamento: str = "Pagável em qualquer banco até o vencimento."
    pix_payload: str | None = None
    bank_name: str = "Banco do Brasil"
    bank_code: str = "001-9"
    pagador_endereco: str = ""  # one line; an organisation's, under its name


def render_boleto_pdf(data: BoletoPdfData) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)  # one page, always: nothing may push the slip onto a second
    pdf.set_title(f"Boleto {data.numero_documento}")
    pdf.set_lang("pt-BR")
    pdf.add_page()
    bottom = _draw_receipt(pdf, data, MARGIN)
    if data.pix_payload:
        _draw_pix(pdf, data, bottom + 8)
    _draw_cut_line(pdf, FICHA_TOP - 4)
    _draw_ficha(pdf, data, FICHA_TOP)
    return bytes(pdf.output())


def _draw_receipt(pdf: FPDF, data: BoletoPdfData, y: float) -> float:
    """The payer's part; returns where it ends."""
    _text(pdf, MARGIN, y, CONTENT_WIDTH, "Recibo do Pagador", size=10, style="B")
    y = _draw_header(pdf, data, y + 6)
    _field(pdf, MARGIN, y, LEFT_COLUMN, "Beneficiário", _beneficiario(data))
    _field(pdf, MARGIN + LEFT_COLUMN, y, RIGHT_COLUMN, "Vencimento", format_date(data.vencimento), Align.R)
    y += ROW
    height = PAGADOR_ROW if data.pagador_endereco else ROW
    _pagador_field(pdf, MARGIN, y, LEFT_COLUMN, data, height)
    _field(pdf, MARGIN + LEFT_COLUMN, y, RIGHT_COLUMN, "Nosso número", data.numbers.nosso_numero,
           Align.R, height)
    y += height
    third = LEFT_COLUMN / 3
    _field(pdf, MARGIN, y, third, "Número do documento", data.numero_documento)
    _field(pdf, MARGIN + third, y, third, "Data do documento", format_date(data.data_documento))
    _field(pdf, MARGIN + 2 * third, y, third, "Espécie", "R$")
    _field(pdf, MARGIN + LEFT_COLUMN, y, RIGHT_COLUMN, "Valor do documento",
           format_brl(data.valor_cents), Align.R)
    y += ROW
    _text(pdf, MARGIN, y + 1, CONTENT_WIDTH, "Autenticação mecânica", size=6, align=Align.R)
    return y + 6


def _draw_pix(pdf: FPDF, data: BoletoPdfData, y: float) -> None:
    payload = data.pix_payload
    _text(pdf, MARGIN, y, CONTENT_WIDTH, "Pague com PIX", size=11, style="B")
    _draw_qr(pdf, payload, MARGIN, y + 6, QR_SIZE)
    x = MARGIN + QR_SIZE + 6
    width = CONTENT_WIDTH - QR_SIZE - 6
    pdf.set_xy(x, y + 8)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        width, 4.5,
        "Abra o app do seu banco, escolha pagar com PIX e leia o QR Code ou cole o código abaixo. "
        "O pagamento por PIX é confirmado na hora.",
        new_x=XPos.LEFT, new_y=YPos.NEXT,
    )
    # The BR Code has no payer field (services/pagamento/pix.py): the page says whose it is.
    pdf.multi_cell(width, 4.5, _latin1(f"Pagador: {_pagador(data)}"),
                   new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(width, 6, "PIX copia e cola", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 8)
    # The payload has almost no spaces: break anywhere so every character stays on the page.
    pdf.multi_cell(width, 4, payload, wrapmode=WrapMode.CHAR)


def _draw_qr(pdf: FPDF, payload: str, x: float, y: float, size: float) -> None:
    """Vector squares from segno's matrix, one rectangle per horizontal run of dark modules."""
    rows = list(segno.make_qr(payload, error="m").matrix_iter(border=QR_BORDER))
    module = size / len(rows)
    pdf.set_fill_color(0)
    for row_index, row in enumerate(rows):
        column = 0
        for dark, run in groupby(row):
            length = len(list(run))
            if dark:
                pdf.rect(x + column * module, y + row_index * module, length * module, module, style="F")
            column += length


def _draw_cut_line(pdf: FPDF, y: float) -> None:
    _text(pdf, MARGIN, y - 3, CONTENT_WIDTH, "Corte na linha pontilhada", size=6, align=Align.R)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=1, gap=1)
        pdf.line(MARGIN, y, MARGIN + CONTENT_WIDTH, y)


def _draw_ficha(pdf: FPDF, data: BoletoPdfData, y: float) -> None:
    """The part the bank reads: fields in FEBRABAN order, amounts on the right, bars at the foot."""
    y = _draw_header(pdf, data, y)
    right = MARGIN + LEFT_COLUMN
    right_fields = (
        ("Vencimento", format_date(data.vencimento)),
        ("Nosso número", data.numbers.nosso_numero),
        ("(=) Valor do documento", format_brl(data.valor_cents)),
        ("(-) Desconto / Abatimento", ""),
        ("(+) Mora / Multa", ""),
        ("(=) Valor cobrado", ""),
    )
    for index, (label, value) in enumerate(right_fields):
        _field(pdf, right, y + index * ROW, RIGHT_COLUMN, label, value, Align.R)
    _field(pdf, MARGIN, y, LEFT_COLUMN, "Local de pagamento", data.local_pagamento)
    _field(pdf, MARGIN, y + ROW, LEFT_COLUMN, "Beneficiário", _beneficiario(data))
    third = LEFT_COLUMN / 3
    _field(pdf, MARGIN, y + 2 * ROW, third, "Data do documento", format_date(data.data_documento))
    _field(pdf, MARGIN + third, y + 2 * ROW, third, "Número do documento", data.numero_documento)
    _field(pdf, MARGIN + 2 * third, y + 2 * ROW, third, "Espécie", "R$")
    _draw_instructions(pdf, data.instrucoes, y + 3 * ROW)
    y += 6 * ROW
    _pagador_field(pdf, MARGIN, y, CONTENT_WIDTH, data, PAGADOR_ROW)
    y += PAGADOR_ROW
    _text(pdf, MARGIN, y + 1, CONTENT_WIDTH, "Autenticação mecânica - Ficha de Compensação",
          size=6, align=Align.R)
    pdf.set_fill_color(0)
    pdf.interleaved2of5(data.numbers.barcode, x=MARGIN + QUIET_ZONE, y=y + BAR_TOP_GAP,
                        w=WIDE_BAR, h=BAR_HEIGHT)


def _pagador_field(pdf: FPDF, x: float, y: float, w: float, data: BoletoPdfData,
                   height: float) -> None:
    """Name and document; an organisation's address on a second, smaller line."""
    if not data.pagador_endereco:
        _field(pdf, x, y, w, "Pagador", _pagador(data), height=height)
        return
    _field(pdf, x, y, w, "Pagador", "", height=height)
    _text(pdf, x + 1, y + 3.6, w - 2, _pagador(data), size=9)
    _text_fitted(pdf, x + 1, y + height - 4, w - 2, data.pagador_endereco, size=8)


def _draw_header(pdf: FPDF, data: BoletoPdfData, y: float) -> float:
    """Bank name | bank code | digitable line, over a thick rule; returns the y below it."""
    _text(pdf, MARGIN, y + 2, 45, data.bank_name, size=11, style="B")
    with pdf.local_context(line_width=0.6):
        pdf.line(MARGIN + 45, y + 1, MARGIN + 45, y + HEADER)
        pdf.line(MARGIN + 65, y + 1, MARGIN + 65, y + HEADER)
        pdf.line(MARGIN, y + HEADER, MARGIN + CONTENT_WIDTH, y + HEADER)
    _text(pdf, MARGIN + 45, y + 2, 20, data.bank_code, size=14, style="B", align=Align.C)
    _text(pdf, MARGIN + 65, y + 2.5, CONTENT_WIDTH - 65, data.numbers.linha_digitavel_formatada,
          size=11, style="B", align=Align.R)
    return y + HEADER


def _draw_instructions(pdf: FPDF, instructions: Sequence[str], y: float) -> None:
    _field(pdf, MARGIN, y, LEFT_COLUMN, "Instruções (texto de responsabilidade do beneficiário)", "",
           height=3 * ROW)
    pdf.set_xy(MARGIN + 1, y + 4)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(LEFT_COLUMN - 2, 3.6, "\n".join(_latin1(line) for line in instructions))


def _field(pdf: FPDF, x: float, y: float, w: float, label: str, value: str,
           align: Align = Align.L, height: float = ROW) -> None:
    """A bordered box with a small label on top and the value below, as on every boleto."""
    pdf.set_line_width(0.2)
    pdf.rect(x, y, w, height)
    _text(pdf, x + 1, y + 0.6, w - 2, label, size=6)
    _text(pdf, x + 1, y + height - 5, w - 2, value, size=9, align=align)


def _text(pdf: FPDF, x: float, y: float, w: float, text: str, size: float,
          style: str = "", align: Align = Align.L) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.set_xy(x, y)
    pdf.cell(w, size * 0.45, _latin1(text), align=align)


def _text_fitted(pdf: FPDF, x: float, y: float, w: float, text: str, size: float) -> None:
    """`text` on one line of width `w`: smaller type down to 6 pt, then cut with "..."."""
    text = _latin1(text)
    while size > 6:
        pdf.set_font("Helvetica", "", size)
        if pdf.get_string_width(text) <= w:
            break
        size -= 0.5
    pdf.set_font("Helvetica", "", size)
    if pdf.get_string_width(text) > w:
        while text and pdf.get_string_width(text + "...") > w:
            text = text[:-1]
        text = text.rstrip() + "..."
    pdf.set_xy(x, y)
    pdf.cell(w, size * 0.45, text)


def _beneficiario(data: BoletoPdfData) -> str:
    return f"{data.beneficiario_nome} - CNPJ {data.beneficiario_cnpj}"


def _pagador(data: BoletoPdfData) -> str:
    return f"{data.pagador_nome} - {data.pagador_documento}"


def _latin1(text: str) -> str:
    """Core PDF fonts only cover latin-1 (all of Portuguese): 'Dvořák' -> 'Dvorak', 'a — b' -> 'a - b'."""
    return "".join(ch if ord(ch) < 256 else _base_letter(ch) for ch in text.translate(_TYPOGRAPHY))


def _base_letter(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 256) or "?"


_PDFS_MAXIMO = 256
_pdfs = {}  # sha256 of the PDF's data -> the PDF, newest last
_pdfs_lock = threading.Lock()


def render_boleto_pdf_em_cache(dados):
    """The boleto PDF for `dados`, rendered once per process and content: drawing it (QR
    and barcode) costs more than the page that links to it. Keyed by what is printed, so a
    changed boleto never gets an old PDF; a few hundred kept, the oldest dropped first."""
    chave = hashlib.sha256(repr(dados).encode()).hexdigest()
    with _pdfs_lock:
        pdf = _pdfs.get(chave)
    if pdf is None:
        pdf = render_boleto_pdf(dados)
        with _pdfs_lock:
            _pdfs[chave] = pdf
            while len(_pdfs) > _PDFS_MAXIMO:
                del _pdfs[next(iter(_pdfs))]
    return pdf
