"""The holder's request, step by step, as a person fills it in a browser."""
from playwright.sync_api import expect

from tests.support.solicitacao import foto


def continuar(page, proximo_titulo):
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", name=proximo_titulo, exact=True)).to_be_visible()


def dados_pessoais(page, nome="João Carlos Alves"):
    page.get_by_label("Nome completo").fill(nome)
    page.get_by_label("Dia", exact=True).fill("10")
    page.get_by_label("Mês", exact=True).fill("03")
    page.get_by_label("Ano", exact=True).fill("1990")


def contato(page, email="joao@example.com", celular="61991234567"):
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Celular com DDD").fill(celular)


def endereco(page):
    page.get_by_label("CEP").fill("70040-010")
    page.get_by_label("Logradouro").fill("SBS Quadra 2")
    page.get_by_label("Número", exact=True).fill("10")
    page.get_by_label("Bairro").fill("Asa Sul")
    page.get_by_label("Cidade").fill("Brasília")
    page.get_by_label("UF", exact=True).select_option("DF")


def documento(page):
    page.get_by_label("Tipo de documento").select_option("RG")
    page.get_by_label("Número do documento").fill("12.345.678-9")
    page.get_by_label("Órgão emissor").fill("SSP")
    page.get_by_label("UF de emissão").select_option("DF")
    page.get_by_label("Dia", exact=True).fill("02")
    page.get_by_label("Mês", exact=True).fill("05")
    page.get_by_label("Ano", exact=True).fill("2010")


def foto_do_documento(page, conteudo=None):
    """The "Documentos" step: a photo of the front sent, then "Confira seus dados"."""
    expect(page.get_by_role("heading", name="Documentos", exact=True)).to_be_visible()
    page.get_by_label("Frente do documento, ou o PDF").set_input_files(files=[
        {"name": "frente.jpg", "mimeType": "image/jpeg", "buffer": conteudo or foto()}])
    page.get_by_role("button", name="Enviar documento").click()
    expect(page.get_by_role("heading", name="Confira seus dados")).to_be_visible()


def ate_endereco(page, token):
    """From the e-mail link to the address step, with name and contact filled."""
    page.goto(f"/t/{token}")
    page.get_by_role("link", name="Começar").click()
    dados_pessoais(page)
    continuar(page, "Contato")
    contato(page)
    continuar(page, "Endereço")
