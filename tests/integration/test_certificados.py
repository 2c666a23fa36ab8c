"""Manual, answers 2–4: Solicitação de Certificado Digital → Gerenciar Certificados →
Gerenciar → Atribuir Certificado / Reatribuir / Reenviar link / Solicitar Certificado."""
import re
import threading

import pytest

from filas import tarefas
from models import (Atribuicao, Certificado, ChaveIdempotencia, Conta, Email, LinkTitular,
                    ProcessoCompra, Solicitacao, db)
from services.titular import links
from services.nucleo.ciclo_de_vida import Ator, mover_certificado
from relogio import hoje, utcnow
from tests.support.http import htmx_headers, login, tabela, text

JOAO = "52998224725"  # demo: holder of certificate 02 of purchase A
NOVO_CPF = "222.333.666-38"


def certificados_pagos():
    """Maria's paid purchase A: {situacao: Certificado} (disponivel, atribuido, emitido)."""
    with db.connection_context():
        maria = Conta.get(Conta.cpf == "12345678909")
        processo = ProcessoCompra.get((ProcessoCompra.comprador == maria)
                                      & (ProcessoCompra.situacao == "pago"))
        return {c.situacao: c for c in Certificado.select(Certificado, ProcessoCompra)
                .join(ProcessoCompra).where(Certificado.processo == processo)}


def certificado_nao_pago():
    with db.connection_context():
        return Certificado.get(Certificado.situacao == "aguardando_pagamento")


def recarregar(certificado):
    with db.connection_context():
        return Certificado.get_by_id(certificado.id)


def ocultos(response):
    """The hidden fields of the page's forms (chave, versao), as a browser would send them."""
    html = response.get_data(as_text=True)
    return dict(re.findall(r'name="(chave|versao)" type="hidden" value="([^"]*)"', html))


def formulario(client, url, **dados):
    campos = ocultos(client.get(url))
    base = {"cpf": NOVO_CPF, "email": "nova@example.com", "email_confirmacao": "nova@example.com"}
    return {**campos, **base, **dados}


def atribuir(client, numero, **dados):
    url = f"/certificados/{numero}/atribuir"
    return client.post(url, data=formulario(client, url, **dados))


def link_do_email(message):
    return re.search(r"http://portal\.test(/t/[A-Za-z0-9_-]+)", message.body).group(1)


def contar(model, *where):
    with db.connection_context():
        query = model.select()
        for w in where:
            query = query.where(w)
        return query.count()


# --- the way in ---------------------------------------------------------------------------

def test_menu_leads_to_gerenciar_certificados(maria):
    inicio = maria.get("/")
    assert 'href="/certificados/"' in inicio.get_data(as_text=True)
    assert "Solicitação de Certificado Digital" in text(inicio)
    pagina = maria.get("/certificados/")
    assert pagina.status_code == 200
    assert re.search(r'<a class="atalho" href="/certificados/lista">Gerenciar Certificados</a>',
                     pagina.get_data(as_text=True))


def test_pages_need_a_signed_in_buyer(client, demo):
    numero = certificados_pagos()["disponivel"].numero
    for url in ("/certificados/", "/certificados/lista", f"/certificados/{numero}",
                f"/certificados/{numero}/atribuir"):
        response = client.get(url)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/entrar?next=")


# --- the list and its "Situação" filter ------------------------------------------------------

def test_default_filter_shows_certificates_in_progress_and_hides_issued(maria):
    certs = certificados_pagos()
    pagina = text(maria.get("/certificados/lista"))
    assert "Situação: Em andamento" in pagina
    assert certs["disponivel"].numero in pagina
    assert certs["atribuido"].numero in pagina
    assert certs["emitido"].numero not in pagina


def test_filter_todos_shows_the_issued_certificate(maria):
    certs = certificados_pagos()
    pagina = text(maria.get("/certificados/lista?situacao=todos"))
    for c in certs.values():
        assert c.numero in pagina
    assert "Emitido" in pagina


