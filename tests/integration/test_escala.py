"""Volume: every list reads a page of an index, whatever the buyer holds (issue 10).

Figures are printed (run with -s). The EXPLAIN test needs PostgreSQL: it loads volume
without ANALYZE, so the plans cannot lean on statistics.
"""
import logging
import os
import re
import subprocess
import sys
import time

import pytest

import relogio

from banco import consulta_pronta
from bench import gerador
import migrations
from models import (ALL_MODELS, Boleto, Certificado, Conta, Contratante, Evento, ProcessoCompra,
                    Responsavel, db)
from services.contratantes import papeis
from services.nucleo import paginacao
from services.pagamento import processos
from tests.support.http import login, text

RAIZ = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


class _Consultas(logging.Handler):
    """Every SQL statement peewee sends, as (sql, params)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.sql = []

    def emit(self, record):
        if isinstance(record.msg, tuple):  # not the pool's own messages
            self.sql.append(record.msg)


@pytest.fixture
def consultas():
    logger = logging.getLogger("peewee")
    handler, nivel = _Consultas(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(nivel)


def carregar(app, **volume):
    with app.app_context(), db.connection_context():
        return gerador.carregar(saida=lambda *_: None, **volume)


def prefeitura():
    """The demo organisation's id: it holds Maria's purchases and the volume."""
    return Contratante.get(Contratante.documento == "11222333000181").id


# --- the lists' pages ----------------------------------------------------------------------

def paginas_da_compradora():
    """Every list page of the demo buyer, at its first and a deep page."""
    with db.connection_context():
        dela = prefeitura()
        meio = (Certificado.select(Certificado.id).where(Certificado.contratante == dela)
                .order_by(Certificado.id).limit(1).offset(
                    Certificado.select().where(Certificado.contratante == dela).count() // 2)
                .scalar())
        maior = (ProcessoCompra.select().where(ProcessoCompra.contratante == dela)
                 .order_by(ProcessoCompra.quantidade.desc(), ProcessoCompra.id).first())
    filtros = ["em_andamento", "todos", "aguardando_pagamento", "disponivel", "atribuido",
               "solicitado", "agendado", "pendente_correcao", "emitido", "cancelado"]
    return ([f"/certificados/lista?situacao={f}" for f in filtros]
            + [f"/certificados/lista?situacao={f}&depois={meio}" for f in ("todos", "emitido")]
            + [f"/certificados/lista?situacao=todos&antes={meio}",
               "/pedidos/processos", f"/pedidos/processos?depois={maior.id}",
               f"/pedidos/processos?q={maior.numero[:6]}", f"/pedidos/processos?q={maior.numero}",
               f"/pedidos/processos/{maior.numero}", "/financeiro/",
               f"/financeiro/?depois={maior.id}"])


PAGINAS_DO_AGENTE = ["/agenda/", "/pagamentos/"]


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES, reason="EXPLAIN plans are PostgreSQL's (DATABASE_URL)")
def test_every_list_query_reads_an_index_even_without_statistics(app, client, consultas):
    with db.connection_context():
        # Tables created now have no statistics at all (emptied ones keep their old ones).
        db.drop_tables(ALL_MODELS, cascade=True)
        db.execute_sql(f'DROP TABLE "{migrations.HISTORICO}"')
        migrations.migrate()
    inicio = time.monotonic()
    # Small purchases, so purchases and boletos are thousands too.
    linhas = carregar(app, compradores=3, certificados=15_000, por_comprador=1_000,
                      maior_compra=10, analisar=False)
    print(f"\nloaded {linhas} rows (15 000 certificates for the demo buyer in purchases of "
          f"1-10, no ANALYZE) in {time.monotonic() - inicio:.1f} s")
    assert login(client, "123.456.789-09", "demo12345").status_code == 303
    urls = paginas_da_compradora()
    vistas = []
    for url in urls:
        consultas.sql.clear()
        assert client.get(url).status_code == 200, url
        vistas.append((url, list(consultas.sql)))
    client.post("/sair")
    assert login(client, "987.654.321-00", "agente12345").status_code == 303
    for url in PAGINAS_DO_AGENTE:
        consultas.sql.clear()
        assert client.get(url).status_code == 200, url
        vistas.append((url, list(consultas.sql)))
    varreduras, explicadas = [], 0
    with db.connection_context():
        # Each page's statements again, in order and in one transaction, so the settings a
        # page makes for its reads (set_config(…, true), SET LOCAL) hold for the plans
        # explained.
        # A prepared statement (banco.consulta_pronta) is explained with the plan it keeps
        # for any values (the generic plan), the one the server uses after a few calls.
        db.execute_sql("SET plan_cache_mode = force_generic_plan")
        preparadas = 0
        for url, lista in vistas:
            db.execute_sql("BEGIN")
            for sql, params in lista:
                if sql.startswith("SET LOCAL") or sql.startswith("SELECT set_config("):
                    db.execute_sql(sql, params)
                elif sql.startswith(("SELECT", "EXECUTE")):
                    explicadas += 1
                    texto = sql
                    if sql.startswith("EXECUTE"):
                        nome = re.match(r"EXECUTE (\w+)", sql).group(1)
                        consulta_pronta.preparar(nome)
                        texto, preparadas = consulta_pronta.texto(nome), preparadas + 1
                    plano = "\n".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params))
                    if os.environ.get("MOSTRAR_PLANOS"):
                        print(f"{url}\n{texto} {params}\n{plano}\n")
                    varreduras += _varreduras(url, texto, plano)
            db.execute_sql("ROLLBACK")
        db.execute_sql("RESET plan_cache_mode")
    print(f"{explicadas} queries of {len(vistas)} pages explained ({preparadas} prepared, "
          f"generic plans); {len(varreduras)} scan a big table or sort what a list read")
    assert preparadas, "the list pages run prepared statements on PostgreSQL"


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES, reason="prepared statements are PostgreSQL's (DATABASE_URL)")
def test_no_prepared_statement_reads_more_with_the_plan_kept_for_any_values(app, client,
                                                                              consultas):
    """After a few calls PostgreSQL may keep one plan for any values; with statistics, that
    plan must read about what the plan made for the values at hand does. The Agenda's day
    and the search by ID prefix read 100 times more with it, so they are not prepared."""
    carregar(app, compradores=3, certificados=15_000, por_comprador=1_000, maior_compra=10)
    vistas = []
    for cpf, senha, urls in (("123.456.789-09", "demo12345", paginas_da_compradora()),
                             ("987.654.321-00", "agente12345", PAGINAS_DO_AGENTE + [
                                 "/agenda/?ponto=video", f"/agenda/?dia={relogio.hoje()}"])):
        assert login(client, cpf, senha).status_code == 303
        for url in urls:
            consultas.sql.clear()
            assert client.get(url).status_code == 200, url
            vistas.append((url, list(consultas.sql)))
        client.post("/sair")
    comparadas, piores = 0, []
    with db.connection_context():
        for url, lista in vistas:
            db.execute_sql("BEGIN")
            for sql, params in lista:
                if sql.startswith("SET LOCAL") or sql.startswith("SELECT set_config("):
                    db.execute_sql(sql, params)
                elif sql.startswith("EXECUTE"):
                    nome = re.match(r"EXECUTE (\w+)", sql).group(1)
                    consulta_pronta.preparar(nome)
                    comparadas += 1
                    piores += _pior_que_o_proprio(url, consulta_pronta.texto(nome), sql, params)
            db.execute_sql("ROLLBACK")
    print(f"\n{comparadas} statements of {len(vistas)} pages run with both plans; "
          f"{len(piores)} read far more with the plan for any values")
    assert not piores, "\n\n".join(piores)


def _paginas_lidas(sql, params):
    """Pages of table and index the statement read when run (EXPLAIN ANALYZE, BUFFERS)."""
    plano = [r[0] for r in db.execute_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)]
    buffers = next(linha for linha in plano if "Buffers:" in linha)
    return sum(int(n) for n in re.findall(r"(?:hit|read)=(\d+)", buffers))


def _pior_que_o_proprio(url, texto, sql, params):
    """A prepared statement whose plan for any values reads far more than the plan made for
    its own values (a range whose width only the values tell): it must not be prepared."""
    db.execute_sql("SET LOCAL plan_cache_mode = force_custom_plan")
    proprio = _paginas_lidas(sql, params)
    db.execute_sql("SET LOCAL plan_cache_mode = force_generic_plan")
    qualquer = _paginas_lidas(sql, params)
    if qualquer > 2 * proprio + 20:
        return [f"{url}: {qualquer} pages read with the generic plan, {proprio} with its own\n"
                f"{texto}"]
    return []
    assert not varreduras, "\n\n".join(varreduras)


def _varreduras(url, sql, plano):
    """Why a plan is O(volume): a sequential scan of a big table, or a sort of what a paged
    list read (a search by ID prefix sorts its matches, and only them)."""
    erros = []
    if re.search(r'Seq Scan on "?(certificado|processo_compra|evento|boleto|pagamento)\b', plano):
        erros.append(f"{url}\n{sql}\n{plano}")
    paginada = re.search(r'ORDER BY "t1"."id" (ASC|DESC) LIMIT', sql)
    if paginada and "Sort" in plano and '"numero" >=' not in sql:
        erros.append(f"{url} (sorts)\n{sql}\n{plano}")
    return erros


def test_list_pages_cost_the_same_queries_for_a_few_or_thousands_of_certificates(
        app, client, demo, consultas):
    assert login(client, "123.456.789-09", "demo12345").status_code == 303
    urls = ["/certificados/lista", "/certificados/lista?situacao=todos", "/pedidos/processos",
            "/financeiro/"]
    antes = {}
    for url in urls:
        consultas.sql.clear()
        client.get(url)
        antes[url] = len(consultas.sql)
    carregar(app, compradores=0, certificados=3_000)
    for url in urls:
        consultas.sql.clear()
        assert client.get(url).status_code == 200
        print(f"{url}: {antes[url]} queries with 7 certificates, {len(consultas.sql)} with 3 000")
        assert len(consultas.sql) == antes[url]
    assert "Mais de 1.000 certificados" in text(client.get("/certificados/lista?situacao=todos"))


def _texto(sql):
    """A statement's SQL, that of a prepared one (banco.consulta_pronta) included."""
    preparada = re.match(r"EXECUTE (\w+)", sql)
    return consulta_pronta.texto(preparada[1]) if preparada else sql


