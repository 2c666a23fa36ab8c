"""Organização: the Gestor invites responsáveis (CPF + e-mail + papel), the invitee accepts
through the e-mail's link (signing up first if new), papéis change what each may do from the
next page, a removed responsável loses the organisation at once, a contratante always keeps
a Gestor; registering another organisation and switching between them; and migration 0008,
which made every earlier buyer a contratante of their own."""
import re
import threading
from datetime import timedelta

import pytest

from models import (Boleto, Certificado, Conta, Contratante, Convite, ProcessoCompra,
                    Responsavel, db)
from services.contratantes import papeis, responsaveis, vinculos
from tests.support.http import login, text

PREFEITURA = "Prefeitura Municipal de Exemplo"
NOVA = {"cpf": "369.258.147-55", "email": "paula@example.com"}
NOVA_CPF = "36925814755"
NOVA_NOME = "Paula Reis"
SENHA = "s3nha-da-paula"
CNPJ_NOVO = "11.444.777/0001-61"
ENDERECO = {"cep": "70040-010", "logradouro": "Setor Bancário Sul", "numero": "10",
            "complemento": "", "bairro": "Asa Sul", "cidade": "Brasília", "uf": "DF"}


# --- helpers: the steps as a person takes them ---------------------------------------------

def convidar(client, **dados):
    campos = {"cpf": NOVA["cpf"], "email": NOVA["email"], "email_confirmacao": NOVA["email"],
              "papel": papeis.CONSULTA, **dados}
    return client.post("/organizacao/convites", data=campos)


def link_do_convite(mensagem):
    return re.search(r"http://portal\.test(/convite/[^\s\"]+)", mensagem.body).group(1)


def link_da_senha(mensagem):
    return re.search(r"http://portal\.test(/definir-senha/[^\s\"]+)", mensagem.body).group(1)


def convidada(maria, outbox, **dados):
    """Maria invites Paula (Consulta unless said); the invitation's link."""
    assert convidar(maria, **dados).status_code == 303
    return link_do_convite(outbox[-1])


def primeiro_acesso(client, outbox, next_url):
    """Paula, new here, signs up from the invitation and sets her password: back at `next_url`."""
    assert client.post(f"/primeiro-acesso?next={next_url}", data=NOVA).status_code == 303
    assert client.post("/primeiro-acesso/dados",
                       data={"nome": NOVA_NOME, "celular": "(61) 99876-5432"}).status_code == 200
    client.get(link_da_senha(outbox[-1]))
    feito = client.post("/definir-senha", data={"senha": SENHA, "confirmacao": SENHA})
    assert feito.headers["Location"] == next_url
    return client


def membro(app, maria, outbox, papel=papeis.CONSULTA):
    """Paula invited as `papel`, signed up and accepted: her client, in the Prefeitura."""
    link = convidada(maria, outbox, papel=papel)
    paula = primeiro_acesso(app.test_client(), outbox, link)
    assert paula.post(link).status_code == 303
    return paula


def prefeitura():
    with db.connection_context():
        return Contratante.get(Contratante.nome == PREFEITURA)


def da_prefeitura(modelo):
    with db.connection_context():
        return list(modelo.select().where(modelo.contratante == prefeitura().id))


def disponivel():
    with db.connection_context():
        return Certificado.get((Certificado.contratante == prefeitura().id)
                               & (Certificado.situacao == "disponivel"))


def responsavel(cpf):
    with db.connection_context():
        return Responsavel.select().join(Conta).where(
            (Conta.cpf == cpf) & (Responsavel.contratante == prefeitura().id)).get()


def gestores():
    with db.connection_context():
        return Responsavel.select().where((Responsavel.contratante == prefeitura().id)
                                          & (Responsavel.papel == papeis.GESTOR)).count()


def erro_do_campo(response, campo):
    erro = re.search(rf'<p class="erro" id="{campo}-erro">(.*?)</p>',
                     response.get_data(as_text=True), re.S)
    return erro and text_de(erro.group(1))


