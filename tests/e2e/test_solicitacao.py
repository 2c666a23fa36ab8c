"""The holder's request in a phone browser, JavaScript on and off: link → steps → termo PDF →
"Li e concordo" → "Emissão solicitada"; resuming on another device; Ajuda Interativa."""
import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from models import Certificado, Termo, db
from tests.support.navegador import PHONE, entrar, no_horizontal_scroll
from tests.support.passos import (ate_endereco, contato, continuar, dados_pessoais, documento,
                                   endereco, foto_do_documento)
from tests.support.solicitacao import novo_link



def termos_de(numero):
    """The termos of one certificate (the demo data has others)."""
    return Termo.select().join(Certificado).where(Certificado.numero == numero)

def situacao(numero):
    with db.connection_context():
        return Certificado.get(Certificado.numero == numero).situacao


def test_holder_fills_the_request_and_accepts_the_termo(phone, server):
    numero, token = novo_link(server.app)
    phone.goto(f"/t/{token}")
    phone.get_by_role("link", name="Começar").click()
    expect(phone.get_by_role("heading", name="Dados pessoais")).to_be_visible()
    expect(phone.locator(".etapa")).to_have_text("Etapa 1 de 7")
    if phone.js:
        phone.evaluate("window.mesmaPagina = true")  # survives only in-place swaps

    dados_pessoais(phone)
    continuar(phone, "Contato")
    expect(phone).to_have_url(re.compile(rf"/solicitacao/{numero}/contato$"))

    # A malformed phone: the step comes back (422) with the message at the field.
    contato(phone, celular="6199123")
    with phone.expect_response(lambda r: r.request.method == "POST") as resposta:
        phone.get_by_role("button", name="Continuar").click()
    assert resposta.value.status == 422
    expect(phone.locator(".erro-resumo")).to_contain_text("11 dígitos")
    expect(phone.locator("#celular-erro")).to_contain_text("11 dígitos")
    expect(phone.get_by_label("E-mail")).to_have_value("joao@example.com")
    expect(phone).to_have_title(re.compile(r"^Erro: Contato"))
    assert no_horizontal_scroll(phone)

    contato(phone)
    continuar(phone, "Endereço")
    endereco(phone)
    continuar(phone, "Documento de identificação")
    documento(phone)
    continuar(phone, "Documentos")
    foto_do_documento(phone)
    expect(phone.locator("main")).to_contain_text("(61) 99123-4567")
    assert no_horizontal_scroll(phone)

    # Back from the summary: nothing typed or sent is lost.
    phone.get_by_role("link", name="Voltar").click()
    expect(phone.get_by_role("heading", name="Documentos", exact=True)).to_be_visible()
    expect(phone.locator("main")).to_contain_text("Aguardando conferência")
    phone.get_by_role("link", name="Voltar").click()
    expect(phone.get_by_role("heading", name="Documento de identificação")).to_be_visible()
    expect(phone.get_by_label("Órgão emissor")).to_have_value("SSP")
    continuar(phone, "Confira seus dados")  # the document is already sent

    phone.get_by_role("button", name="Gerar termo de titularidade").click()
    expect(phone.get_by_role("heading", name="Termo de titularidade")).to_be_visible()
    link_pdf = phone.get_by_role("link", name=re.compile("Abrir o termo em PDF"))
    expect(link_pdf).to_have_attribute("target", "_blank")
    pdf = phone.request.get(link_pdf.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    texto = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "João Carlos Alves" in texto and "529.982.247-25" in texto and "Versão: 1" in texto
    with db.connection_context():
        assert termos_de(numero).get().codigo_verificacao in texto

    phone.get_by_label("Li e concordo").check()
    phone.get_by_role("button", name="Enviar solicitação").click()
    expect(phone.get_by_role("heading", name="Emissão solicitada")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("por e-mail")
    assert situacao(numero) == "solicitado"
    if phone.js:
        assert phone.evaluate("window.mesmaPagina === true")
    assert no_horizontal_scroll(phone)


def test_the_same_link_resumes_on_a_fresh_browser(phone, server, browser):
    numero, token = novo_link(server.app)
    ate_endereco(phone, token)

    outro = browser.new_context(java_script_enabled=phone.js, base_url=server.url, **PHONE)
    try:
        pagina = outro.new_page()
        pagina.goto(f"/t/{token}")
        pagina.get_by_role("link", name="Começar").click()
        expect(pagina.get_by_role("heading", name="Endereço")).to_be_visible()
        expect(pagina.locator(".etapa")).to_have_text("Etapa 3 de 7")
        pagina.get_by_role("link", name="Voltar").click()
        expect(pagina.get_by_label("Celular com DDD")).to_have_value("(61) 99123-4567")
    finally:
        outro.close()


def test_holder_corrects_from_the_link_and_accepts_termo_v2(phone, server):
    numero, token = novo_link(server.app)
    ate_endereco(phone, token)
    endereco(phone)
    continuar(phone, "Documento de identificação")
    documento(phone)
    continuar(phone, "Documentos")
    foto_do_documento(phone)
    phone.get_by_role("button", name="Gerar termo de titularidade").click()
    phone.get_by_label("Li e concordo").check()
    phone.get_by_role("button", name="Enviar solicitação").click()
    expect(phone.get_by_role("heading", name="Emissão solicitada")).to_be_visible()

    phone.goto(f"/t/{token}")
    phone.get_by_role("link", name="Ver ou corrigir a solicitação").click()
    expect(phone.get_by_role("heading", name="Confira seus dados")).to_be_visible()
    phone.get_by_role("link", name="Alterar contato").click()
    contato(phone, celular="61988887777")
    continuar(phone, "Confira seus dados")
    phone.get_by_role("button", name="Gerar termo de titularidade").click()
    expect(phone.locator("dl.dados dd").first).to_have_text("2")  # Versão
    phone.get_by_label("Li e concordo").check()
    phone.get_by_role("button", name="Enviar solicitação").click()
    expect(phone.get_by_role("heading", name="Emissão solicitada")).to_be_visible()
    with db.connection_context():
        assert [t.versao for t in termos_de(numero).where(Termo.aceito_em.is_null(False))
                .order_by(Termo.versao)] == [1, 2]
    assert situacao(numero) == "solicitado"


def test_ajuda_interativa_journey_for_the_buyer_who_is_the_holder(phone, server):
    entrar(phone)
    phone.get_by_role("link", name="Ajuda Interativa").click()
    expect(phone.get_by_role("heading", name="Atribuir o certificado")).to_be_visible()
    expect(phone.locator(".etapa")).to_contain_text("Etapa 1 de 9")
    expect(phone.get_by_label("CPF do titular")).to_have_value("123.456.789-09")
    expect(phone.get_by_label("E-mail do titular")).to_have_value("maria@example.com")
    continuar(phone, "Dados pessoais")
    expect(phone.locator(".etapa")).to_contain_text("Etapa 2 de 9")
    expect(phone.locator(".explicacao")).to_be_visible()
    dados_pessoais(phone, "Maria da Silva")
    continuar(phone, "Contato")
    contato(phone, email="maria@example.com")
    continuar(phone, "Endereço")
    endereco(phone)
    continuar(phone, "Documento de identificação")
    documento(phone)
    continuar(phone, "Documentos")
    foto_do_documento(phone)
    expect(phone.locator(".etapa")).to_contain_text("Etapa 7 de 9")
    phone.get_by_role("button", name="Gerar termo de titularidade").click()
    expect(phone.locator(".etapa")).to_contain_text("Etapa 8 de 9")
    phone.get_by_label("Li e concordo").check()
    phone.get_by_role("button", name="Enviar solicitação").click()
    expect(phone.get_by_role("heading", name="Emissão solicitada")).to_be_visible()
    expect(phone.locator(".etapa")).to_contain_text("Etapa 9 de 9")
    # The journey's last task: scheduling the validação cadastral.
    phone.get_by_role("link", name="Agendar videoconferência").click()
    expect(phone.get_by_role("heading",
                             name="Você pode fazer a validação por videoconferência?")).to_be_visible()
    assert no_horizontal_scroll(phone)


def test_help_search_finds_the_boleto_answer(phone, server):
    phone.goto("/")
    phone.get_by_role("link", name="Ajuda", exact=True).first.click()
    expect(phone.get_by_role("heading", name="Ajuda", exact=True)).to_be_visible()
    phone.get_by_label("Buscar na ajuda").fill("boleto")
    if not phone.js:
        phone.get_by_role("button", name="Buscar").click()
    expect(phone.locator("details.pergunta")).to_have_count(1)
    expect(phone.locator("details.pergunta")).to_contain_text("Gerar novo Boleto")
    expect(phone).to_have_url(re.compile(r"q=boleto"))


def test_wizard_pages_have_no_axe_violations(browser, server):
    from axe_playwright_python.sync_playwright import Axe

    numero, token = novo_link(server.app)
    context = browser.new_context(base_url=server.url, **PHONE)
    try:
        page = context.new_page()
        page.js = True
        axe = Axe()

        def violacoes():
            return [(v["id"], [n["html"] for n in v["nodes"]])
                    for v in axe.run(page).response["violations"]]

        page.goto(f"/t/{token}")
        page.get_by_role("link", name="Começar").click()
        page.get_by_role("button", name="Continuar").click()  # empty: every error shown
        expect(page.locator(".erro-resumo")).to_be_visible()
        assert violacoes() == []
        dados_pessoais(page)
        continuar(page, "Contato")
        contato(page)
        continuar(page, "Endereço")
        endereco(page)
        continuar(page, "Documento de identificação")
        documento(page)
        continuar(page, "Documentos")
        assert violacoes() == []
        foto_do_documento(page)
        assert violacoes() == []
        page.get_by_role("button", name="Gerar termo de titularidade").click()
        expect(page.get_by_role("heading", name="Termo de titularidade")).to_be_visible()
        assert violacoes() == []
        page.goto("/ajuda/?q=boleto")
        assert violacoes() == []
    finally:
        context.close()


def foto_grande():
    """A 3200 x 2400 phone photo with detail (noise), well over what the step keeps."""
    from PIL import Image
    imagem = Image.effect_noise((3200, 2400), 20).convert("RGB")
    saida = io.BytesIO()
    imagem.save(saida, "JPEG", quality=80)  # about 2.7 MB
    return saida.getvalue()


def test_the_document_photo_is_reduced_in_the_browser_with_javascript(phone, server):
    numero, token = novo_link(server.app)
    ate_endereco(phone, token)
    endereco(phone)
    continuar(phone, "Documento de identificação")
    documento(phone)
    continuar(phone, "Documentos")
    if phone.js:  # the step's script, loaded after the htmx swap, has prepared the form
        expect(phone.locator("form[data-documentos]")).to_have_attribute("data-pronto", "")
    campo = phone.get_by_label("Frente do documento, ou o PDF")
    expect(campo).to_have_attribute("capture", "environment")
    original = foto_grande()
    campo.set_input_files(files=[{"name": "frente.jpg", "mimeType": "image/jpeg",
                                  "buffer": original}])
    botao = phone.get_by_role("button", name="Enviar documento")
    if phone.js:  # the file that will travel: at most 1600 px as JPEG, a fraction of the photo
        expect(botao).to_be_enabled()
        reduzida = phone.evaluate("""() => { const f = document.getElementById('frente').files[0];
                                            return [f.size, f.type, f.name]; }""")
        assert reduzida[0] < len(original) / 2 and reduzida[1:] == ["image/jpeg", "frente.jpg"]
    botao.click()  # without JavaScript the plain input sends the photo as it is
    expect(phone.get_by_role("heading", name="Confira seus dados")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("Aguardando conferência")
    assert no_horizontal_scroll(phone)
    phone.get_by_role("link", name="Alterar documentos").click()
    expect(phone.get_by_role("link", name="Frente")).to_be_visible()
