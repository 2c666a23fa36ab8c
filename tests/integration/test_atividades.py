"""Manual, Organização → Atividades: what was done for the active contratante — who, what,
when, on which purchase or certificate — filtered by person and by period (days in Brasília),
paged, and exported as CSV or XLSX with the same filter."""
import csv
import io
import logging
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from models import Certificado, Contratante, Conta, Evento, ProcessoCompra, db
from services.contratantes import atividades
from services.titular import exportacao
from tests.support.http import htmx_headers, login, tabela, text

URL = "/organizacao/atividades/"
PREFEITURA = "11222333000181"
CARLOS = ("258.369.147-37", "demo12345")
JOSE = ("111.444.777-35", "demo12345")


def conta(cpf):
    with db.connection_context():
        return Conta.get(Conta.cpf == cpf)


def prefeitura():
    with db.connection_context():
        return Contratante.get(Contratante.documento == PREFEITURA)


def numeros_das_compras(cpf="12345678909"):
    """The numbers of the purchases `cpf` made."""
    with db.connection_context():
        return {p.numero for p in ProcessoCompra.select()
                .where(ProcessoCompra.comprador == conta(cpf).id)}


def evento(quem, detalhes, criado_em=None, com_compra=False):
    """An event of the Prefeitura by `quem` (a Conta, or None for the system); `com_compra`
    ties it to a purchase and a certificate of the Prefeitura."""
    with db.connection_context():
        campos = {"criado_em": criado_em} if criado_em else {}
        if com_compra:
            certificado = (Certificado.select()
                           .where(Certificado.contratante == prefeitura().id).first())
            campos.update(processo=certificado.processo_id, certificado=certificado.id)
        return Evento.create(contratante=prefeitura().id, conta=quem.id if quem else None,
                             ator=quem.nome if quem else "Sistema", tipo="link.reenviado",
                             detalhes=detalhes, **campos)


def coluna(response, rotulo):
    """The cells of column `rotulo` of the page's table."""
    cabecalho, linhas = tabela(response)
    return [linha["celulas"][cabecalho.index(rotulo)] for linha in linhas]


def link(html, rotulo):
    achado = re.search(rf'href="([^"]+)"[^>]*>{rotulo}</a>', html)
    return achado and achado.group(1).replace("&amp;", "&")


def linhas_csv(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:]), delimiter=";"))


# --- what the page shows, and to whom ------------------------------------------------------

def test_the_page_and_its_exports_need_a_signed_in_person(client, demo):
    for url in (URL, "/organizacao/atividades/exportar.csv"):
        response = client.get(url)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/entrar")


def test_organizacao_links_to_atividades(maria):
    assert f'href="{URL}"' in maria.get("/organizacao/").get_data(as_text=True)


def test_the_gestor_sees_the_purchases_and_the_invitation_of_the_organisation(maria):
    response = maria.get(URL)
    assert response.status_code == 200
    cabecalho, _ = tabela(response)
    assert cabecalho == ["Data e hora", "Pessoa", "O que", "ID Processo Compra (Contrato)",
                         "Certificado"]
    todas = linhas_csv(maria.get("/organizacao/atividades/exportar.csv"))[1:]
    assert {linha[3] for linha in todas} - {""} == numeros_das_compras()
    assert "Convite enviado — beatriz@example.com como Consulta" in {l[2] for l in todas}
    assert "Compra registrada" in text(response)
    assert "Maria da Silva (Prefeitura Municipal de Exemplo)" in coluna(response, "Pessoa")


def test_the_newest_come_first_with_the_date_and_hour_in_brasilia(maria):
    evento(conta("12345678909"), "à noite", datetime(2026, 3, 10, 2, 30))
    primeira = tabela(maria.get(URL))[1][0]["celulas"]
    assert primeira == ["09/03/2026 23:30", "Maria da Silva",
                        "Link reenviado ao titular — à noite", "—", "—"]  # no purchase


def test_someone_of_another_contratante_never_sees_them(client, demo):
    assert login(client, *JOSE).status_code == 303
    response = client.get(URL)
    pagina = text(response)
    assert response.status_code == 200 and "Compra registrada" in pagina  # his own purchase
    assert not any(numero in pagina for numero in numeros_das_compras())
    assert "Convite enviado" not in pagina and "Maria da Silva" not in pagina
    exportado = client.get("/organizacao/atividades/exportar.csv").get_data(as_text=True)
    assert not any(numero in exportado for numero in numeros_das_compras())
    assert "beatriz" not in exportado


