"""The holder fills the request step by step from the personal link (issue 4)."""
import gzip
import hashlib
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from models import Certificado, Email, Evento, Solicitacao, Termo, db
from services.nucleo import correio
from services.nucleo import segredos
from services.nucleo.ciclo_de_vida import Ator, mover_certificado
from relogio import hoje
from tests.support.http import htmx_headers, text
from tests.support.solicitacao import (JOAO_CPF, VALIDOS, aceitar, enviar_etapa, gerar_termo,
                                       novo_link, preencher, versao)



def termos_de(numero):
    """The termos of one certificate (the demo data has others)."""
    return Termo.select().join(Certificado).where(Certificado.numero == numero)

@pytest.fixture
def holder(app, client, demo):
    """A browser that opened João's personal link; `.numero` is his certificate."""
    numero, token = novo_link(app)
    assert client.get(f"/t/{token}").status_code == 303
    client.numero = numero
    client.token = token
    return client


def salvo(numero):
    with db.connection_context():
        certificado = Certificado.get(Certificado.numero == numero)
        return Solicitacao.get_or_none(Solicitacao.certificado == certificado.id)


def anos_atras(anos, dias=0):
    dia = hoje()
    try:
        d = dia.replace(year=dia.year - anos)
    except ValueError:  # 29/02
        d = dia.replace(year=dia.year - anos, day=28)
    return date.fromordinal(d.toordinal() + dias)


# --- starting and resuming ----------------------------------------------------------------

def test_comecar_opens_the_first_step_with_the_cpf_fixed(holder):
    page = holder.get(f"/titular/{holder.numero}")
    assert f'href="/solicitacao/{holder.numero}/"' in page.get_data(as_text=True)
    response = holder.get(f"/solicitacao/{holder.numero}/")
    assert response.status_code == 303
    assert response.location.endswith(f"/solicitacao/{holder.numero}/dados")
    page = holder.get(response.location)
    body = text(page)
    assert "Etapa 1 de 7" in body and "Dados pessoais" in body
    assert "529.982.247-25" in body  # shown, not editable
    assert 'name="cpf"' not in page.get_data(as_text=True)
    assert "Precisa de ajuda?" in body
    html = page.get_data(as_text=True)
    for parte in ("bday-day", "bday-month", "bday-year"):
        assert f'autocomplete="{parte}"' in html


def test_each_step_saves_and_leads_to_the_next(holder):
    numero = holder.numero
    passos = [("dados", "contato"), ("contato", "endereco"), ("endereco", "documento"),
              ("documento", "confira")]
    for etapa, proxima in passos:
        response = enviar_etapa(holder, numero, etapa)
        assert response.status_code == 303
        assert response.location.endswith(f"/solicitacao/{numero}/{proxima}")
    s = salvo(numero)
    assert (s.nome, s.data_nascimento, s.celular, s.cep, s.uf, s.doc_numero, s.doc_emissor) == (
        "João Carlos Alves", date(1990, 3, 10), "61991234567", "70040010", "DF", "123456789",
        "SSP")
    assert s.enviada_em is None


def test_steps_show_etapa_n_de_m(holder):
    preencher(holder, holder.numero)
    for n, etapa in enumerate(("dados", "contato", "endereco", "documento", "documentos",
                               "confira"), 1):
        assert f"Etapa {n} de 7" in text(holder.get(f"/solicitacao/{holder.numero}/{etapa}"))


def test_going_back_shows_what_was_saved(holder):
    preencher(holder, holder.numero, ate="contato")
    page = holder.get(f"/solicitacao/{holder.numero}/endereco")
    assert f'href="/solicitacao/{holder.numero}/contato"' in page.get_data(as_text=True)
    voltou = holder.get(f"/solicitacao/{holder.numero}/contato").get_data(as_text=True)
    assert 'value="joao@example.com"' in voltou and 'value="(61) 99123-4567"' in voltou
    dados = holder.get(f"/solicitacao/{holder.numero}/dados").get_data(as_text=True)
    assert 'value="João Carlos Alves"' in dados and 'value="1990"' in dados


def test_the_same_link_resumes_at_the_first_incomplete_step_on_another_device(app, holder):
    preencher(holder, holder.numero, ate="contato")
    outro = app.test_client()
    assert outro.get(f"/t/{holder.token}").status_code == 303
    response = outro.get(f"/solicitacao/{holder.numero}/")
    assert response.location.endswith("/endereco")


