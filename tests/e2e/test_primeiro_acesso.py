"""docs/dominio.md §2 on a phone, JavaScript on and off: "Primeiro acesso" from the login page,
the "Definir minha senha" e-mail from a real SMTP server, back where the person started."""
import re

import pytest

from playwright.sync_api import expect

from tests.support.caixa_smtp import e2e_config, smtp  # noqa: F401  (fixtures: a real SMTP server)
from tests.support.navegador import entrar, no_horizontal_scroll

DEFINIR = r"/definir-senha/[^\s]+"


def test_primeiro_acesso_then_definir_minha_senha_returns_to_where_it_started(phone, server,
                                                                              smtp):
    phone.goto("/pedidos/")  # a page that needs an account: the login keeps it as `next`
    expect(phone.get_by_role("heading", name="Entrar na Área do Cliente")).to_be_visible()
    phone.get_by_role("link", name="Primeiro acesso").click()
    expect(phone.get_by_role("heading", name="Primeiro acesso")).to_be_visible()
    phone.get_by_label("CPF").fill("222.333.666-38")
    phone.get_by_label("E-mail").fill("ana@example.com")
    phone.get_by_role("button", name="Continuar").click()
    phone.get_by_label("Nome completo").fill("Ana Clara Souza")
    phone.get_by_label("Celular com DDD").fill("(61) 99876-5432")
    phone.get_by_role("button", name="Cadastrar").click()
    expect(phone.get_by_role("heading", name="Verifique seu e-mail")).to_be_visible()
    assert no_horizontal_scroll(phone)

    phone.goto(smtp.link_para("ana@example.com", DEFINIR))
    expect(phone.get_by_role("heading", name="Definir minha senha")).to_be_visible()
    phone.get_by_label("Nova senha", exact=True).fill("curta")
    phone.get_by_label("Confirme a nova senha").fill("curta")
    phone.get_by_role("button", name="Definir minha senha").click()
    expect(phone).to_have_title(re.compile(r"^Erro: "))
    expect(phone.locator("#senha-erro")).to_contain_text("pelo menos 8 caracteres")
    phone.get_by_label("Nova senha", exact=True).fill("s3nha-boa!")
    phone.get_by_label("Confirme a nova senha").fill("s3nha-boa!")
    phone.get_by_role("button", name="Definir minha senha").click()
    expect(phone.get_by_role("heading", name="Meus Pedidos")).to_be_visible()
    expect(phone.locator(".aviso-sucesso")).to_contain_text("Senha definida com sucesso")

    phone.get_by_role("button", name="Sair").click()
    entrar(phone, "222.333.666-38", "s3nha-boa!")
    expect(phone.get_by_role("button", name="Sair")).to_be_visible()


def test_esqueci_minha_senha_from_the_login_page(phone, server, smtp):
    phone.goto("/entrar")
    phone.get_by_role("link", name="Esqueci minha senha").click()
    phone.get_by_label("CPF").fill("123.456.789-09")
    phone.get_by_role("button", name="Enviar link").click()
    expect(phone.get_by_role("heading", name="Verifique seu e-mail")).to_be_visible()
    phone.goto(smtp.link_para("maria@example.com", DEFINIR))
    phone.get_by_label("Nova senha", exact=True).fill("outra-senha-9")
    phone.get_by_label("Confirme a nova senha").fill("outra-senha-9")
    phone.get_by_role("button", name="Definir minha senha").click()
    expect(phone.locator(".aviso-sucesso")).to_contain_text("Senha definida com sucesso")


def test_account_pages_have_no_accessibility_violations(phone, server, smtp):
    if not phone.js:
        pytest.skip("axe-core runs as JavaScript inside the page")
    from axe_playwright_python.sync_playwright import Axe

    for url in ("/entrar", "/primeiro-acesso", "/esqueci-minha-senha"):
        phone.goto(url)
        resultado = Axe().run(phone)
        assert resultado.violations_count == 0, (url, resultado.generate_report())
