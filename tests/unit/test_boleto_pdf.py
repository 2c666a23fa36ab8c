"""The printed boleto: the text a person reads and the bars a bank's scanner reads."""
import io
from datetime import date

import pytest
from pypdf import PdfReader

from services.pagamento.febraban import make_boleto_numbers
from services.pagamento.boleto_pdf import BoletoPdfData, render_boleto_pdf
from services.pagamento.pix import brcode
from tests.support.pdf import scanned

NUMBERS = make_boleto_numbers("001", "1234567", 1, date(2025, 3, 10), 123456)
PIX = brcode("12345678909", 123456, "Certificação Digital", "Brasília", "PEDIDO000123")


def boleto(**changes) -> BoletoPdfData:
    fields = {
        "numbers": NUMBERS,
        "beneficiario_nome": "Certificação Digital Ltda",
        "beneficiario_cnpj": "12.345.678/0001-90",
        "pagador_nome": "José da Conceição",
        "pagador_documento": "CPF ***.456.789-**",
        "vencimento": date(2025, 3, 10),
        "valor_cents": 123456,
        "numero_documento": "PEDIDO000123",
        "data_documento": date(2025, 3, 7),
        "instrucoes": ["Não receber após o vencimento.", "Referente ao e-CPF A1 — 1 ano."],
    } | changes
    return BoletoPdfData(**fields)


def pdf_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


# What a person reads

def test_boleto_is_one_a4_page():
    reader = PdfReader(io.BytesIO(render_boleto_pdf(boleto(pix_payload=PIX))))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


@pytest.mark.parametrize(
    "shown",
    [
        NUMBERS.linha_digitavel_formatada,
        "R$ 1.234,56",
        "10/03/2025",
        "07/03/2025",
        "001-9",
        NUMBERS.nosso_numero,
        "PEDIDO000123",
        "Certificação Digital Ltda - CNPJ 12.345.678/0001-90",
        "José da Conceição - CPF ***.456.789-**",
        "Pagável em qualquer banco até o vencimento.",
        "Não receber após o vencimento.",
        "Recibo do Pagador",
        "Ficha de Compensação",
    ],
)
def test_boleto_shows(shown):
    assert shown in pdf_text(render_boleto_pdf(boleto()))


def test_full_cpf_never_appears():
    assert "123.456.789-09" not in pdf_text(render_boleto_pdf(boleto()))


def test_typographic_dash_is_printed_as_hyphen():
    assert "Referente ao e-CPF A1 - 1 ano." in pdf_text(render_boleto_pdf(boleto()))


def test_pix_section_appears_only_with_a_pix_payload():
    assert "PIX copia e cola" not in pdf_text(render_boleto_pdf(boleto()))
    assert "PIX copia e cola" in pdf_text(render_boleto_pdf(boleto(pix_payload=PIX)))


def test_pix_copia_e_cola_is_printed_whole():
    text = pdf_text(render_boleto_pdf(boleto(pix_payload=PIX)))
    assert PIX in text.replace("\n", "")


# What a scanner reads

def test_barcode_scans_as_the_44_digits(tmp_path):
    assert scanned(render_boleto_pdf(boleto()), tmp_path, "-Si25.enable") == NUMBERS.barcode


def test_pix_qr_scans_as_the_payload(tmp_path):
    pdf = render_boleto_pdf(boleto(pix_payload=PIX))
    assert scanned(pdf, tmp_path, "-Sdisable", "-Sqrcode.enable") == PIX


def test_the_same_boleto_is_drawn_once_and_a_changed_one_again():
    from services.pagamento.boleto_pdf import render_boleto_pdf_em_cache

    primeiro = render_boleto_pdf_em_cache(boleto())
    assert render_boleto_pdf_em_cache(boleto()) is primeiro  # served from the cache
    outro = render_boleto_pdf_em_cache(boleto(pix_payload=PIX))
    assert outro is not primeiro and "PIX copia e cola" in pdf_text(outro)