def test_a_later_step_by_url_sends_to_the_first_incomplete_one(holder):
    enviar_etapa(holder, holder.numero, "dados")
    response = holder.get(f"/solicitacao/{holder.numero}/documento")
    assert response.status_code == 303 and response.location.endswith("/contato")
    response = holder.get(f"/solicitacao/{holder.numero}/confira")
    assert response.location.endswith("/contato")
    response = holder.get(f"/solicitacao/{holder.numero}/termo")
    assert response.location.endswith("/confira")


def test_posting_a_later_step_early_saves_nothing(holder):
    holder.get(f"/solicitacao/{holder.numero}/dados")
    response = holder.post(f"/solicitacao/{holder.numero}/endereco",
                           data={**VALIDOS["endereco"], "versao": "1"})
    assert response.status_code == 303 and response.location.endswith("/dados")
    assert salvo(holder.numero).cep == ""


def test_someone_without_the_link_gets_404(client, demo, app):
    numero, _ = novo_link(app)
    assert client.get(f"/solicitacao/{numero}/dados").status_code == 404
    assert client.get("/solicitacao/nao-existe/dados").status_code == 404


def test_another_buyer_cannot_open_the_request(client, demo, app):
    from tests.support.http import login

    numero, _ = novo_link(app)
    login(client, "111.444.777-35", "demo12345")
    assert client.get(f"/solicitacao/{numero}/").status_code == 404


# --- bad input: message at the field, everything else kept --------------------------------

BAD = [
    ("dados", {"nome": "Jo4o Silva"}, "nome", "Use apenas letras"),
    ("dados", {"nome": "João"}, "nome", "com sobrenome"),
    ("dados", {"nome": "João " + "a" * 130}, "nome", "no máximo 120 caracteres"),
    ("dados", {"nascimento_dia": "31", "nascimento_mes": "02"}, "nascimento_dia", "não existe"),
    ("dados", {"nascimento_ano": str(hoje().year + 1)}, "nascimento_dia", "futuro"),
    ("dados", {"nascimento_ano": "90"}, "nascimento_dia", "só números"),
    ("dados", {"nascimento_mes": ""}, "nascimento_dia", "completa"),
    ("contato", {"email": "joao@"}, "email", "E-mail inválido"),
    ("contato", {"celular": "6199123"}, "celular", "11 dígitos"),
    ("contato", {"celular": "(61) 3312-34567"}, "celular", "começa com 9"),
    ("contato", {"celular": "(20) 99123-4567"}, "celular", "DDD inválido"),
    ("endereco", {"cep": "7004-010"}, "cep", "8 números"),
    ("endereco", {"cep": "ABCDE-FGH"}, "cep", "8 números"),
    ("endereco", {"uf": "XX"}, "uf", "UF inválida"),
    ("endereco", {"uf": ""}, "uf", "Informe a UF"),
    ("endereco", {"logradouro": ""}, "logradouro", "Informe o logradouro"),
    ("endereco", {"bairro": "b" * 61}, "bairro", "no máximo 60"),
    ("documento", {"doc_tipo": "Certidão"}, "doc_tipo", "tipo de documento"),
    ("documento", {"doc_numero": "ABC"}, "doc_numero", "algarismos"),
    ("documento", {"doc_uf": "ZZ"}, "doc_uf", "UF inválida"),
    ("documento", {"doc_emissor": "02/05/2010"}, "doc_emissor", "Use só letras"),
    ("documento", {"doc_emissor": "SSP/DF"}, "doc_emissor", "a UF vai no campo"),
    ("documento", {"doc_emissor": ""}, "doc_emissor", "Informe o órgão emissor"),
    ("documento", {"emissao_ano": "1989"}, "emissao_dia", "anterior ao nascimento"),
    ("documento", {"emissao_ano": str(hoje().year + 1)}, "emissao_dia", "futuro"),
]