def text_de(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("Erro: ", "", 1)


# --- inviting ------------------------------------------------------------------------------

def test_the_gestor_invites_by_cpf_and_email_and_the_email_carries_the_link(maria, outbox):
    response = convidar(maria)
    assert response.status_code == 303
    pagina = text(maria.get(response.headers["Location"]))
    assert "Convite enviado para paula@example.com. O link vale por 7 dias." in pagina
    assert "paula@example.com (CPF ***.258.147-**), Consulta" in pagina
    assert [m.to for m in outbox] == [["paula@example.com"]]
    assert f"responsável pela contratação de {PREFEITURA}" in outbox[0].body
    assert "com o papel Consulta" in outbox[0].body
    assert link_do_convite(outbox[0]).startswith("/convite/")


def test_a_cpf_with_wrong_digits_is_shown_at_the_field_with_what_was_typed(maria, outbox):
    response = convidar(maria, cpf="369.258.147-00")
    assert response.status_code == 422
    assert erro_do_campo(response, "cpf") == "CPF inválido: confira os dígitos."
    html = response.get_data(as_text=True)
    assert 'value="369.258.147-00"' in html and 'value="paula@example.com"' in html
    assert outbox == []


def test_emails_that_differ_are_shown_at_the_confirmation(maria, outbox):
    response = convidar(maria, email_confirmacao="paulla@example.com")
    assert response.status_code == 422
    assert erro_do_campo(response, "email_confirmacao") == (
        "Os e-mails não são iguais. Digite o mesmo e-mail nos dois campos.")
    assert 'value="paulla@example.com"' in response.get_data(as_text=True)
    assert outbox == []


def test_someone_already_in_the_organisation_is_not_invited(maria, outbox):
    response = convidar(maria, cpf="258.369.147-37", email="carlos@example.com",
                        email_confirmacao="carlos@example.com")  # Carlos, Compras
    assert response.status_code == 422
    assert erro_do_campo(response, "cpf").startswith(
        "Esta pessoa já é responsável por esta organização.")
    assert 'value="258.369.147-37"' in response.get_data(as_text=True)
    assert outbox == []


def test_inviting_the_same_cpf_twice_points_to_the_open_invitation(maria, outbox):
    convidada(maria, outbox)
    response = convidar(maria, email="outro@example.com", email_confirmacao="outro@example.com")
    assert response.status_code == 422
    assert erro_do_campo(response, "cpf") == ("Já existe um convite em aberto para este CPF. "
                                              "Reenvie ou cancele o convite na lista abaixo.")
    assert 'value="outro@example.com"' in response.get_data(as_text=True)
    assert len(outbox) == 1


# --- accepting -----------------------------------------------------------------------------

def test_a_new_person_signs_up_from_the_link_and_lands_in_the_organisation(app, maria, outbox):
    link = convidada(maria, outbox)
    paula = app.test_client()
    pagina = paula.get(link)
    assert pagina.status_code == 200
    html = pagina.get_data(as_text=True)
    assert f"Convite para {PREFEITURA}" in text(pagina) and "com o papel Consulta" in text(pagina)
    assert f'href="/entrar?next={link}">Entrar</a>' in html
    assert f'href="/primeiro-acesso?next={link}">Primeiro acesso</a>' in html

    primeiro_acesso(paula, outbox, link)
    assert "Aceitar convite" in text(paula.get(link))
    aceito = paula.post(link)
    assert aceito.status_code == 303 and aceito.headers["Location"] == "/"
    inicio = text(paula.get("/"))
    assert f"{PREFEITURA} ▾" in inicio
    assert f"Convite aceito: você agora é responsável pela contratação de {PREFEITURA}, com o " \
           "papel Consulta." in inicio

    certificado = disponivel()
    assert certificado.numero in text(paula.get("/certificados/lista?situacao=todos"))
    gerenciar = paula.get(f"/certificados/{certificado.numero}")
    assert gerenciar.status_code == 200 and "Atribuir Certificado" not in text(gerenciar)
    forjado = paula.post(f"/certificados/{certificado.numero}/atribuir",
                         data={"cpf": "222.333.666-38", "email": "x@example.com",
                               "email_confirmacao": "x@example.com"})
    assert forjado.status_code == 403
    assert "Gestor ou Atribuição" in text(forjado)


def test_another_cpf_cannot_accept_the_invitation(app, maria, outbox):
    link = convidada(maria, outbox)
    jose = app.test_client()
    login(jose, "111.444.777-35", "demo12345")
    pagina = jose.get(link)
    assert "Este convite foi feito para outro CPF." in text(pagina)
    assert "Aceitar convite" not in text(pagina)
    recusado = jose.post(link)
    assert recusado.status_code == 409
    assert "Este convite foi feito para outro CPF." in text(recusado)
    with db.connection_context():
        assert not Responsavel.select().join(Conta).where(
            (Conta.cpf == "11144477735") & (Responsavel.contratante == prefeitura().id)).exists()
    assert f"{PREFEITURA} ▾" not in text(jose.get("/"))


def test_an_expired_invitation_is_refused(app, maria, outbox, relogio):
    link = convidada(maria, outbox)
    relogio.agora = relogio.agora + timedelta(days=8)
    pagina = app.test_client().get(link)
    assert pagina.status_code == 404
    assert "Convite indisponível" in text(pagina) and "passou de 7 dias" in text(pagina)
    paula = primeiro_acesso(app.test_client(), outbox, link)
    recusado = paula.post(link)
    assert recusado.status_code == 409
    assert "Este convite não vale mais" in text(recusado)


def test_a_used_link_is_refused(app, maria, outbox):
    link = convidada(maria, outbox)
    paula = primeiro_acesso(app.test_client(), outbox, link)
    assert paula.post(link).status_code == 303
    assert paula.get(link).status_code == 404
    de_novo = paula.post(link)
    assert de_novo.status_code == 409 and "Este convite não vale mais" in text(de_novo)


def test_a_resent_invitation_invalidates_the_old_link(app, maria, outbox):
    antigo = convidada(maria, outbox)
    with db.connection_context():
        convite = Convite.get(Convite.cpf == NOVA_CPF)
    reenviado = maria.post(f"/organizacao/convites/{convite.id}/reenviar")
    assert reenviado.status_code == 303
    assert "Convite reenviado, com um novo link. O anterior não vale mais." in \
        text(maria.get("/organizacao/"))
    novo = link_do_convite(outbox[-1])
    assert novo != antigo
    anonimo = app.test_client()
    assert anonimo.get(antigo).status_code == 404
    assert anonimo.get(novo).status_code == 200


def test_a_cancelled_invitation_link_is_refused(app, maria, outbox):
    link = convidada(maria, outbox)
    with db.connection_context():
        convite = Convite.get(Convite.cpf == NOVA_CPF)
    assert maria.post(f"/organizacao/convites/{convite.id}/cancelar").status_code == 303
    pagina = text(maria.get("/organizacao/"))
    assert "Convite cancelado: o link não vale mais." in pagina
    assert "paula@example.com (CPF" not in pagina
    paula = primeiro_acesso(app.test_client(), outbox, link)
    assert paula.get(link).status_code == 404
    assert paula.post(link).status_code == 409


# --- papéis and removal --------------------------------------------------------------------

def test_a_member_changed_to_atribuicao_assigns_and_the_andamento_names_them(app, maria,
                                                                             outbox):
    paula = membro(app, maria, outbox)
    mudado = maria.post(f"/organizacao/responsaveis/{responsavel(NOVA_CPF).id}/papel",
                        data={"papel": papeis.ATRIBUICAO})
    assert mudado.status_code == 303
    pagina = text(maria.get("/organizacao/"))
    assert "Papel alterado. Vale a partir da próxima página que a pessoa abrir." in pagina
    assert responsavel(NOVA_CPF).papel == papeis.ATRIBUICAO
    certificado = disponivel()
    url = f"/certificados/{certificado.numero}/atribuir"
    formulario = paula.get(url)
    assert formulario.status_code == 200  # the next page already knows the new papel
    ocultos = dict(re.findall(r'name="(chave|versao)" type="hidden" value="([^"]*)"',
                              formulario.get_data(as_text=True)))
    atribuido = paula.post(url, data={**ocultos, "cpf": "222.333.666-38",
                                      "email": "nova@example.com",
                                      "email_confirmacao": "nova@example.com"})
    assert atribuido.status_code == 303, text(atribuido)
    with db.connection_context():
        numero = ProcessoCompra.get_by_id(certificado.processo_id).numero
    andamento = text(maria.get(f"/pedidos/processos/{numero}"))
    assert f"Atribuído por {NOVA_NOME} ({PREFEITURA})" in andamento


def test_a_removed_member_loses_the_organisation_on_the_next_request(app, maria, outbox):
    paula = membro(app, maria, outbox)
    certificado = disponivel()
    assert paula.get(f"/certificados/{certificado.numero}").status_code == 200
    removido = maria.post(f"/organizacao/responsaveis/{responsavel(NOVA_CPF).id}/remover")
    assert removido.status_code == 303
    assert NOVA_NOME not in text(maria.get("/organizacao/"))

    # The very next request: her own contratante is active, where that certificate is not.
    assert paula.get(f"/certificados/{certificado.numero}").status_code == 404
    inicio = text(paula.get("/"))
    assert f"{NOVA_NOME} ▾" in inicio and PREFEITURA not in inicio  # her own, as a person
    assert certificado.numero not in text(paula.get("/certificados/lista?situacao=todos"))
    assert paula.post("/contratante", data={"contratante": prefeitura().id}).status_code == 404


def test_the_last_gestor_can_neither_leave_nor_change_papel(maria):
    eu = responsavel("12345678909").id
    for url, dados in ((f"/organizacao/responsaveis/{eu}/remover", {}),
                       (f"/organizacao/responsaveis/{eu}/papel", {"papel": papeis.CONSULTA})):
        response = maria.post(url, data=dados)
        assert response.status_code == 409
        assert "Toda organização precisa de pelo menos um Gestor. Antes, dê o papel de Gestor " \
               "a outro responsável." in text(response)
    assert responsavel("12345678909").papel == papeis.GESTOR
    pagina = text(maria.get("/organizacao/"))
    assert "Único Gestor: não pode ser removido nem mudar de papel." in pagina


def test_two_gestores_removing_each_other_at_once_leave_exactly_one(app, demo):
    # Each racer has a client of its own (a test client's request context stays in the
    # thread that opened it).
    maria, carlos = app.test_client(), app.test_client()
    assert login(maria, "123.456.789-09", "demo12345").status_code == 303
    de_carlos = responsavel("25836914737").id
    assert maria.post(f"/organizacao/responsaveis/{de_carlos}/papel",
                      data={"papel": papeis.GESTOR}).status_code == 303
    assert login(carlos, "258.369.147-37", "demo12345").status_code == 303
    assert carlos.get("/organizacao/").status_code == 200
    pedidos = [(maria, de_carlos), (carlos, responsavel("12345678909").id)]
    largada = threading.Barrier(2)
    respostas = [None, None]

    def remover(i):
        client, alvo = pedidos[i]
        largada.wait()
        respostas[i] = client.post(f"/organizacao/responsaveis/{alvo}/remover")

    threads = [threading.Thread(target=remover, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # The other is refused: the last Gestor (409), no longer Gestor once its turn came (403),
    # or, arriving after the removal, in its own contratante already, where that row is not (404).
    vencedor, perdedor = sorted(r.status_code for r in respostas)
    assert vencedor == 303 and perdedor in (403, 404, 409)
    assert gestores() == 1
    with db.connection_context():
        assert Responsavel.select().where(
            Responsavel.contratante == prefeitura().id).count() == 1



def test_a_gestor_removed_while_acting_can_no_longer_remove_anyone(demo, dbconn):
    """The papel read with the request is checked again under the lock: Carlos, one of three
    Gestores, removed by Maria while his own request was under way, removes nobody."""
    jose = Conta.get(Conta.cpf == "11144477735")
    vinculos.entrar(jose, prefeitura(), papeis.GESTOR)
    Responsavel.update(papel=papeis.GESTOR).where(
        Responsavel.id == responsavel("25836914737").id).execute()
    maria = vinculos.conta_com_vinculo(Conta.get(Conta.cpf == "12345678909").id)
    carlos = vinculos.conta_com_vinculo(Conta.get(Conta.cpf == "25836914737").id)
    responsaveis.remover(maria, responsavel("25836914737").id, vinculos.ator(maria))
    with pytest.raises(papeis.SemPapel):
        responsaveis.remover(carlos, responsavel("11144477735").id, vinculos.ator(carlos))
    assert gestores() == 2

# --- who sees what -------------------------------------------------------------------------

def test_jose_never_sees_the_prefeituras_purchases_certificates_or_boletos(client, demo):
    login(client, "111.444.777-35", "demo12345")
    processos, certificados = da_prefeitura(ProcessoCompra), da_prefeitura(Certificado)
    boletos = da_prefeitura(Boleto)
    listas = " ".join(text(client.get(url)) for url in (
        "/pedidos/processos", "/certificados/lista?situacao=todos", "/financeiro/"))
    for registro in processos + certificados:
        assert registro.numero not in listas
    for boleto in boletos:
        assert boleto.nosso_numero not in listas
    for url in ([f"/pedidos/processos/{p.numero}" for p in processos]
                + [f"/certificados/{c.numero}" for c in certificados]
                + [f"/financeiro/boletos/{b.id}" for b in boletos]
                + [f"/financeiro/boletos/{b.id}/boleto.pdf" for b in boletos]):
        assert client.get(url).status_code == 404, url


def test_compras_sees_financeiro_and_solicite_agora_but_nothing_to_assign(client, demo):
    login(client, "258.369.147-37", "demo12345")
    menu = re.search(r"<nav.*?</nav>", client.get("/").get_data(as_text=True), re.S).group(0)
    assert ">Financeiro<" in menu and ">Solicite agora<" in menu
    assert "Solicitação de Certificado Digital" not in menu  # Gerenciar Certificados
    processos = client.get("/pedidos/processos")
    assert processos.status_code == 200
    assert "Atribuir em lote" not in text(processos)
    assert client.get("/certificados/").status_code == 403


# --- another organisation, switching -------------------------------------------------------

def nova_organizacao(client, cnpj=CNPJ_NOVO, razao_social="Consórcio Intermunicipal Exemplo"):
    return client.post("/organizacao/nova", data={"cnpj": cnpj, "razao_social": razao_social,
                                                  **ENDERECO})


def test_a_cnpj_with_a_wrong_check_digit_names_the_digit(maria):
    primeiro = nova_organizacao(maria, cnpj="11.444.777/0001-71")
    assert primeiro.status_code == 422
    assert erro_do_campo(primeiro, "cnpj") == (
        "CNPJ inválido: o primeiro dígito verificador (o 13º dígito) não confere. Confira a "
        "digitação.")
    assert 'value="11.444.777/0001-71"' in primeiro.get_data(as_text=True)
    segundo = nova_organizacao(maria, cnpj="11.444.777/0001-62")
    assert erro_do_campo(segundo, "cnpj") == (
        "CNPJ inválido: o segundo dígito verificador (o último dígito) não confere. Confira a "
        "digitação.")


def test_a_cnpj_already_registered_is_refused(maria):
    response = nova_organizacao(maria, cnpj="11.222.333/0001-81")
    assert response.status_code == 422
    assert erro_do_campo(response, "cnpj") == (
        "Esta organização já está cadastrada. Peça a um Gestor dela que convide você, na "
        "página Organização.")


def test_a_second_organisation_and_switching_between_them(maria):
    processo = da_prefeitura(ProcessoCompra)[0]
    cadastrada = nova_organizacao(maria)
    assert cadastrada.status_code == 303
    pagina = text(maria.get(cadastrada.headers["Location"]))
    assert "Consórcio Intermunicipal Exemplo cadastrada. Você é o Gestor" in pagina
    assert "CNPJ 11.444.777/0001-61" in pagina and "Consórcio Intermunicipal Exemplo ▾" in pagina
    assert processo.numero not in text(maria.get("/pedidos/processos"))

    escolha = text(maria.get("/contratante"))
    assert f"Trabalhar para {PREFEITURA}" in escolha
    trocado = maria.post("/contratante", data={"contratante": prefeitura().id})
    assert trocado.status_code == 303
    assert f"Agora você está trabalhando para {PREFEITURA}." in text(maria.get("/"))
    assert processo.numero in text(maria.get("/pedidos/processos"))

    maria.post("/sair")
    assert login(maria, "123.456.789-09", "demo12345").status_code == 303
    assert f"{PREFEITURA} ▾" in text(maria.get("/"))
    assert processo.numero in text(maria.get("/pedidos/processos"))


# --- migration 0008: every earlier buyer became a contratante of their own -----------------

MARIA_CPF, JOSE_CPF = "12345678909", "11144477735"
ANTES_DA_0008 = [
    "INSERT INTO conta (id, cpf, nome, email, telefone, senha_hash, papel, criado_em, "
    "sessao_geracao) VALUES (7, '12345678909', 'Maria da Silva', 'm@example.com', '', 'h', "
    "'comprador', '2026-01-02 03:04:05', 1), (8, '11144477735', 'José Pereira', "
    "'j@example.com', '', 'h', 'comprador', '2026-01-03 03:04:05', 1), (9, '98765432100', "
    "'Ana Souza', 'a@example.com', '', 'h', 'agente', '2026-01-01 03:04:05', 1)",
    "INSERT INTO produto (id, codigo, nome, descricao, preco_centavos, validade_meses) "
    "VALUES (1, 'p', 'P', '', 15000, 12)",
    "INSERT INTO processo_compra (id, numero, comprador_id, produto_id, quantidade, "
    "valor_unitario_centavos, total_centavos, situacao, criado_em) VALUES (3, '2026000003', 7, "
    "1, 1, 15000, 15000, 'pago', '2026-01-02 03:04:05'), (4, '2026000004', 8, 1, 1, 15000, "
    "15000, 'aguardando_pagamento', '2026-01-03 03:04:05')",
    "INSERT INTO certificado (id, processo_id, numero, situacao, versao, atualizado_em, "
    "comprador_id) VALUES (5, 3, '2026000003-01', 'disponivel', 1, '2026-01-02 03:04:05', 7), "
    "(6, 4, '2026000004-01', 'aguardando_pagamento', 1, '2026-01-03 03:04:05', 8)",
    "INSERT INTO boleto (id, processo_id, sequencia, nosso_numero, numero_documento, "
    "valor_centavos, vencimento, vencimento_original, codigo_barras, linha_digitavel, "
    "pix_copia_e_cola, situacao, criado_em, comprador_id) VALUES (10, 3, 1, '0001', 'D1', "
    "15000, '2026-01-09', '2026-01-09', 'c1', 'l1', '', 'pago', '2026-01-02 03:04:05', 7), "
    "(11, 4, 2, '0002', 'D2', 15000, '2026-01-10', '2026-01-10', 'c2', 'l2', '', 'emitido', "
    "'2026-01-03 03:04:05', 8)",
    "INSERT INTO lote (id, conta_id, acao, formato, nome_arquivo, situacao, total, validas, "
    "erros, criado_em) VALUES (4, 7, 'atribuir', 'csv', 'a.csv', 'concluido', 1, 1, 0, "
    "'2026-01-04 10:00:00'), (5, 8, 'atribuir', 'csv', 'b.csv', 'previa', 0, 0, 0, "
    "'2026-01-05 10:00:00')",
    # The agent acted on José's purchase: the event is still José's.
    "INSERT INTO evento (id, processo_id, certificado_id, ator, conta_id, tipo, de, para, "
    "detalhes, criado_em) VALUES (1, 3, 5, 'Maria da Silva', 7, 'processo.criado', '', "
    "'aguardando_pagamento', '', '2026-01-02 03:04:05'), (2, 4, NULL, 'José Pereira', 8, "
    "'processo.criado', '', 'aguardando_pagamento', '', '2026-01-03 03:04:05'), (3, 4, 6, "
    "'Ana Souza', 9, 'boleto.emitido', '', '', '', '2026-01-03 04:00:00')",
]


def test_migration_0008_makes_each_buyer_a_personal_contratante_and_moves_nothing(tmp_path):
    import migrations
    from tests.integration.test_migracoes import banco_vazio

    with banco_vazio(tmp_path) as banco:
        migrations.migrate(banco, ate="0007_historico_do_peewee")
        for sql in ANTES_DA_0008:
            banco.execute_sql(sql)
        assert migrations.migrate(banco, ate="0008_contratantes") == ["0008_contratantes"]

        assert banco.execute_sql("SELECT tipo, documento, nome FROM contratante ORDER BY id"
                                 ).fetchall() == [("cpf", MARIA_CPF, "Maria da Silva"),
                                                  ("cpf", JOSE_CPF, "José Pereira")]
        assert banco.execute_sql(
            "SELECT c.cpf, k.documento, r.papel FROM responsavel r JOIN conta c ON "
            "c.id = r.conta_id JOIN contratante k ON k.id = r.contratante_id ORDER BY c.id"
        ).fetchall() == [(MARIA_CPF, MARIA_CPF, "gestor"), (JOSE_CPF, JOSE_CPF, "gestor")]

        def de_quem(tabela, coluna="contratante_id"):
            return dict(banco.execute_sql(
                f'SELECT t.id, k.documento FROM "{tabela}" t LEFT JOIN contratante k ON '
                f'k.id = t.{coluna} ORDER BY t.id').fetchall())

        assert de_quem("conta", "contratante_ativo_id") == {7: MARIA_CPF, 8: JOSE_CPF, 9: None}
        assert de_quem("processo_compra") == {3: MARIA_CPF, 4: JOSE_CPF}
        assert de_quem("certificado") == {5: MARIA_CPF, 6: JOSE_CPF}
        assert de_quem("boleto") == {10: MARIA_CPF, 11: JOSE_CPF}
        assert de_quem("lote") == {4: MARIA_CPF, 5: JOSE_CPF}
        assert de_quem("evento") == {1: MARIA_CPF, 2: JOSE_CPF, 3: JOSE_CPF}
        assert banco.execute_sql("SELECT id, comprador_id FROM processo_compra ORDER BY id"
                                 ).fetchall() == [(3, 7), (4, 8)]
