"""Manual, "Proposta comercial", on a phone with JavaScript on and off: Maria (Gestor of the
demo prefeitura) generates a proposta for 3 certificates in Solicite agora, downloads its PDF
(CNPJ, quantity, total, validity), and contracts it with a nota de empenho, which the boleto
PDF shows."""
import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.support.navegador import entrar, no_horizontal_scroll


def texto_pdf(resposta):
    assert resposta.status == 200 and resposta.headers["content-type"] == "application/pdf"
    leitor = PdfReader(io.BytesIO(resposta.body()))
    return " ".join(" ".join(p.extract_text() for p in leitor.pages).split())


def test_maria_generates_downloads_and_contracts_a_proposta_with_an_empenho(phone, server):
    entrar(phone)
    phone.goto("/solicite-agora/")
    phone.get_by_label("Quantidade de certificados").fill("3")
    phone.get_by_role("button", name="Gerar proposta").click()
    expect(phone.get_by_role("heading", name=re.compile(r"^Proposta P\d+$"))).to_be_visible()
    expect(phone.locator("dl.dados")).to_contain_text("CNPJ 11.222.333/0001-81")
    expect(phone.locator("dl.dados")).to_contain_text("R$ 450,00")
    validade = phone.locator("dl.dados dt:has-text('Válida até') + dd").inner_text()
    assert no_horizontal_scroll(phone)

    link = phone.get_by_role("link", name="Baixar a proposta (PDF)")
    expect(link).to_have_attribute("target", "_blank")
    pdf = texto_pdf(phone.request.get(link.get_attribute("href")))
    for esperado in ("11.222.333/0001-81", "Prefeitura Municipal de Exemplo", "R$ 450,00",
                     f"válida até {validade}"):
        assert esperado in pdf, esperado
    assert re.search(r"Certificado Digital e-CPF A1 \(1 ano\) 3 R\$ 150,00 R\$ 450,00", pdf)

    phone.get_by_role("link", name="Propostas").first.click()
    expect(phone.get_by_role("heading", name="Propostas")).to_be_visible()
    expect(phone.locator("table.tabela-propostas")).to_contain_text("Aberta")
    phone.locator("table.tabela-propostas a", has_text=re.compile(r"^P\d+$")).first.click()

    phone.get_by_label("Número da nota de empenho").fill("2026NE000123")
    phone.get_by_role("button", name="Contratar esta proposta").click()
    expect(phone.get_by_role("heading", name=re.compile(r"^Boleto "))).to_be_visible()
    expect(phone.get_by_text(re.compile(r"Proposta contratada: compra \d+ registrada"))
           ).to_be_visible()
    boleto = phone.get_by_role("link", name="Visualizar boleto (PDF)")
    assert "Nota de empenho 2026NE000123" in texto_pdf(
        phone.request.get(boleto.get_attribute("href")))
    assert no_horizontal_scroll(phone)