def test_the_role_check_costs_no_query_a_consulta_member_pays_what_the_gestor_pays(
        app, client, demo, consultas):
    carregar(app, compradores=0, certificados=0)  # the organisation's 50 responsáveis
    with app.app_context(), db.connection_context():
        consulta = (Conta.select().join(Responsavel, on=(Responsavel.conta == Conta.id))
                    .where((Responsavel.contratante == prefeitura())
                           & (Responsavel.papel == papeis.CONSULTA)
                           & Conta.email.endswith("@" + gerador.DOMINIO)).first())

    def custos(cpf, senha):
        assert login(client, cpf, senha).status_code == 303
        contagem = {}
        for url in ("/certificados/lista", "/pedidos/processos", "/financeiro/"):
            consultas.sql.clear()
            assert client.get(url).status_code == 200, url
            # The account comes with its active membership and contratante: one query.
            assert sum('"responsavel"' in _texto(sql) for sql, _ in consultas.sql) == 1, url
            contagem[url] = len(consultas.sql)
        client.post("/sair")
        return contagem

    assert custos(consulta.cpf, gerador.SENHA) == custos("123.456.789-09", "demo12345")


def test_pages_go_forward_and_back_through_every_certificate_once(app, client, demo):
    carregar(app, compradores=0, certificados=60)
    assert login(client, "123.456.789-09", "demo12345").status_code == 303
    vistos, url = [], "/certificados/lista?situacao=todos"
    while url:
        html = client.get(url).get_data(as_text=True)
        vistos += re.findall(r"/certificados/([0-9-]+)\"", html)
        proxima = re.search(r'href="([^"]+)"[^>]*>Próxima', html)
        url = proxima and proxima.group(1).replace("&amp;", "&")
    with db.connection_context():
        todos = [c.numero for c in Certificado.select()
                 .where(Certificado.contratante == prefeitura()).order_by(Certificado.id.desc())]
    assert vistos == todos  # newest first, none twice, none missing
    ultima = client.get("/certificados/lista?situacao=todos&depois=1").get_data(as_text=True)
    assert "Próxima</a>" not in ultima and "Anterior</a>" in ultima


