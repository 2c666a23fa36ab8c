"""docs/organizacoes.md from outside, on a phone, JavaScript on and off, with a real SMTP server:
Maria (Gestor of the Prefeitura) invites a new person as Consulta; the person creates a password
from the link and lands in the organisation; a forged assignment is refused; Maria makes them
Atribuição, they assign and the andamento names them; Maria removes them and their open session
loses access on the next request. José never sees the Prefeitura's; Carlos (Compras e
financeiro) has Financeiro and Solicite agora but no Atribuir; Maria cannot remove herself."""
import json
import re

from playwright.sync_api import expect

from tests.support.caixa_smtp import e2e_config, smtp  # noqa: F401  (fixtures: a real SMTP server)
from tests.support.navegador import PHONE, entrar, no_horizontal_scroll, pagina

CONVITE = r"/convite/[^\s]+"
DEFINIR = r"/definir-senha/[^\s]+"
NOVA = {"cpf": "529.982.247-25", "email": "paula@example.com", "nome": "Paula Ribeiro Lima"}


def _menu(page):
    return page.get_by_role("navigation", name="Menu principal")


def _sair(page):
    page.get_by_role("button", name="Sair").click()


def test_a_new_responsavel_from_invitation_to_removal(phone, browser, server, smtp):
    maria = phone
    entrar(maria, "123.456.789-09", "demo12345")
    expect(maria.get_by_role("link", name=re.compile("Prefeitura Municipal de Exemplo ▾"))
           ).to_be_visible()
    _menu(maria).get_by_role("link", name="Organização").click()
    expect(maria.get_by_role("heading", name="Responsáveis pela contratação")).to_be_visible()
    # 1. The invitation, with a typing mistake first.
    maria.get_by_label("CPF", exact=True).fill(NOVA["cpf"])
    maria.get_by_label("E-mail", exact=True).fill(NOVA["email"])
    maria.get_by_label("Confirme o e-mail").fill("paula@exemple.com")
    maria.get_by_label("Papel", exact=True).select_option(label="Consulta")
    maria.get_by_role("button", name="Convidar responsável").click()
    expect(maria.locator("#email_confirmacao-erro")).to_contain_text("não são iguais")
    expect(maria.get_by_label("CPF", exact=True)).to_have_value(NOVA["cpf"])
    maria.get_by_label("Confirme o e-mail").fill(NOVA["email"])
    maria.get_by_role("button", name="Convidar responsável").click()
    expect(maria.locator(".aviso-sucesso")).to_contain_text(f"Convite enviado para {NOVA['email']}")
    assert no_horizontal_scroll(maria)

    # 2. The new person: the link, Primeiro acesso, the password, back to accept.
    with pagina(browser, server.url, PHONE, phone.js) as paula:
        paula.goto(smtp.link_para(NOVA["email"], CONVITE))
        expect(paula.get_by_role("heading", name="Convite para Prefeitura Municipal de Exemplo")
               ).to_be_visible()
        paula.get_by_role("link", name="Primeiro acesso").click()
        paula.get_by_label("CPF").fill(NOVA["cpf"])
        paula.get_by_label("E-mail").fill(NOVA["email"])
        paula.get_by_role("button", name="Continuar").click()
        paula.get_by_label("Nome completo").fill(NOVA["nome"])
        paula.get_by_label("Celular com DDD").fill("(61) 99876-5432")
        paula.get_by_role("button", name="Cadastrar").click()
        expect(paula.get_by_role("heading", name="Verifique seu e-mail")).to_be_visible()
        paula.goto(smtp.link_para(NOVA["email"], DEFINIR))
        paula.get_by_label("Nova senha", exact=True).fill("s3nha-da-paula")
        paula.get_by_label("Confirme a nova senha").fill("s3nha-da-paula")
        paula.get_by_role("button", name="Definir minha senha").click()
        paula.get_by_role("button", name="Aceitar convite").click()
        expect(paula.locator(".aviso-sucesso")).to_contain_text("Convite aceito")
        expect(paula.get_by_role("link", name=re.compile("Prefeitura Municipal de Exemplo ▾"))
               ).to_be_visible()
        paula.goto("/certificados/lista?situacao=disponivel")
        paula.get_by_role("link", name=re.compile("^Gerenciar")).first.click()
        expect(paula.get_by_role("heading", name="Atribuir/Gerenciar Certificado Digital")
               ).to_be_visible()
        expect(paula.get_by_role("link", name="Atribuir Certificado")).to_have_count(0)
        numero = paula.url.rstrip("/").rsplit("/", 1)[1]
        # A forged POST (the form Consulta is never shown), with a valid CSRF token: 403,
        # naming who may.
        token = json.loads(paula.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
        resposta = paula.request.post(f"/certificados/{numero}/atribuir",
                                      headers={"X-CSRFToken": token},
                                      form={"cpf": "390.533.447-05", "email": "x@example.com",
                                            "email_confirmacao": "x@example.com"})
        assert resposta.status == 403 and "Gestor ou Atribuição" in resposta.text()

        # 3. Maria makes her Atribuição; she assigns, and the andamento names her.
        maria.reload()
        maria.get_by_label(f"Papel de {NOVA['nome']}").select_option(label="Atribuição")
        maria.get_by_role("button", name=f"Mudar papel de {NOVA['nome']}").click()
        expect(maria.locator(".aviso-sucesso")).to_contain_text("Papel alterado")
        paula.goto(f"/certificados/{numero}")
        paula.get_by_role("link", name="Atribuir Certificado").click()
        paula.get_by_label("CPF do titular").fill("714.602.380-01")
        paula.get_by_label("E-mail do titular", exact=True).fill("titular.paula@example.com")
        paula.get_by_label("Confirme o e-mail do titular").fill("titular.paula@example.com")
        paula.get_by_role("button", name="Atribuir", exact=True).click()
        expect(paula.locator(".aviso-sucesso")).to_be_visible()
        paula.goto(f"/pedidos/processos/{numero.split('-')[0]}")
        expect(paula.get_by_text(
            f"Atribuído por {NOVA['nome']} (Prefeitura Municipal de Exemplo)")).to_be_visible()

        # 4. Maria removes her: Paula's open session loses the Prefeitura at once.
        maria.reload()
        maria.get_by_role("button", name=f"Remover {NOVA['nome']}").click()
        expect(maria.locator(".aviso-sucesso")).to_contain_text("Responsável removido")
        paula.goto(f"/certificados/{numero}")
        expect(paula.get_by_role("heading", name="Página não encontrada")).to_be_visible()
        expect(paula.get_by_role("link", name=re.compile("Prefeitura Municipal de Exemplo"))
               ).to_have_count(0)

    # 7. The last Gestor stays.
    expect(maria.get_by_role("button", name=re.compile("^Remover Maria"))).to_have_count(0)
    expect(maria.get_by_text("Único Gestor")).to_be_visible()


def test_jose_never_sees_the_prefeitura_and_carlos_buys_but_does_not_assign(phone, server):
    entrar(phone, "111.444.777-35", "demo12345")
    phone.goto("/certificados/lista?situacao=todos")
    expect(phone.get_by_text("Prefeitura")).to_have_count(0)
    phone.goto("/financeiro/")
    expect(phone.locator("body")).not_to_contain_text("Prefeitura Municipal de Exemplo")
    _sair(phone)

    entrar(phone, "258.369.147-37", "demo12345")
    menu = _menu(phone)
    expect(menu.get_by_role("link", name="Financeiro")).to_be_visible()
    expect(menu.get_by_role("link", name="Solicite agora")).to_be_visible()
    expect(menu.get_by_role("link", name="Solicitação de Certificado Digital")).to_have_count(0)
    phone.goto("/pedidos/processos")
    expect(phone.get_by_role("button", name="Atribuir em lote")).to_have_count(0)
    phone.goto("/certificados/lista")
    expect(phone.get_by_role("heading", name="Acesso negado")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("Gestor, Atribuição ou Consulta")