def test_compras_e_financeiro_sees_it_too(client, demo):
    assert login(client, *CARLOS).status_code == 303
    response = client.get(URL)
    assert response.status_code == 200
    assert set(coluna(response, "ID Processo Compra (Contrato)")) - {"—"} <= numeros_das_compras()
    exportado = client.get("/organizacao/atividades/exportar.csv").get_data(as_text=True)
    assert "Convite enviado — beatriz@example.com como Consulta" in exportado


# --- by person ---------------------------------------------------------------------------

def test_the_person_filter_offers_the_responsaveis_and_everyone(maria):
    html = maria.get(URL).get_data(as_text=True)
    opcoes = re.findall(r'<option value="(\d*)"[^>]*>([^<]+)</option>', html)
    assert opcoes == [("", "Todas as pessoas"), (str(conta("12345678909").id), "Maria da Silva"),
                      (str(conta("25836914737").id), "Carlos Mendes")]


def test_filtering_by_person_shows_only_what_they_did(maria):
    carlos = conta("25836914737")
    evento(carlos, "feito pelo Carlos")
    response = maria.get(f"{URL}?pessoa={carlos.id}")
    assert coluna(response, "Pessoa") == ["Carlos Mendes"]
    assert coluna(response, "O que") == ["Link reenviado ao titular — feito pelo Carlos"]
    assert f'<option value="{carlos.id}" selected>' in response.get_data(as_text=True)
    do_maria = coluna(maria.get(f"{URL}?pessoa={conta('12345678909').id}"), "Pessoa")
    assert do_maria and all(p.startswith("Maria da Silva") for p in do_maria)


def test_a_person_outside_the_list_is_refused(maria):
    response = maria.get(f"{URL}?pessoa={conta('11144477735').id}")  # José: not a responsável
    assert response.status_code == 422
    assert "Escolha uma pessoa da lista." in text(response)
    assert 'id="pessoa-erro"' in response.get_data(as_text=True)


# --- by period -----------------------------------------------------------------------------

def test_the_period_counts_whole_days_in_brasilia(maria):
    quem = conta("12345678909")
    for detalhes, utc in [("antes", datetime(2099, 3, 10, 2, 59)),   # 09/03 23:59 in Brasília
                          ("primeiro", datetime(2099, 3, 10, 3, 0)),  # 10/03 00:00
                          ("ultimo", datetime(2099, 3, 12, 2, 59)),   # 11/03 23:59
                          ("depois", datetime(2099, 3, 12, 3, 0))]:   # 12/03 00:00
        evento(quem, detalhes, utc)
    for de, ate in [("10/03/2099", "11/03/2099"), ("2099-03-10", "2099-03-11")]:
        response = maria.get(f"{URL}?de={de}&ate={ate}")
        assert response.status_code == 200
        assert coluna(response, "O que") == ["Link reenviado ao titular — ultimo",
                                             "Link reenviado ao titular — primeiro"]
    so_de = coluna(maria.get(f"{URL}?de=12/03/2099"), "O que")
    assert so_de == ["Link reenviado ao titular — depois"]


@pytest.mark.parametrize("campo, digitado, mensagem", [
    ("de", "31/02/2026", "Esta data não existe no calendário. Confira o dia e o mês."),
    ("ate", "amanhã", "Informe a data no formato dd/mm/aaaa, por exemplo 24/11/2026."),
    ("de", "01/01/1800", "Informe um ano entre 1900 e 2100."),
])
def test_a_date_that_is_no_date_is_refused_at_its_field(maria, campo, digitado, mensagem):
    response = maria.get(URL, query_string={campo: digitado})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{campo}-erro"><span class="visualmente-oculto">Erro: </span>'
                     rf'{re.escape(mensagem)}</p>\s*<input type="date" id="{campo}" name="{campo}"'
                     rf' value="{re.escape(digitado)}"', html)  # next to the field, kept
    assert "Corrija o filtro para ver as atividades." in text(response)
    assert "Exportar (CSV)" not in html


def test_ate_before_de_is_refused(maria):
    response = maria.get(f"{URL}?de=10/03/2026&ate=09/03/2026")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="ate-erro"' in html and 'value="09/03/2026"' in html and 'value="10/03/2026"' in html
    assert "A data final (até) não pode ser antes da data inicial (de)." in text(response)