@pytest.mark.parametrize("valor, esperado", [
    ("12", 12), ("0", None), ("-3", None), ("abc", None), ("", None), (None, None),
    ("9" * 30, None), ("1e3", None)])
def test_a_cursor_from_the_query_string_is_a_positive_id_or_nothing(valor, esperado):
    assert paginacao.cursor(valor) == esperado


def test_a_long_andamento_shows_its_latest_events_and_links_to_the_earlier_ones(
        app, maria, dbconn):
    processo = ProcessoCompra.select().where(ProcessoCompra.quantidade == 3).get()
    for i in range(processos.ANDAMENTO_LIMITE + 5):
        Evento.create(processo=processo, contratante=processo.contratante_id, ator="Teste",
                      tipo="link.reenviado", detalhes=f"n{i}")
    page = maria.get(f"/pedidos/processos/{processo.numero}").get_data(as_text=True)
    assert f"n{processos.ANDAMENTO_LIMITE + 4}" in page and "Compra registrada" not in page
    anterior = re.search(r'href="([^"]+)">Ver o andamento anterior', page).group(1)
    antigos = text(maria.get(anterior.replace("&amp;", "&")))
    assert "Compra registrada" in antigos and "Ver o andamento mais recente" in antigos
    assert f"n{processos.ANDAMENTO_LIMITE + 4}" not in antigos