@pytest.mark.parametrize("etapa, ruim, campo, mensagem", BAD,
                         ids=[f"{b[0]}-{b[2]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_shows_the_message_at_the_field_and_keeps_the_rest(holder, etapa, ruim,
                                                                      campo, mensagem):
    anteriores = list(VALIDOS)[:list(VALIDOS).index(etapa)]
    if anteriores:
        preencher(holder, holder.numero, ate=anteriores[-1])
    holder.get(f"/solicitacao/{holder.numero}/{etapa}")
    antes = salvo(holder.numero)
    response = enviar_etapa(holder, holder.numero, etapa, ruim)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Erro: " in html
    # In the summary, linked to the field, and at the field itself.
    assert re.search(rf'<a href="#{campo}">[^<]*{re.escape(mensagem)}', html)
    assert re.search(rf'class="erro"[^>]*>.*?{re.escape(mensagem)}', html)
    for nome, valor in {**VALIDOS[etapa], **ruim}.items():
        if nome in ("uf", "doc_uf", "doc_tipo"):
            if nome != campo:  # a select keeps its (valid) choice
                assert f'selected value="{valor}"' in html or f'value="{valor}" selected' in html
        else:
            assert f'value="{valor}"' in html.replace("&#39;", "'"), nome
    depois = salvo(holder.numero)
    assert depois.versao == antes.versao  # nothing saved


@pytest.mark.parametrize("anos, dias", [(17, 0), (18, 1), (10, 0)])
def test_under_18_is_refused_with_the_alternative(holder, anos, dias):
    nascido = anos_atras(anos if anos != 18 else 18, -dias if anos != 18 else dias)
    response = enviar_etapa(holder, holder.numero, "dados", {
        "nascimento_dia": str(nascido.day), "nascimento_mes": str(nascido.month),
        "nascimento_ano": str(nascido.year)})
    assert response.status_code == 422
    assert "responsável legal e atendimento presencial" in text(response)


def test_turning_18_today_is_accepted(holder):
    nascido = anos_atras(18)
    response = enviar_etapa(holder, holder.numero, "dados", {
        "nascimento_dia": str(nascido.day), "nascimento_mes": str(nascido.month),
        "nascimento_ano": str(nascido.year)})
    assert response.status_code == 303


def test_htmx_step_with_errors_comes_back_in_place(holder):
    preencher(holder, holder.numero, ate="dados")
    url = f"/solicitacao/{holder.numero}/contato"
    response = holder.post(url, data={"email": "joao@example.com", "celular": "123",
                                      "versao": versao(holder, url)}, headers=htmx_headers())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert not html.lstrip().startswith("<!doctype")
    assert html.lstrip().startswith('<div class="assistente"')
    assert 'data-titulo="Erro: Contato' in html
    assert '<a href="#celular">' in html
    assert response.headers["HX-Push-Url"] == "false"
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_valid_step_redirects_to_the_next_fragment(holder):
    url = f"/solicitacao/{holder.numero}/dados"
    response = holder.post(url, data={**VALIDOS["dados"], "versao": versao(holder, url)},
                           headers=htmx_headers(), follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path.endswith("/contato")
    assert response.get_data(as_text=True).lstrip().startswith('<div class="assistente"')


# --- two tabs, revoked link ---------------------------------------------------------------

def test_two_tabs_the_stale_save_is_refused_and_shows_the_current_data(holder):
    preencher(holder, holder.numero, ate="dados")
    url = f"/solicitacao/{holder.numero}/contato"
    aba_antiga = versao(holder, url)
    enviar_etapa(holder, holder.numero, "contato", {"email": "novo@example.com"})

    response = holder.post(url, data={**VALIDOS["contato"], "email": "velho@example.com",
                                      "versao": aba_antiga})
    assert response.status_code == 409
    body = text(response)
    assert "alterados em outra aba ou aparelho" in body
    html = response.get_data(as_text=True)
    assert 'value="novo@example.com"' in html and "velho@example.com" not in html
    assert salvo(holder.numero).email == "novo@example.com"
    # Sending again from the refreshed form works.
    assert enviar_etapa(holder, holder.numero, "contato",
                        {"email": "velho@example.com"}).status_code == 303


def test_revoked_link_mid_wizard_refuses_the_next_post_and_saves_nothing(app, holder):
    preencher(holder, holder.numero, ate="dados")
    url = f"/solicitacao/{holder.numero}/contato"
    atual = versao(holder, url)
    novo_link(app)  # Maria resends the link: the one this browser used dies
    response = holder.post(url, data={**VALIDOS["contato"], "versao": atual})
    assert response.status_code == 410
    assert "não está mais ativo" in text(response)
    s = salvo(holder.numero)
    assert s.celular == "" and str(s.versao) == atual


# --- Confira seus dados, termo, acceptance -------------------------------------------------

def test_confira_shows_every_section_with_alterar(holder):
    preencher(holder, holder.numero)
    page = holder.get(f"/solicitacao/{holder.numero}/confira")
    body = text(page)
    assert "Confira seus dados" in body and "Etapa 6 de 7" in body
    for secao in ("Dados pessoais", "Contato", "Endereço", "Documento de identificação",
                  "Documentos"):
        assert secao in body
    assert body.count("Alterar") == 5
    assert "10/03/1990" in body and "(61) 99123-4567" in body and "70040-010" in body


def test_alterar_returns_to_confira_after_the_step(holder):
    preencher(holder, holder.numero)
    url = f"/solicitacao/{holder.numero}/contato?volta=confira"
    page = holder.get(url).get_data(as_text=True)
    assert 'action="/solicitacao/{}/contato?volta=confira"'.format(holder.numero) in page
    response = holder.post(url, data={**VALIDOS["contato"], "celular": "(61) 98888-7777",
                                      "versao": versao(holder, url)})
    assert response.location.endswith("/confira")
    assert "(61) 98888-7777" in text(holder.get(response.location))


def test_generating_the_termo_stores_version_1_with_its_hash(holder):
    preencher(holder, holder.numero)
    response = gerar_termo(holder, holder.numero)
    assert response.status_code == 303 and response.location.endswith("/termo")
    with db.connection_context():
        termo = termos_de(holder.numero).get()
        assert termo.versao == 1 and termo.aceito_em is None
        assert termo.sha256 == hashlib.sha256(bytes(termo.pdf)).hexdigest()
        codigo = termo.codigo_verificacao
    page = holder.get(response.location)
    body = text(page)
    assert "Termo de titularidade" in body and "Etapa 7 de 7" in body and codigo in body
    assert "chave privada" in body  # the key clauses, in HTML
    html = page.get_data(as_text=True)
    pdf = rf'href="/solicitacao/{holder.numero}/termo-v1.pdf\?acesso=[^"]+" target="_blank"'
    assert re.search(pdf, html)  # signed: it opens in a tab outside a frame too
    assert "Li e concordo" in body


def test_the_termo_pdf_holds_the_request(holder):
    preencher(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    response = holder.get(f"/solicitacao/{holder.numero}/termo-v1.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    for esperado in ("João Carlos Alves", "529.982.247-25", "10/03/1990", "joao@example.com",
                     "123456789", "SSP / DF", holder.numero.split("-")[0], "Versão: 1"):
        assert esperado in pdf, esperado
    assert holder.get(f"/solicitacao/{holder.numero}/termo-v9.pdf").status_code == 404


def test_generating_twice_without_changes_keeps_one_version(holder):
    preencher(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    with db.connection_context():
        assert termos_de(holder.numero).count() == 1


def test_accepting_needs_the_box_ticked(holder):
    preencher(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    response = holder.post(f"/solicitacao/{holder.numero}/termo", data={"termo_versao": "1"})
    assert response.status_code == 422
    assert "Marque “Li e concordo”" in text(response)
    assert '<a href="#concordo">' in response.get_data(as_text=True)
    with db.connection_context():
        assert Certificado.get(Certificado.numero == holder.numero).situacao == "atribuido"


def test_accepting_records_it_and_requests_emission(holder):
    preencher(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    response = aceitar(holder, holder.numero)
    assert response.status_code == 303 and response.location.endswith("/enviada")
    with db.connection_context():
        certificado = Certificado.get(Certificado.numero == holder.numero)
        termo = termos_de(holder.numero).get()
        assert certificado.situacao == "solicitado"
        assert termo.aceito_em is not None and termo.aceito_ip == "127.0.0.1"
        assert termo.aceito_user_agent == "Teste/1.0 (celular)"
        aceite = Evento.get(Evento.tipo == "termo.aceito")
        assert termo.sha256 in aceite.detalhes
        assert Evento.get(Evento.tipo == "certificado.solicitar").para == "solicitado"
        assert salvo(holder.numero).enviada_em is not None
        email = Email.get(Email.assunto == "Solicitação do Certificado Digital recebida")
        assert email.destinatario == "joao@example.com"
        [(nome, tipo, dados)] = correio.anexos(email)
        assert tipo == "application/pdf" and nome.endswith("-v1.pdf")
        assert hashlib.sha256(dados).hexdigest() == termo.sha256
    body = text(holder.get(response.location))
    assert "Emissão solicitada" in body and "por e-mail" in body
    assert "Agendar videoconferência" in body


def test_after_sending_the_holder_gets_the_scheduling_email_with_a_direct_link(app, holder):
    """The confirmation promises scheduling instructions by e-mail: they come, and their
    "Agendar videoconferência" link opens the booking on any device, without the session."""
    preencher(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    aceitar(holder, holder.numero)
    with app.app_context(), db.connection_context():
        email = Email.get(Email.assunto.contains("Agende a videoconferência"))
        # The row keeps a placeholder; the link exists only in the message as sent.
        texto, html = segredos.revelar(email.texto), segredos.revelar(email.html)
    assert email.destinatario == "joao@example.com" and "__segredo_titular_" in email.texto
    [link] = set(re.findall(r"http://portal\.test/t/[^\s\"<]+/agendamento", texto))
    assert f'href="{link}"' in html and "Agendar videoconferência" in html
    response = app.test_client().get(link.removeprefix("http://portal.test"),
                                     follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path.startswith(f"/titular/{holder.numero}/agendamento")
    # A tampered link opens nothing.
    assert app.test_client().get(link.removeprefix("http://portal.test") + "x").status_code == 404


def test_double_submitted_acceptance_acts_once(holder):
    preencher(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    aceitar(holder, holder.numero)
    segundo = aceitar(holder, holder.numero)
    assert segundo.status_code == 303
    with db.connection_context():
        assert Evento.select().where(Evento.tipo == "termo.aceito").count() == 1
        assert Email.select().where(Email.assunto.contains("recebida")).count() == 1


def test_a_termo_that_no_longer_matches_the_data_cannot_be_accepted(holder):
    preencher(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    enviar_etapa(holder, holder.numero, "contato", {"email": "outro@example.com"})
    response = holder.get(f"/solicitacao/{holder.numero}/termo")
    assert response.location.endswith("/confira")
    response = aceitar(holder, holder.numero)
    assert response.location.endswith("/confira")
    with db.connection_context():
        assert Certificado.get(Certificado.numero == holder.numero).situacao == "atribuido"


def test_accepting_an_older_termo_version_from_another_tab_is_refused(holder):
    preencher(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    enviar_etapa(holder, holder.numero, "contato", {"email": "outro@example.com"})
    gerar_termo(holder, holder.numero)  # version 2 for the new data
    response = aceitar(holder, holder.numero, "1")
    assert response.status_code == 409
    assert "gerado de novo" in text(response)
    with db.connection_context():
        assert termos_de(holder.numero).where(Termo.aceito_em.is_null(False)).count() == 0


def test_confira_from_a_stale_tab_does_not_generate_the_termo(holder):
    preencher(holder, holder.numero)
    url = f"/solicitacao/{holder.numero}/confira"
    antiga = versao(holder, url)
    enviar_etapa(holder, holder.numero, "contato", {"email": "outro@example.com"})
    response = holder.post(url, data={"versao": antiga})
    assert response.status_code == 409
    assert "outro@example.com" in text(response)
    with db.connection_context():
        assert termos_de(holder.numero).count() == 0


# --- corrections ---------------------------------------------------------------------------

def enviar_tudo(client, numero):
    preencher(client, numero)
    gerar_termo(client, numero)
    assert aceitar(client, numero).status_code == 303


def test_a_correction_creates_termo_v2_which_must_be_accepted_again(holder):
    enviar_tudo(holder, holder.numero)
    response = holder.get(f"/solicitacao/{holder.numero}/")
    assert response.location.endswith("/confira")  # prefilled: straight to the summary
    assert "corrigindo uma solicitação já enviada" in text(holder.get(response.location))
    url = f"/solicitacao/{holder.numero}/endereco?volta=confira"
    holder.post(url, data={**VALIDOS["endereco"], "numero": "12",
                           "versao": versao(holder, url)})
    gerar_termo(holder, holder.numero)
    assert "Versão 2 Gerado em" in text(holder.get(f"/solicitacao/{holder.numero}/termo"))
    response = aceitar(holder, holder.numero, "2")
    assert response.location.endswith("/enviada")
    with db.connection_context():
        termos = list(termos_de(holder.numero).order_by(Termo.versao))
        assert [t.versao for t in termos] == [1, 2]
        assert all(t.aceito_em for t in termos) and termos[0].sha256 != termos[1].sha256
        assert Certificado.get(Certificado.numero == holder.numero).situacao == "solicitado"
        assert Evento.select().where(Evento.tipo == "termo.aceito").count() == 2
        assert Evento.get(Evento.tipo == "certificado.corrigir").para == "solicitado"
        assert Email.select().where(Email.assunto.contains("Correção")).count() == 1
    assert holder.get(f"/solicitacao/{holder.numero}/termo-v1.pdf").status_code == 200


@pytest.mark.parametrize("situacao", ["agendado", "pendente_correcao"])
def test_corrections_work_while_booked_or_after_a_refusal(app, holder, situacao):
    enviar_tudo(holder, holder.numero)
    with app.app_context(), db.connection_context():
        certificado = Certificado.get(Certificado.numero == holder.numero)
        mover_certificado(certificado, "agendar", Ator("Titular"))
        if situacao == "pendente_correcao":
            mover_certificado(certificado, "recusar", Ator("Agente"), "Documento ilegível")
    enviar_etapa(holder, holder.numero, "documento", {"doc_numero": "98765432"})
    gerar_termo(holder, holder.numero)
    assert aceitar(holder, holder.numero, "2").status_code == 303
    with db.connection_context():
        esperado = "agendado" if situacao == "agendado" else "solicitado"
        assert Certificado.get(Certificado.numero == holder.numero).situacao == esperado


def test_after_emission_the_form_is_closed_with_an_explanation(app, holder):
    enviar_tudo(holder, holder.numero)
    with app.app_context(), db.connection_context():
        certificado = Certificado.get(Certificado.numero == holder.numero)
        mover_certificado(certificado, "agendar", Ator("Titular"))
        mover_certificado(certificado, "aprovar", Ator("Agente"))
    for etapa in ("", "dados", "confira", "termo"):
        response = holder.get(f"/solicitacao/{holder.numero}/{etapa}")
        assert response.status_code == 200
        assert "já foi aprovado e emitido" in text(response)
    response = holder.post(f"/solicitacao/{holder.numero}/contato",
                           data={**VALIDOS["contato"], "email": "x@example.com", "versao": "9"})
    assert response.status_code == 409
    assert salvo(holder.numero).email == "joao@example.com"


def test_buyer_on_their_own_cpf_fills_the_request_without_a_link(app, maria):
    from models import Conta
    from services.titular import atribuicoes

    with app.app_context(), db.connection_context():
        conta = Conta.get(Conta.cpf == "12345678909")
        certificado = Certificado.get(Certificado.situacao == "disponivel")
        atribuicoes.atribuir(certificado, conta.cpf, conta.email, conta,
                             Ator(conta.nome), 30)
        correio.descartar()
    r = maria.get(f"/solicitacao/{certificado.numero}/")
    assert r.status_code == 303, text(r)
    assert r.location.endswith("/dados")
    assert "123.456.789-09" in text(maria.get(f"/solicitacao/{certificado.numero}/dados"))
    # João's certificate is not on Maria's CPF: she cannot fill it.
    with db.connection_context():
        joao = Certificado.get(Certificado.titular_cpf == JOAO_CPF)
    assert maria.get(f"/solicitacao/{joao.numero}/").status_code == 404


# --- weight -------------------------------------------------------------------------------

def test_each_wizard_step_htmx_response_is_at_most_4kb_gzipped(holder):
    preencher(holder, holder.numero)
    gerar_termo(holder, holder.numero)
    tamanhos = {}
    for etapa in ("dados", "contato", "endereco", "documento", "confira", "termo"):
        response = holder.get(f"/solicitacao/{holder.numero}/{etapa}", headers=htmx_headers())
        assert response.status_code == 200
        corpo = response.get_data()
        tamanhos[etapa] = (len(corpo), len(gzip.compress(corpo)))
    aceitar(holder, holder.numero)
    corpo = holder.get(f"/solicitacao/{holder.numero}/enviada", headers=htmx_headers()).get_data()
    tamanhos["enviada"] = (len(corpo), len(gzip.compress(corpo)))
    for etapa, (cru, comprimido) in tamanhos.items():
        print(f"{etapa:10} {cru:6} bytes, {comprimido:5} bytes gzip")
        assert comprimido <= 4096, etapa


def test_reopening_a_sent_request_without_changes_makes_no_new_termo(holder):
    enviar_tudo(holder, holder.numero)
    page = holder.get(f"/solicitacao/{holder.numero}/confira")
    body = text(page)
    assert "versão 1, que você já aceitou" in body
    assert "Gerar termo de titularidade" not in body
    response = holder.post(f"/solicitacao/{holder.numero}/confira",
                           data={"versao": versao(holder, f"/solicitacao/{holder.numero}/dados")})
    assert response.location.endswith("/enviada")
    with db.connection_context():
        assert termos_de(holder.numero).count() == 1


# --- the scheduling screen continues the journey -----------------------------------------

def test_after_sending_the_next_step_is_agendar_videoconferencia(app, holder):
    enviar_tudo(holder, holder.numero)
    page = holder.get(f"/solicitacao/{holder.numero}/enviada")
    assert f'href="/titular/{holder.numero}/agendamento">Agendar videoconferência</a>' in \
        page.get_data(as_text=True)


def test_guided_journey_counts_the_scheduling_step(app, holder):
    enviar_tudo(holder, holder.numero)
    page = holder.get(f"/solicitacao/{holder.numero}/dados?guia=1")
    assert "Etapa 2 de 9" in text(page)
    body = text(holder.get(f"/solicitacao/{holder.numero}/enviada?guia=1"))
    assert "Etapa 9 de 9" in body and "Agendar videoconferência" in body


# --- the holder's menu ---------------------------------------------------------------------

def menu(response):
    html = response.get_data(as_text=True)
    return text_of(html[html.index('<nav class="menu"'):html.index("</nav>")])


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_holder_sees_their_own_menu_and_can_leave(holder):
    for url in (f"/titular/{holder.numero}", f"/solicitacao/{holder.numero}/dados", "/ajuda/"):
        response = holder.get(url)
        assert menu(response) == "Meu certificado Ajuda", url
        assert "Solicite agora" not in text(response) and "Sair" in text(response)
    assert 'href="/titular/%s" aria-current="page"' % holder.numero in \
        holder.get(f"/titular/{holder.numero}").get_data(as_text=True)
    assert holder.post("/sair").status_code == 303
    assert holder.get(f"/titular/{holder.numero}").status_code == 404
    assert "Solicite agora" in menu(holder.get("/ajuda/"))


def test_the_issuing_body_is_suggested_and_stored_in_capitals(holder):
    preencher(holder, holder.numero, ate="endereco")
    html = holder.get(f"/solicitacao/{holder.numero}/documento").get_data(as_text=True)
    assert 'list="orgaos-emissores"' in html
    assert all(f'<option value="{o}">' in html for o in ("SSP", "DETRAN", "PC", "IFP"))
    assert enviar_etapa(holder, holder.numero, "documento", {"doc_emissor": " detran "}) \
        .status_code == 303
    assert salvo(holder.numero).doc_emissor == "DETRAN"


def test_nis_and_voter_title_are_optional_and_kept_for_the_certificate(app, holder):
    preencher(holder, holder.numero, ate="endereco")
    sem = enviar_etapa(holder, holder.numero, "documento")
    assert sem.status_code == 303
    errado = enviar_etapa(holder, holder.numero, "documento",
                          {"nis": "12a", "titulo_eleitor": "123456789012"})
    assert errado.status_code == 422
    page = text(errado)
    assert "O NIS/PIS/PASEP deve ter só números." in page
    assert "Informe também a zona e a seção do título de eleitor." in page
    assert 'value="123456789012"' in errado.get_data(as_text=True)  # nothing typed lost
    ok = enviar_etapa(holder, holder.numero, "documento",
                      {"nis": "123.45678.90-1", "titulo_eleitor": "1234 5678 9012",
                       "titulo_zona": "12", "titulo_secao": "345"})
    assert ok.status_code == 303
    with db.connection_context():
        s = Solicitacao.get(Solicitacao.certificado == Certificado.get(
            Certificado.numero == holder.numero).id)
    assert (s.nis, s.titulo_eleitor, s.titulo_zona, s.titulo_secao) == (
        "12345678901", "123456789012", "12", "345")
