"""Manual, answers 2–4, on a phone with JavaScript on and off: Solicitação de Certificado
Digital → Gerenciar Certificados → Gerenciar → Atribuir Certificado → Atribuir; the holder
reads the e-mail (from a real SMTP server) and opens the link; Reatribuir; filter "Todos"."""
import re

import pytest

from playwright.sync_api import expect

from models import Certificado, Conta, ProcessoCompra, db
from tests.support.caixa_smtp import e2e_config, smtp  # noqa: F401  (fixtures: a real SMTP server)
from tests.support.navegador import entrar, no_horizontal_scroll


def certificados_pagos(server):
    with db.connection_context():
        maria = Conta.get(Conta.cpf == "12345678909")
        return {c.situacao: c.numero for c in Certificado.select().join(ProcessoCompra).where(
            (ProcessoCompra.comprador == maria) & (ProcessoCompra.situacao == "pago"))}


def abrir_gerenciar(page, numero):
    page.get_by_role("link", name="Solicitação de Certificado Digital").first.click()
    expect(page.get_by_role("heading", name="Solicitação de Certificado Digital")).to_be_visible()
    page.get_by_role("link", name="Gerenciar Certificados").click()
    expect(page.get_by_role("heading", name="Gerenciar Certificados")).to_be_visible()
    botao = page.get_by_role("link", name=f"Gerenciar certificado {numero}")
    # Visible text "Gerenciar"; screen readers also hear which certificate.
    expect(botao).to_have_text(f"Gerenciar certificado {numero}")
    expect(botao.locator(".visualmente-oculto")).to_have_text(f" certificado {numero}")
    botao.click()
    expect(page.get_by_role("heading", name="Atribuir/Gerenciar Certificado Digital")).to_be_visible()


def preencher_titular(page, cpf, email_titular, confirmacao=None):
    page.get_by_label("CPF do titular").fill(cpf)
    page.get_by_label("E-mail do titular", exact=True).fill(email_titular)
    page.get_by_label("Confirme o e-mail do titular").fill(confirmacao or email_titular)


def sair(page):
    page.get_by_role("button", name="Sair").click()
    expect(page.get_by_role("heading", name="Entrar na Área do Cliente")).to_be_visible()


def test_assign_then_the_holder_opens_the_link_from_the_email(phone, server, smtp):
    numero = certificados_pagos(server)["disponivel"]
    entrar(phone)
    abrir_gerenciar(phone, numero)
    phone.get_by_role("link", name="Atribuir Certificado").click()
    expect(phone.get_by_role("heading", name="Atribuir Certificado")).to_be_visible()
    preencher_titular(phone, "222.333.666-38", "ana@example.com")
    phone.get_by_role("button", name="Atribuir", exact=True).click()
    expect(phone.locator(".aviso-sucesso")).to_contain_text("Enviamos o link para an***@example.com")
    expect(phone.locator(".dados")).to_contain_text("Aguardando solicitação do titular")
    assert no_horizontal_scroll(phone)

    link = smtp.link_para("ana@example.com")
    sair(phone)
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Seu Certificado Digital e-CPF A1")).to_be_visible()
    expect(phone.locator(".dados")).to_contain_text(numero)
    expect(phone.locator(".dados")).to_contain_text("Maria da Silva")
    assert "/t/" not in phone.url  # the token leaves the address bar
    assert no_horizontal_scroll(phone)


def test_bad_cpf_is_shown_at_the_field_with_the_values_kept(phone, server, smtp):
    numero = certificados_pagos(server)["disponivel"]
    entrar(phone)
    phone.goto(f"/certificados/{numero}/atribuir")
    preencher_titular(phone, "123.456.789-00", "ana@example.com", "ana@exemple.com")
    phone.get_by_role("button", name="Atribuir", exact=True).click()
    expect(phone).to_have_title(re.compile(r"^Erro: "))
    expect(phone.locator("#cpf-erro")).to_contain_text("CPF inválido")
    expect(phone.locator("#email_confirmacao-erro")).to_contain_text("Os e-mails não são iguais")
    expect(phone.get_by_label("CPF do titular")).to_have_value("123.456.789-00")
    expect(phone.get_by_label("E-mail do titular", exact=True)).to_have_value("ana@example.com")
    assert smtp.mensagens == []