# --- health check, bench data, the queue file -------------------------------------------------

def test_saude_answers_ok_after_one_database_query(client, consultas):
    response = client.get("/saude")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"
    assert [sql for sql, _ in consultas.sql] == ["SELECT 1"]


def test_bench_data_makes_every_state_once_and_adds_nothing_the_second_time(app, demo):
    primeira = carregar(app, compradores=2, certificados=400, por_comprador=200)
    segunda = carregar(app, compradores=2, certificados=400, por_comprador=200)
    with app.app_context(), db.connection_context():
        assert Certificado.select().where(Certificado.contratante == prefeitura()).count() == 400
        situacoes = {s for (s,) in Certificado.select(Certificado.situacao).distinct().tuples()}
        assert gerador.contas_alheias() == 0
    assert primeira > 1000 and segunda == 0
    assert situacoes == {"aguardando_pagamento", "disponivel", "atribuido", "solicitado",
                         "agendado", "pendente_correcao", "emitido", "cancelado"}


def test_bench_buyers_buy_for_themselves_and_the_demo_organisation_gets_50_responsaveis(
        app, demo):
    carregar(app, compradores=2, certificados=0, por_comprador=10)
    with app.app_context(), db.connection_context():
        compradores = list(Conta.select().where(Conta.email.startswith("compras"))
                           .order_by(Conta.id))
        for conta in compradores:
            pessoal = Contratante.get(Contratante.id == conta.contratante_ativo_id)
            assert (pessoal.tipo, pessoal.documento, pessoal.nome) == ("cpf", conta.cpf, conta.nome)
            assert [(r.contratante_id, r.papel) for r in conta.vinculos] == [(pessoal.id, "gestor")]
        dela = prefeitura()
        membros = list(Responsavel.select(Responsavel, Conta).join(Conta)
                       .where((Responsavel.contratante == dela)
                              & Conta.email.endswith("@" + gerador.DOMINIO)))
    assert len(compradores) == 2
    assert len(membros) == 50 and {m.papel for m in membros} == set(papeis.PAPEIS)
    assert {m.conta.contratante_ativo_id for m in membros} == {dela}


def test_bench_rows_belong_to_their_purchase_contratante_and_name_who_bought(app, demo):
    carregar(app, compradores=1, certificados=40, por_comprador=20)
    with app.app_context(), db.connection_context():
        maria = Conta.get(Conta.cpf == "12345678909")
        um_mil = Conta.get(Conta.cpf == gerador.cpf(800_000_001))
        quem = {conta.id: set(ProcessoCompra.select(ProcessoCompra.contratante,
                                                    ProcessoCompra.comprador)
                              .where(ProcessoCompra.comprador == conta.id).tuples())
                for conta in (maria, um_mil)}
        alheios = [Model.select().join(ProcessoCompra).where(
            Model.contratante != ProcessoCompra.contratante).count()
            for Model in (Certificado, Boleto, Evento)]
        dela = prefeitura()
        volume = Certificado.select().where(Certificado.contratante == dela).count()
    assert quem == {maria.id: {(dela, maria.id)},
                    um_mil.id: {(um_mil.contratante_ativo_id, um_mil.id)}}
    assert alheios == [0, 0, 0] and volume == 40


