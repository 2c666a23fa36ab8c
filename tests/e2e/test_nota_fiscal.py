"""Issue 22, steps 3 and 4, on a phone with JavaScript on and off: the agent attaches the nota
fiscal (PDF + XML) to a paid purchase in Pagamentos; a forged XML for another CNPJ is refused;
Carlos ("Compras e financeiro") sees "Nota fiscal" in Financeiro and downloads both files."""
from pathlib import Path

from playwright.sync_api import expect

from models import ProcessoCompra, db
from tests.support import financeiro as helpers
from tests.support.navegador import entrar, no_horizontal_scroll
from tests.support.nota_fiscal import pdf_da_nota, xml_da_nota


def _arquivo(nome, tipo, dados):
    return {"name": nome, "mimeType": tipo, "buffer": dados}


def test_the_agent_attaches_the_nota_and_carlos_downloads_it(phone, server):
    with db.connection_context():
        boleto = helpers.boleto_pago()
        processo = ProcessoCompra.get_by_id(boleto.processo_id)
    pdf, xml = pdf_da_nota(), xml_da_nota(processo)

    entrar(phone, "987.654.321-00", "agente12345")
    phone.goto("/pagamentos/")
    phone.get_by_label("Nosso número ou linha digitável").fill(boleto.nosso_numero)
    phone.get_by_role("button", name="Buscar").click()
    expect(phone.get_by_role("heading", name="Nota fiscal")).to_be_visible()

    # A forged XML, made out to another CNPJ: refused, naming both.
    phone.get_by_label("XML da NFS-e").set_input_files(
        files=[_arquivo("forjada.xml", "application/xml",
                        xml_da_nota(processo, cnpj="99888777000166"))])
    phone.get_by_role("button", name="Anexar nota fiscal").click()
    expect(phone.locator(".erro-resumo")).to_contain_text(
        "O CNPJ do tomador na nota (99.888.777/0001-66) não é o da compra (11.222.333/0001-81)")

    phone.get_by_label("PDF da nota (DANFSe)").set_input_files(
        files=[_arquivo("nota.pdf", "application/pdf", pdf)])
    phone.get_by_label("XML da NFS-e").set_input_files(
        files=[_arquivo("nota.xml", "application/xml", xml)])
    phone.get_by_role("button", name="Anexar nota fiscal").click()
    expect(phone.get_by_text("Nota fiscal nº 123 anexada")).to_be_visible()
    expect(phone.get_by_text("NFS-e nº 123 (PDF e XML)")).to_be_visible()
    assert no_horizontal_scroll(phone)

    phone.context.clear_cookies()
    entrar(phone, "258.369.147-37", "demo12345")
    phone.get_by_role("link", name="Financeiro").first.click()
    cartao = phone.locator(f"#boleto-{boleto.id}")
    expect(cartao).to_contain_text("Nota fiscal")
    expect(cartao).to_contain_text("NFS-e nº 123")
    assert no_horizontal_scroll(phone)
    for formato, conteudo in (("PDF", pdf), ("XML", xml)):
        with phone.expect_download() as baixando:
            cartao.get_by_role("link", name=f"{formato} da NFS-e nº 123").click()
        assert Path(baixando.value.path()).read_bytes() == conteudo