def test_with_htmx_the_answer_swaps_the_results_and_the_filter_with_its_messages(maria):
    response = maria.get(f"{URL}?de=31/02/2026", headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html
    assert 'id="filtro-atividades"' in html and 'hx-swap-oob="true"' in html
    assert 'id="de-erro"' in html
    certo = maria.get(URL, headers=htmx_headers()).get_data(as_text=True)
    assert "tabela-atividades" in certo and "erro-resumo" not in certo


# --- pages and exports ---------------------------------------------------------------------

def test_pages_go_forward_and_back_through_every_event_once(maria):
    quem = conta("25836914737")
    for i in range(60):
        evento(quem, f"n{i}", com_compra=i % 2 == 0)
    with db.connection_context():
        esperado = [atividades.o_que(e) for e in Evento.select()
                    .where(Evento.contratante == prefeitura().id).order_by(Evento.id.desc())]
    vistos, url, ultima = [], URL, None
    while url:
        response = maria.get(url)
        vistos += coluna(response, "O que")
        ultima, url = url, link(response.get_data(as_text=True), "Próxima")
    assert vistos == esperado  # newest first, none twice, none missing
    de_volta, url = [], ultima
    while url:
        response = maria.get(url)
        de_volta = coluna(response, "O que") + de_volta
        url = link(response.get_data(as_text=True), "Anterior")
    assert de_volta == esperado


def test_the_pages_keep_the_filter(maria):
    carlos = conta("25836914737")
    for i in range(25):
        evento(carlos, f"n{i}")
    primeira = maria.get(f"{URL}?pessoa={carlos.id}&de=01/01/2000").get_data(as_text=True)
    proxima = link(primeira, "Próxima")
    assert f"pessoa={carlos.id}" in proxima and "de=01/01/2000" in proxima
    assert coluna(maria.get(proxima), "O que") == [f"Link reenviado ao titular — n{i}"
                                                   for i in (4, 3, 2, 1, 0)]


def test_the_csv_export_has_the_filtered_rows_only(maria):
    carlos = conta("25836914737")
    evento(carlos, "exportado", com_compra=True)
    html = maria.get(f"{URL}?pessoa={carlos.id}").get_data(as_text=True)
    exportar = f"/organizacao/atividades/exportar.csv?pessoa={carlos.id}"
    assert link(html, "Exportar \\(CSV\\)") == exportar  # the page's filter
    linhas = linhas_csv(maria.get(exportar))
    assert linhas[0] == exportacao.CABECALHO_ATIVIDADES
    assert len(linhas) == 2
    data, pessoa, o_que, processo, certificado = linhas[1]
    assert (pessoa, o_que) == ("Carlos Mendes", "Link reenviado ao titular — exportado")
    assert processo in numeros_das_compras() and certificado.startswith(processo + "-")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", data)


def test_the_xlsx_export_follows_the_period(maria):
    quem = conta("12345678909")
    evento(quem, "dentro", datetime(2099, 3, 10, 15, 0))
    evento(quem, "fora", datetime(2099, 3, 11, 15, 0))
    response = maria.get("/organizacao/atividades/exportar.xlsx?de=10/03/2099&ate=10/03/2099")
    linhas = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert list(linhas[0]) == exportacao.CABECALHO_ATIVIDADES
    assert [linha[:3] for linha in linhas[1:]] == [
        ("10/03/2099 12:00", "Maria da Silva", "Link reenviado ao titular — dentro")]


def test_an_export_with_a_refused_filter_shows_the_page_with_the_message(maria):
    response = maria.get("/organizacao/atividades/exportar.csv?ate=99/99/2026")
    assert response.status_code == 422
    assert 'id="ate-erro"' in response.get_data(as_text=True)


def test_an_unknown_export_format_is_404(maria):
    assert maria.get("/organizacao/atividades/exportar.pdf").status_code == 404


# --- cost ----------------------------------------------------------------------------------

class _Contador(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.consultas = 0

    def emit(self, record):
        if isinstance(record.msg, tuple):  # a statement (not the pool's own messages)
            self.consultas += 1


@pytest.fixture
def consultas():
    logger = logging.getLogger("peewee")
    contador, nivel = _Contador(), logger.level
    logger.addHandler(contador)
    logger.setLevel(logging.DEBUG)

    def contar(client, url):
        contador.consultas = 0
        assert client.get(url).status_code == 200
        return contador.consultas

    yield contar
    logger.removeHandler(contador)
    logger.setLevel(nivel)


def test_the_page_costs_the_same_queries_for_a_few_or_many_events(maria, consultas):
    carlos = conta("25836914737")
    urls = [URL, f"{URL}?pessoa={carlos.id}&de=01/01/2000&ate=31/12/2099"]
    evento(carlos, "um", com_compra=True)
    poucos = [consultas(maria, url) for url in urls]
    for i in range(60):
        evento(carlos, f"n{i}", com_compra=True)
    muitos = [consultas(maria, url) for url in urls]
    print(f"Atividades: {poucos} queries with a few events, {muitos} with 60 more")
    assert poucos == muitos