def test_bench_data_refuses_a_database_with_real_accounts_unless_confirmed(app, demo):
    from models import Conta as C

    with app.app_context(), db.connection_context():
        C.create(cpf="52998224725", nome="Pessoa Real", email="real@exemplo.gov.br")
    assert "bench-data" not in app.cli.commands  # the production factory leaves it out
    app.cli.add_command(gerador.bench_data_command)
    runner = app.test_cli_runner()
    recusa = runner.invoke(args=["bench-data", "--compradores", "0", "--certificados", "10"])
    assert recusa.exit_code != 0 and "--confirmar" in recusa.output
    aceito = runner.invoke(args=["bench-data", "--compradores", "0", "--certificados", "10",
                                 "--confirmar"])
    assert aceito.exit_code == 0, aceito.output


def _enfileirar_e_listar(database_url, email_id):
    """In its own process (as a second instance would be): queue one e-mail job without
    running it, then list the e-mail ids waiting in that instance's queue."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "HUEY_SQLITE_PATH")}
    env["DATABASE_URL"] = database_url
    codigo = ("from app import create_app; from filas import tarefas; "
              f"create_app({{'SECRET_KEY': 'x'}}); tarefas.enviar_email({email_id}); "
              "print(sorted(t.args[0] for t in tarefas.huey.pending()))")
    saida = subprocess.run([sys.executable, "-c", codigo], cwd=RAIZ, env=env, check=True,
                           capture_output=True, text=True).stdout
    return saida.strip().splitlines()[-1]


def test_two_instances_with_different_databases_never_share_a_queue(tmp_path):
    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    assert _enfileirar_e_listar(a, 1) == "[1]"
    assert _enfileirar_e_listar(b, 2) == "[2]"  # B does not see A's job...
    assert _enfileirar_e_listar(a, 3) == "[1, 3]"  # ...nor A B's
    assert (tmp_path / "a.huey.db").exists() and (tmp_path / "b.huey.db").exists()


def test_a_version_1_database_gets_the_buyers_own_contratante_onto_its_certificates(tmp_path):
    from tests.integration.test_migracoes import banco_vazio

    with banco_vazio(tmp_path) as banco:
        migrations.migrate(banco, ate=migrations.NOMES[0])
        for sql in (
            "INSERT INTO conta (id, cpf, nome, email, telefone, senha_hash, papel, criado_em) "
            "VALUES (7, '12345678909', 'Maria', 'm@example.com', '', '', 'comprador', "
            "'2026-01-02 03:04:05')",
            "INSERT INTO produto (id, codigo, nome, descricao, preco_centavos, validade_meses) "
            "VALUES (1, 'p', 'P', '', 15000, 12)",
            "INSERT INTO processo_compra (id, numero, comprador_id, produto_id, quantidade, "
            "valor_unitario_centavos, total_centavos, situacao, criado_em) VALUES (3, "
            "'2026000003', 7, 1, 1, 15000, 15000, 'pago', '2026-01-02 03:04:05')",
            "INSERT INTO certificado (id, processo_id, numero, situacao, versao, atualizado_em) "
            "VALUES (5, 3, '2026000003-01', 'disponivel', 1, '2026-01-02 03:04:05')"):
            banco.execute_sql(sql)
        assert migrations.migrate(banco) == migrations.NOMES[1:]
        # The certificate's copy is its purchase's contratante: Maria's own (her CPF).
        copias = banco.execute_sql(
            "SELECT c.contratante_id, k.tipo, k.documento FROM certificado c "
            "JOIN processo_compra p ON p.id = c.processo_id "
            "AND p.contratante_id = c.contratante_id "
            "JOIN contratante k ON k.id = p.contratante_id").fetchall()
        assert copias == [(1, "cpf", "12345678909")]
        indices = {i.name for i in banco.get_indexes("certificado")}
        assert "certificado_em_andamento" in indices
