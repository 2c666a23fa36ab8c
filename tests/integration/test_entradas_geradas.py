"""Hostile input, generated: Hypothesis posts values of every hostile class (control
characters, overlong text, huge numbers, impossible dates, other scripts, markup) to every
form and to the bank's notification. Never a 500; the form comes back with a message; nothing
is stored. Prints how many inputs were tried."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import ALL_MODELS, Agendamento, Boleto, Certificado, Conta, Responsavel, db
from services.titular import atribuicoes
from services.contratantes import contas
from services.titular import links
import relogio
from services.pagamento.pagamentos import assinatura
from tests.support import financeiro as helpers
from tests.support.solicitacao import JOAO_CPF, novo_link, preencher

SEGREDO = "segredo-do-banco"
EXEMPLOS = 25  # per form; the whole test stays well under a minute

# Always refused, whatever the field: a control character (line breaks and tabs aside: a
# multi-line field takes them), or far too long.
INVALIDOS = st.one_of(
    st.builds(lambda antes, c, depois: antes + c + depois, st.text(max_size=8),
              st.characters(codec="utf-8", categories=["Cc"], exclude_characters="\t\n\r"),
              st.text(max_size=8)),
    st.text(min_size=1, max_size=3).map(lambda s: s * 2000),
)
# Anything else a hostile person may send.
QUAISQUER = st.one_of(
    INVALIDOS,
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["0001-01-01", "9999-12-31", "31/02/2026", "99/99/99999", "1e309", "NaN",
                     "-0", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd",
                     "\u202egnp.exe", "🙂🙂🙂", "１２３４５", "%00", "{{7*7}}", "a\r\nb", ""]),
)


def cliente(app, conta=None, **sessao):
    client = app.test_client()
    with client.session_transaction() as s:
        if conta is not None:
            agora = relogio.segundos_reais()
            s.update(conta_id=conta.id, geracao=conta.sessao_geracao, entrou_em=agora,
                     visto_em=agora)
        s.update(sessao)
    return client


@pytest.fixture
def config_overrides():
    return {"PAGAMENTOS_WEBHOOK_SECRET": SEGREDO}


@pytest.fixture
def formularios(app, demo):
    """(name, client, URL, visible fields, hidden fields with the value the page sends)."""
    numero, token = novo_link(app)
    titular = app.test_client()
    titular.get(f"/t/{token}")
    preencher(titular, numero, ate="endereco")
    with app.app_context(), db.connection_context():
        maria, agente = helpers.conta(), helpers.conta("98765432100")
        pendente = Certificado.get((Certificado.situacao == "disponivel")
                                   & (Certificado.processo.in_(maria.processos))).numero
        atribuido = Certificado.get(Certificado.titular_cpf == JOAO_CPF).numero
        vencido, em_dia = helpers.boleto_vencido(), helpers.boleto_em_dia()
        agendamento = Agendamento.get(Agendamento.situacao == Agendamento.ATIVO).id
        roberto = Certificado.get_by_id(Agendamento.get_by_id(agendamento).certificado_id)
        token_roberto = links.emitir(atribuicoes.ativa(roberto), 30)
        senha_token = contas.emitir_token(maria, contas.RECUPERAR_SENHA, 1)
        carlos = Responsavel.select().join(Conta).where(Conta.cpf == "25836914737").get().id
    versao = {"versao": "1"}
    titular_roberto = app.test_client()
    titular_roberto.get(f"/t/{token_roberto}")
    return [
        ("entrar", cliente(app), "/entrar", ["cpf", "senha"], {}),
        ("primeiro acesso", cliente(app), "/primeiro-acesso", ["cpf", "email"], {}),
        ("primeiro acesso: dados", cliente(app, primeiro_acesso={
            "cpf": "39053344705", "email": "novo@example.com", "next": None}),
         "/primeiro-acesso/dados", ["nome", "celular"], {}),
        ("esqueci minha senha", cliente(app), "/esqueci-minha-senha", ["cpf"], {}),
        ("definir senha", cliente(app, token_conta=senha_token), "/definir-senha",
         ["senha", "confirmacao"], {}),
        ("atribuir", cliente(app, maria), f"/certificados/{pendente}/atribuir",
         ["cpf", "email", "email_confirmacao"], {"chave": "a" * 32}),
        ("reatribuir", cliente(app, maria), f"/certificados/{atribuido}/reatribuir",
         ["cpf", "email", "email_confirmacao"], {"chave": "b" * 32}),
        ("ajuda interativa", cliente(app, maria), f"/ajuda/interativa/{pendente}/atribuir",
         ["cpf", "email"], {"chave": "c" * 32}),
        ("dados pessoais", titular, f"/solicitacao/{numero}/dados",
         ["nome", "nascimento_dia", "nascimento_mes", "nascimento_ano"], versao),
        ("contato", titular, f"/solicitacao/{numero}/contato", ["email", "celular"], versao),
        ("endereço", titular, f"/solicitacao/{numero}/endereco",
         ["cep", "logradouro", "numero", "complemento", "bairro", "cidade", "uf"], versao),
        ("documento", titular, f"/solicitacao/{numero}/documento",
         ["doc_tipo", "doc_numero", "doc_emissor", "doc_uf", "emissao_dia", "emissao_mes",
          "emissao_ano"], versao),
        ("solicite agora", cliente(app), "/solicite-agora/", ["quantidade"], {}),
        ("confirmar compra", cliente(app, maria), "/solicite-agora/confirmar",
         ["quantidade", "chave"], {}),
        ("novo boleto", cliente(app, maria), f"/financeiro/boletos/{vencido.id}/novo",
         ["vencimento", "aceite"], {}),
        ("pagamentos", cliente(app, agente), f"/pagamentos/boletos/{em_dia.id}/confirmar",
         ["valor", "data_pagamento"], {}),
        ("recusar validação", cliente(app, agente), f"/agenda/{agendamento}/recusar",
         ["motivo"], {}),
        ("agendar", titular_roberto, f"/titular/{roberto.numero}/agendamento/confirmar",
         ["inicio", "acao"], {}),
        ("convidar responsável", cliente(app, maria), "/organizacao/convites",
         ["cpf", "email", "email_confirmacao", "papel"], {}),
        ("mudar papel", cliente(app, maria), f"/organizacao/responsaveis/{carlos}/papel",
         ["papel"], {}),
        ("cadastrar organização", cliente(app, maria), "/organizacao/nova",
         ["cnpj", "razao_social", "cep", "logradouro", "numero", "complemento", "bairro",
          "cidade", "uf"], {}),
    ]


def retrato():
    """Every row of every table: what "nothing stored" compares."""
    with db.connection_context():
        return {m.__name__: list(m.select().order_by(m._meta.primary_key).tuples())
                for m in ALL_MODELS}


def resposta_com_mensagem(resposta):
    """A 4xx page that says what is wrong: at the field, or the error page for what a
    person cannot type (hidden fields)."""
    html = resposta.get_data(as_text=True)
    return 400 <= resposta.status_code < 500 and (
        '-erro"' in html or "Pedido inválido" in html or "Corrija" in html)


def test_generated_hostile_input_to_every_form(app, formularios):
    antes = retrato()
    tentativas, falhas = 0, []
    for nome, client, url, campos, ocultos in formularios:
        @settings(max_examples=EXEMPLOS, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def enviar(data):
            nonlocal tentativas
            hostil = data.draw(st.sampled_from(campos))
            valores = {c: data.draw(INVALIDOS if c == hostil else QUAISQUER) for c in campos}
            resposta = client.post(url, data={**ocultos, **valores})
            tentativas += 1
            if resposta.status_code >= 500 or not resposta_com_mensagem(resposta):
                falhas.append((nome, valores, resposta.status_code))
            assert resposta.status_code < 500, (nome, valores)
            assert resposta_com_mensagem(resposta), (nome, valores, resposta.status_code)

        enviar()
    print(f"\nentradas hostis tentadas em {len(formularios)} formulários: {tentativas}; "
          f"respostas 500: {sum(1 for f in falhas if f[2] >= 500)}")
    assert retrato() == antes


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**40), max_value=10**40),
              st.floats(allow_nan=False), QUAISQUER),
    lambda filhos: st.one_of(st.lists(filhos, max_size=4),
                             st.dictionaries(st.text(max_size=10), filhos, max_size=4)),
    max_leaves=12,
)


def test_generated_notifications_never_crash_and_store_nothing(app, demo, client):
    with app.app_context(), db.connection_context():
        nosso_numero = Boleto.select().where(Boleto.situacao == "em_aberto").first().nosso_numero
    antes = retrato()
    tentativas = quinhentos = 0

    campos = st.fixed_dictionaries({
        "id": QUAISQUER, "nosso_numero": st.one_of(st.just(nosso_numero), QUAISQUER),
        "valor_centavos": st.one_of(JSON, st.integers(min_value=2**31, max_value=10**40),
                                    st.integers(max_value=0)),
        "data_pagamento": QUAISQUER})

    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(corpo=st.one_of(campos.map(json.dumps), JSON.map(json.dumps),
                           st.integers(min_value=1, max_value=50_000).map(lambda n: "[" * n),
                           st.binary(max_size=200)),
           assinada=st.booleans(), cabecalho=QUAISQUER)
    def notificar(corpo, assinada, cabecalho):
        nonlocal tentativas, quinhentos
        raw = corpo.encode() if isinstance(corpo, str) else corpo
        assinatura_ = assinatura(SEGREDO, raw) if assinada else cabecalho
        try:
            assinatura_.encode("latin-1")
        except UnicodeEncodeError:  # an HTTP header carries bytes: send what a client would
            assinatura_ = assinatura_.encode().decode("latin-1")
        resposta = client.post("/api/pagamentos/notificacao", data=raw,
                               headers={"Content-Type": "application/json",
                                        "X-Assinatura": assinatura_.replace("\n", " ")
                                        .replace("\r", " ")})
        tentativas += 1
        quinhentos += resposta.status_code >= 500
        assert resposta.status_code in (400, 401, 404), (corpo, resposta.status_code)

    notificar()
    print(f"\nnotificações hostis tentadas: {tentativas}; respostas 500: {quinhentos}")
    assert retrato() == antes