@pytest.mark.parametrize("situacao, rotulo", [("emitido", "Emitido"),
                                              ("disponivel", "Pendente de atribuição")])
def test_filter_by_one_state_shows_only_that_state(maria, situacao, rotulo):
    certs = certificados_pagos()
    pagina = text(maria.get(f"/certificados/lista?situacao={situacao}"))
    assert "1 certificado —" in pagina
    assert certs[situacao].numero in pagina
    assert all(c.numero not in pagina for s, c in certs.items() if s != situacao)


def test_filter_with_nothing_to_show_says_how_to_see_all(maria):
    pagina = text(maria.get("/certificados/lista?situacao=cancelado"))
    assert "Nenhum certificado com a situação “Cancelado”" in pagina
    assert "escolha “Todos”" in pagina


def test_unknown_filter_value_falls_back_to_em_andamento(maria):
    pagina = maria.get("/certificados/lista?situacao=xyz")
    assert pagina.status_code == 200
    assert "Situação: Em andamento" in text(pagina)
    assert '<option value="em_andamento" selected>' in pagina.get_data(as_text=True)


def test_list_shows_purchase_id_and_masked_holder(maria):
    certs = certificados_pagos()
    response = maria.get("/certificados/lista")
    cabecalho, linhas = tabela(response)
    linha = next(l["celulas"] for l in linhas if certs["atribuido"].numero in l["celulas"])
    coluna = dict(zip(cabecalho, linha))
    assert coluna["ID Processo Compra (Contrato)"] == certs["atribuido"].processo.numero
    assert coluna["Titular"] == "***.982.247-** jo***@example.com"
    pagina = text(response)
    assert "529.982.247-25" not in pagina and "joao@example.com" not in pagina


def test_the_list_is_a_table_a_box_to_mark_each_row_and_its_action_on_the_right(maria):
    cabecalho, linhas = tabela(maria.get("/certificados/lista"))
    assert cabecalho == ["Selecionar", "ID Processo Compra (Contrato)", "Certificado", "Titular",
                         "Situação", "Ação"]
    for linha in linhas:
        numero = linha["celulas"][2]
        assert linha["caixa"] == ("certificado", numero) and not linha["marcada"]
        assert linha["celulas"][0] == f"Selecionar certificado {numero}"
        assert linha["celulas"][-1] == f"Gerenciar certificado {numero}"


def test_selecionar_todos_desta_pagina_without_javascript_reloads_with_every_box_marked(maria):
    pagina = maria.get("/certificados/lista?situacao=todos")
    link = re.search(r'<a href="([^"]+)" data-selecionar-todos>Selecionar todos desta página</a>',
                     pagina.get_data(as_text=True)).group(1).replace("&amp;", "&")
    assert link == "/certificados/lista?situacao=todos&todos=1"
    assert not any(l["marcada"] for l in tabela(pagina)[1])
    _, linhas = tabela(maria.get(link))
    assert len(linhas) == len(tabela(pagina)[1]) == 7 and all(l["marcada"] for l in linhas)