def test_reassign_kills_the_old_link_and_the_new_one_works(phone, server, smtp):
    numero = certificados_pagos(server)["disponivel"]
    entrar(phone)
    phone.goto(f"/certificados/{numero}/atribuir")
    preencher_titular(phone, "222.333.666-38", "ana@example.com")
    phone.get_by_role("button", name="Atribuir", exact=True).click()
    expect(phone.locator(".aviso-sucesso")).to_be_visible()
    antigo = smtp.link_para("ana@example.com")
    enviados = len(smtp.mensagens)

    phone.get_by_role("link", name="Reatribuir").click()
    expect(phone.get_by_role("heading", name="Reatribuir o certificado")).to_be_visible()
    aviso = phone.get_by_role("note")
    expect(aviso).to_contain_text("deixa de funcionar na hora")
    expect(aviso).to_contain_text("são descartados")
    expect(aviso).to_contain_text("as duas pessoas são avisadas por e-mail")
    preencher_titular(phone, "111.444.777-35", "bia@example.com")
    phone.get_by_role("button", name="Reatribuir").click()
    expect(phone.locator(".aviso-sucesso")).to_contain_text("bi***@example.com")
    novo = smtp.link_para("bia@example.com", depois_de=enviados)
    assert any(m["To"] == "ana@example.com" and "outra pessoa" in m["Subject"]
               for m in smtp.mensagens[enviados:])

    sair(phone)
    phone.goto(antigo)
    expect(phone.get_by_role("heading", name="Este link não está mais ativo")).to_be_visible()
    expect(phone.locator("main")).not_to_contain_text("ana@example.com")
    phone.goto(novo)
    expect(phone.get_by_role("heading", name="Seu Certificado Digital e-CPF A1")).to_be_visible()
    expect(phone.locator(".dados")).to_contain_text("111.444.777-35")


def test_filter_todos_shows_the_issued_certificate_the_default_hides(phone, server, smtp):
    emitido = certificados_pagos(server)["emitido"]
    entrar(phone)
    phone.goto("/certificados/lista")
    lista = phone.locator("#resultados")
    expect(lista).to_contain_text("Pendente de atribuição")
    expect(lista).not_to_contain_text(emitido)
    phone.get_by_label("Situação").select_option(label="Todos")
    if not phone.js:
        phone.get_by_role("button", name="Filtrar").click()
    expect(lista).to_contain_text(emitido)
    expect(phone).to_have_url(re.compile(r"situacao=todos"))
    expect(phone.get_by_label("Situação")).to_have_value("todos")
    phone.get_by_role("link", name=f"Gerenciar certificado {emitido}").click()
    expect(phone.locator("main")).to_contain_text("já foi emitido")
    assert no_horizontal_scroll(phone)


def test_pages_have_no_accessibility_violations(phone, server, smtp):
    if not phone.js:
        pytest.skip("axe-core runs as JavaScript inside the page")
    from axe_playwright_python.sync_playwright import Axe

    numeros = certificados_pagos(server)
    entrar(phone)
    urls = ["/certificados/", "/certificados/lista", f"/certificados/{numeros['disponivel']}",
            f"/certificados/{numeros['atribuido']}",
            f"/certificados/{numeros['atribuido']}/reatribuir"]
    for url in urls:
        phone.goto(url)
        resultado = Axe().run(phone)
        assert resultado.violations_count == 0, (url, resultado.generate_report())
    phone.goto(f"/certificados/{numeros['disponivel']}/atribuir")
    phone.get_by_role("button", name="Atribuir", exact=True).click()
    expect(phone.locator(".erro-resumo")).to_be_visible()
    resultado = Axe().run(phone)
    assert resultado.violations_count == 0, resultado.generate_report()