def test_reenviar_links_from_the_list_sends_the_marked_and_comes_back_to_the_same_situacao(
        app, maria, outbox):
    certs = certificados_pagos()
    with db.connection_context():
        from tests.support.listas import com_volume

        aguardando = com_volume(app, compras=0, certificados=2, aguardando=1)["aguardando"]
    response = maria.post("/certificados/lote/reenviar", data={
        "certificado": [certs["atribuido"].numero, *aguardando], "situacao": "atribuido"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/certificados/lista?situacao=atribuido"
    pagina = text(maria.get(response.headers["Location"]))
    assert "Enviamos 2 links novos. Os links anteriores deixaram de funcionar." in pagina
    assert "Situação: Aguardando solicitação do titular" in pagina
    assert sorted(m.to[0] for m in outbox) == ["joao@example.com", "titular0@orgao.gov.br"]


def test_reenviar_links_from_the_list_says_why_a_marked_certificate_gets_no_link(maria, outbox):
    certs = certificados_pagos()
    response = maria.post("/certificados/lote/reenviar", data={
        "certificado": [certs["disponivel"].numero, certs["atribuido"].numero],
        "situacao": "todos"})
    assert response.headers["Location"] == "/certificados/lista?situacao=todos"
    pagina = text(maria.get(response.headers["Location"]))
    assert "Enviamos 1 link novo." in pagina
    assert (f"Certificado {certs['disponivel'].numero}: Não há link para reenviar neste "
            "certificado.") in pagina
    assert [m.to[0] for m in outbox] == ["joao@example.com"]


def test_each_item_has_a_gerenciar_button(maria):
    numero = certificados_pagos()["disponivel"].numero
    html = maria.get("/certificados/lista").get_data(as_text=True)
    assert (f'href="/certificados/{numero}">Gerenciar<span class="visualmente-oculto"> '
            f'certificado {numero}</span></a>') in html


def test_htmx_filter_swaps_only_the_list(maria):
    response = maria.get("/certificados/lista?situacao=todos", headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<h1" not in html
    assert "Situação: Todos" in html
    assert "HX-Request" in response.headers["Vary"]


def test_filter_form_works_without_javascript_and_keeps_the_url_with_htmx(maria):
    html = maria.get("/certificados/lista").get_data(as_text=True)
    assert re.search(r'<form[^>]*method="get" action="/certificados/lista"', html)
    assert 'hx-push-url="true"' in html
    assert re.search(r'<button type="submit" class="botao">Filtrar</button>', html)
    assert '<label for="situacao">Situação</label>' in html
    assert '<option value="todos">Todos</option>' in html


def test_another_buyer_sees_none_of_marias_certificates(client, demo):
    login(client, "111.444.777-35", "demo12345")
    pagina = text(client.get("/certificados/lista?situacao=todos"))
    for c in certificados_pagos().values():
        assert c.numero not in pagina


def test_list_uses_a_constant_number_of_queries(maria, app, monkeypatch):
    def queries():
        executed = []
        original = db.obj.execute_sql
        monkeypatch.setattr(db.obj, "execute_sql",
                            lambda sql, *a, **k: executed.append(sql) or original(sql, *a, **k))
        assert maria.get("/certificados/lista?situacao=todos").status_code == 200
        monkeypatch.undo()
        return len(executed)

    antes = queries()
    with app.app_context(), db.connection_context():
        from services.pagamento import boletos
        from services.pagamento import compras

        maria_conta = Conta.get(Conta.cpf == "12345678909")
        produto = compras.garantir_produto(15000)
        beneficiario = boletos.Beneficiario.from_config(app.config)
        for _ in range(3):
            compras.criar_processo(maria_conta, produto, 2, hoje(), beneficiario,
                                   Ator("teste"))
    assert queries() == antes


# --- one certificate: Atribuir/Gerenciar Certificado Digital ---------------------------------

def test_available_certificate_offers_atribuir_certificado(maria):
    numero = certificados_pagos()["disponivel"].numero
    response = maria.get(f"/certificados/{numero}")
    html = response.get_data(as_text=True)
    assert "<h1>Atribuir/Gerenciar Certificado Digital</h1>" in html
    assert f'<a class="botao" href="/certificados/{numero}/atribuir">Atribuir Certificado</a>' in html
    assert "Reatribuir" not in text(response)


def test_unpaid_certificate_has_no_button_and_says_why(maria):
    numero = certificado_nao_pago().numero
    response = maria.get(f"/certificados/{numero}")
    pagina = text(response)
    assert response.status_code == 200
    assert "só pode ser atribuído depois que o pagamento da compra for reconhecido" in pagina
    assert "Pague o boleto" in pagina
    assert "Atribuir Certificado" not in pagina
    assert maria.get(f"/certificados/{numero}/atribuir").status_code == 303
    post = atribuir(maria, numero)
    assert post.status_code == 409
    assert contar(Atribuicao, Atribuicao.certificado == certificado_nao_pago().id) == 0


def test_issued_certificate_cannot_be_changed_but_the_holder_can_get_the_link_again(maria):
    numero = certificados_pagos()["emitido"].numero
    pagina = text(maria.get(f"/certificados/{numero}"))
    assert "já foi emitido" in pagina
    for botao in ("Atribuir Certificado", "Reatribuir"):
        assert botao not in pagina
    assert "Reenviar link" in pagina  # to download, reissue or revoke


def test_another_buyers_certificate_is_404(client, demo):
    numero = certificados_pagos()["disponivel"].numero
    login(client, "111.444.777-35", "demo12345")
    assert client.get(f"/certificados/{numero}").status_code == 404
    assert client.get(f"/certificados/{numero}/atribuir").status_code == 404
    assert client.post(f"/certificados/{numero}/atribuir",
                       data={"cpf": NOVO_CPF, "email": "a@example.com",
                             "email_confirmacao": "a@example.com"}).status_code == 404
    assert client.post(f"/certificados/{numero}/reenviar").status_code == 404
    assert client.get("/certificados/0000-99").status_code == 404
    assert recarregar(certificados_pagos()["disponivel"]).situacao == "disponivel"


def test_atribuir_assigns_and_emails_the_holder_a_personal_link(maria, outbox):
    certificado = certificados_pagos()["disponivel"]
    form = maria.get(f"/certificados/{certificado.numero}/atribuir")
    html = form.get_data(as_text=True)
    assert "<h1>Atribuir Certificado</h1>" in html
    for rotulo in ("CPF do titular", "E-mail do titular", "Confirme o e-mail do titular"):
        assert rotulo in html
    assert '<button type="submit" class="botao">Atribuir</button>' in html

    response = atribuir(maria, certificado.numero, email="Nova@Example.com",
                        email_confirmacao="nova@example.com")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/certificados/{certificado.numero}"
    depois = recarregar(certificado)
    assert (depois.situacao, depois.titular_cpf, depois.titular_email) == \
        ("atribuido", "22233366638", "nova@example.com")
    assert [m.to for m in outbox] == [["nova@example.com"]]
    assert link_do_email(outbox[0])
    pagina = text(maria.get(f"/certificados/{certificado.numero}"))
    assert "atribuído ao CPF ***.333.666-**. Enviamos o link para no***@example.com" in pagina
    assert "Aguardando solicitação do titular" in pagina


def test_the_emailed_link_opens_the_holder_page(maria, outbox, client):
    certificado = certificados_pagos()["disponivel"]
    atribuir(maria, certificado.numero)
    maria.post("/sair")
    pagina = client.get(link_do_email(outbox[0]), follow_redirects=True)
    assert pagina.status_code == 200
    assert certificado.numero in text(pagina)
    assert "Maria da Silva" in text(pagina)


@pytest.mark.parametrize("campo, dados, mensagem", [
    ("cpf", {"cpf": "123.456.789-00"}, "CPF inválido: confira os dígitos."),
    ("cpf", {"cpf": "111.111.111-11"}, "CPF inválido."),
    ("cpf", {"cpf": "123.456.abc-09"}, "O CPF deve conter apenas números."),
    ("cpf", {"cpf": "1234567"}, "O CPF deve ter 11 dígitos."),
    ("cpf", {"cpf": ""}, "Informe o CPF."),
    ("email", {"email": "nova@", "email_confirmacao": "nova@"}, "E-mail inválido."),
    ("email", {"email": "", "email_confirmacao": ""}, "Informe o e-mail."),
    ("email_confirmacao", {"email_confirmacao": "nvoa@example.com"},
     "Os e-mails não são iguais."),
    ("email_confirmacao", {"email_confirmacao": ""}, "Digite o e-mail do titular mais uma vez"),
])
def test_bad_input_shows_the_message_at_the_field_and_keeps_the_values(maria, outbox, campo,
                                                                        dados, mensagem):
    certificado = certificados_pagos()["disponivel"]
    response = atribuir(maria, certificado.numero, **dados)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Erro: " in html
    assert re.search(rf'<p class="erro" id="{campo}-erro">.*{re.escape(mensagem)}', html)
    enviados = formulario(maria, "/x", **dados)
    for nome in ("cpf", "email", "email_confirmacao"):
        if enviados[nome]:
            assert f'value="{enviados[nome]}"' in html
    assert recarregar(certificado).situacao == "disponivel"
    assert outbox == []


def test_cpf_holding_another_certificate_of_the_purchase_is_refused(maria, outbox):
    certificado = certificados_pagos()["disponivel"]
    response = atribuir(maria, certificado.numero, cpf="529.982.247-25")
    assert response.status_code == 422
    assert re.search(r'id="cpf-erro">.*Este CPF já é titular de outro certificado desta compra',
                     response.get_data(as_text=True))
    assert 'value="529.982.247-25"' in response.get_data(as_text=True)
    assert recarregar(certificado).situacao == "disponivel"
    assert outbox == []


def test_double_click_on_atribuir_assigns_once_and_sends_one_email(maria, outbox):
    certificado = certificados_pagos()["disponivel"]
    url = f"/certificados/{certificado.numero}/atribuir"
    dados = formulario(maria, url)
    primeira = maria.post(url, data=dados)
    segunda = maria.post(url, data=dados)
    assert (primeira.status_code, segunda.status_code) == (303, 303)
    assert contar(Atribuicao, Atribuicao.certificado == certificado.id) == 1
    assert contar(Email, Email.certificado == certificado.id) == 1
    assert len(outbox) == 1
    assert contar(ChaveIdempotencia, ChaveIdempotencia.chave == dados["chave"]) == 1
    assert "atribuído ao CPF" in text(maria.get(f"/certificados/{certificado.numero}"))


def test_a_stale_page_shows_the_current_state_instead_of_acting(maria, outbox):
    certificado = certificados_pagos()["disponivel"]
    url = f"/certificados/{certificado.numero}/atribuir"
    aba_antiga = formulario(maria, url, cpf="987.654.321-00", email="x@example.com",
                            email_confirmacao="x@example.com")
    assert atribuir(maria, certificado.numero).status_code == 303
    response = maria.post(url, data=aba_antiga)
    assert response.status_code == 409
    pagina = text(response)
    assert "foi alterado" in pagina and "outra pessoa" in pagina
    assert "Aguardando solicitação do titular" in pagina
    assert recarregar(certificado).titular_cpf == "22233366638"
    assert len(outbox) == 1


def test_two_sessions_racing_assign_once(app, demo):
    certificado = certificados_pagos()["disponivel"]
    url = f"/certificados/{certificado.numero}/atribuir"
    clientes = [app.test_client(), app.test_client()]
    formularios = []
    for i, cliente in enumerate(clientes):
        login(cliente, "123.456.789-09", "demo12345")
        formularios.append(formulario(cliente, url, cpf=["222.333.666-38", "987.654.321-00"][i],
                                      email=f"t{i}@example.com",
                                      email_confirmacao=f"t{i}@example.com"))
    largada = threading.Barrier(2)
    respostas = [None, None]

    def enviar(i):
        largada.wait()
        respostas[i] = clientes[i].post(url, data=formularios[i])

    threads = [threading.Thread(target=enviar, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(r.status_code for r in respostas) == [303, 409]
    perdedor = next(r for r in respostas if r.status_code == 409)
    assert "Aguardando solicitação do titular" in text(perdedor)
    assert contar(Atribuicao, Atribuicao.certificado == certificado.id) == 1
    assert contar(Email, Email.certificado == certificado.id) == 1


# --- reassign, resend, own CPF -------------------------------------------------------------

def test_reatribuir_explains_what_happens_before_confirming(maria):
    numero = certificados_pagos()["atribuido"].numero
    gerenciar = maria.get(f"/certificados/{numero}").get_data(as_text=True)
    assert f'href="/certificados/{numero}/reatribuir">Reatribuir</a>' in gerenciar
    pagina = text(maria.get(f"/certificados/{numero}/reatribuir"))
    assert "deixa de funcionar na hora" in pagina
    assert "são descartados" in pagina
    assert "as duas pessoas são avisadas por e-mail" in pagina


def test_reatribuir_kills_the_old_link_discards_the_draft_and_tells_both(maria, outbox, client):
    certificado = certificados_pagos()["disponivel"]
    atribuir(maria, certificado.numero)
    link_antigo = link_do_email(outbox[0])
    with db.connection_context():
        atribuicao = Atribuicao.get(Atribuicao.certificado == certificado.id)
        Solicitacao.create(atribuicao=atribuicao, certificado=certificado, nome="Rascunho")
    url = f"/certificados/{certificado.numero}/reatribuir"
    response = maria.post(url, data=formulario(maria, url, cpf="987.654.321-00",
                                               email="outra@example.com",
                                               email_confirmacao="outra@example.com"))
    assert response.status_code == 303
    assert recarregar(certificado).titular_cpf == "98765432100"
    assert contar(Solicitacao, Solicitacao.certificado == certificado.id) == 0
    destinatarios = [m.to[0] for m in outbox[1:]]
    assert sorted(destinatarios) == ["nova@example.com", "outra@example.com"]
    aviso = next(m for m in outbox[1:] if m.to == ["nova@example.com"])
    assert "atribuiu o certificado" in aviso.body and "outra pessoa" in aviso.body
    novo = next(m for m in outbox[1:] if m.to == ["outra@example.com"])

    maria.post("/sair")
    morto = client.get(link_antigo)
    assert morto.status_code == 404
    assert "Este link não está mais ativo" in text(morto)
    assert "nova@example.com" not in text(morto) and "222.333.666" not in text(morto)
    assert client.get(link_do_email(novo), follow_redirects=True).status_code == 200


def test_reatribuir_to_the_same_cpf_is_refused_at_the_field(maria, outbox):
    numero = certificados_pagos()["atribuido"].numero
    url = f"/certificados/{numero}/reatribuir"
    response = maria.post(url, data=formulario(maria, url, cpf="529.982.247-25"))
    assert response.status_code == 422
    assert "já está atribuído a este CPF" in text(response)
    assert outbox == []


def test_after_the_request_was_submitted_reassignment_is_refused_with_the_reason(maria):
    certificado = certificados_pagos()["atribuido"]
    url = f"/certificados/{certificado.numero}/reatribuir"
    dados = formulario(maria, url)
    with db.connection_context():
        mover_certificado(recarregar(certificado), "solicitar", Ator("João (titular)"))
    pagina = maria.get(f"/certificados/{certificado.numero}")
    assert "não pode mais ser atribuído a outra pessoa" in text(pagina)
    assert "/reatribuir" not in pagina.get_data(as_text=True)
    assert maria.get(url).status_code == 303
    response = maria.post(url, data=dados)
    assert response.status_code == 409
    assert "não pode mais ser atribuído a outra pessoa" in text(response)
    assert recarregar(certificado).titular_cpf == JOAO


def test_reenviar_link_sends_a_fresh_link_and_the_old_one_dies(maria, outbox, client):
    certificado = certificados_pagos()["disponivel"]
    atribuir(maria, certificado.numero)
    antigo = link_do_email(outbox[0])
    pagina = maria.get(f"/certificados/{certificado.numero}")
    response = maria.post(f"/certificados/{certificado.numero}/reenviar", data=ocultos(pagina))
    assert response.status_code == 303
    assert "Enviamos um novo link para no***@example.com" in \
        text(maria.get(f"/certificados/{certificado.numero}"))
    assert len(outbox) == 2
    novo = link_do_email(outbox[1])
    assert novo != antigo
    with db.connection_context():
        assert links.verificar(antigo.removeprefix("/t/")) is None
        assert links.verificar(novo.removeprefix("/t/")) is not None
        assert LinkTitular.select().join(Atribuicao).where(
            (Atribuicao.certificado == certificado.id)
            & LinkTitular.revogado_em.is_null()).count() == 1


def test_double_click_on_reenviar_link_sends_one_email(maria, outbox):
    numero = certificados_pagos()["atribuido"].numero
    dados = ocultos(maria.get(f"/certificados/{numero}"))
    for _ in range(2):
        assert maria.post(f"/certificados/{numero}/reenviar", data=dados).status_code == 303
    assert len(outbox) == 1


def test_reenviar_on_an_unassigned_certificate_is_refused(maria, outbox):
    numero = certificados_pagos()["disponivel"].numero
    response = maria.post(f"/certificados/{numero}/reenviar", data={"chave": "k1"})
    assert response.status_code == 409
    assert "Não há link para reenviar" in text(response)
    assert outbox == []


def test_assigned_to_the_buyers_own_cpf_offers_solicitar_certificado(maria):
    numero = certificados_pagos()["disponivel"].numero
    assert atribuir(maria, numero, cpf="123.456.789-09").status_code == 303
    html = maria.get(f"/certificados/{numero}").get_data(as_text=True)
    match = re.search(r'<a class="botao" href="([^"]+)">Solicitar Certificado</a>', html)
    assert match
    destino = maria.get(match.group(1), follow_redirects=True)
    assert destino.status_code == 200
    assert numero in destino.request.path and "Etapa 1 de" in text(destino)


def test_someone_elses_holder_gets_no_solicitar_certificado(maria):
    numero = certificados_pagos()["atribuido"].numero
    assert "Solicitar Certificado" not in text(maria.get(f"/certificados/{numero}"))


# --- the andamento in Meus Pedidos ---------------------------------------------------------

def test_every_step_shows_in_the_purchase_andamento(maria, outbox):
    certificado = certificados_pagos()["disponivel"]
    atribuir(maria, certificado.numero)
    url = f"/certificados/{certificado.numero}/reatribuir"
    maria.post(url, data=formulario(maria, url, cpf="987.654.321-00", email="outra@example.com",
                                    email_confirmacao="outra@example.com"))
    pagina = maria.get(f"/certificados/{certificado.numero}")
    maria.post(f"/certificados/{certificado.numero}/reenviar", data=ocultos(pagina))
    andamento = text(maria.get(f"/pedidos/processos/{certificado.processo.numero}"))
    andamento = andamento[andamento.index("Andamento"):]
    for titulo in ("Certificado atribuído ao titular", "Certificado atribuído a outra pessoa",
                   "Link reenviado ao titular", "E-mail enviado"):
        assert titulo in andamento
    assert andamento.count("E-mail enviado") == 4  # link, reassigned notice, new link, resend
    assert "Titular ***.333.666-**" in andamento
    assert "E-mail enviado — certificado " in andamento
    assert "para no***@example.com" in andamento and "para ou***@example.com" in andamento


def test_meus_pedidos_links_each_certificate_to_its_gerenciar_page(maria):
    certificado = certificados_pagos()["disponivel"]
    html = maria.get(f"/pedidos/processos/{certificado.processo.numero}").get_data(as_text=True)
    assert f'href="/certificados/{certificado.numero}"' in html


def test_old_one_time_keys_are_cleaned_up_daily(app, dbconn):
    from datetime import timedelta

    ChaveIdempotencia.create(chave="velha", criado_em=utcnow() - timedelta(days=2))
    ChaveIdempotencia.create(chave="nova")
    tarefas.limpar_chaves_idempotencia.call_local()
    assert [c.chave for c in ChaveIdempotencia.select()] == ["nova"]


def test_gerenciar_on_a_free_certificate_offers_ajuda_interativa(maria):
    numero = certificados_pagos()["disponivel"].numero
    html = maria.get(f"/certificados/{numero}").get_data(as_text=True)
    assert f'href="/ajuda/interativa?numero={numero}">Ajuda Interativa</a>' in html
    destino = maria.get(f"/ajuda/interativa?numero={numero}", follow_redirects=True)
    assert destino.status_code == 200 and "CPF do titular" in text(destino)
