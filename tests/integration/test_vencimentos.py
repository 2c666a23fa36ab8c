"""Vencimentos: the active contratante's issued certificates by end of validity — expired in
the last 90 days, ending within 30, 60 and 90 days, each count a link to its list; "Renovar"
for the papéis that may; and the Gestores' weekly digest of the same counts."""
import logging
import re
from datetime import timedelta

import pytest
from werkzeug.security import generate_password_hash

from models import Certificado, CertificadoX509, Conta, Contratante, db
from services.contratantes import papeis, vinculos
from relogio import utcnow
from tests.support.http import login, text

PREFEITURA = "11222333000181"
JOSE = "11144477735"
# Days from now to the end of each of the Prefeitura's certificates (by number), and José's.
FINS = {"2026000001-01": -200, "2026000001-02": -10, "2026000001-03": 5,
        "2026000002-01": 45, "2026000003-01": 80, "2026000003-02": 200}
REVOGADO = "2026000004-01"  # ends in 20 days, but revoked: it counts nowhere
DO_JOSE = "2026000005-01"


def emitir(numero, dias, revogado=False):
    """An X.509 of certificate `numero` valid until `dias` days from now."""
    certificado = Certificado.get(Certificado.numero == numero)
    agora = utcnow()
    return CertificadoX509.create(
        certificado=certificado.id, contratante=certificado.contratante_id,
        serial=f"{certificado.id:x}{abs(dias):x}", pem="", origem="servidor",
        emitido_em=agora - timedelta(days=300), valido_ate=agora + timedelta(days=dias),
        revogado_em=agora if revogado else None,
        ativo_certificado=None if revogado else certificado.id)


@pytest.fixture
def emitidos(demo, relogio, dbconn):
    for numero, dias in FINS.items():
        emitir(numero, dias)
    emitir(REVOGADO, 20, revogado=True)
    emitir(DO_JOSE, 10)


def membro(papel, cpf="52998224725", email="paula@example.com"):
    """A new person with `papel` in the Prefeitura (active), who signs in with demo12345."""
    conta = Conta.create(cpf=cpf, nome="Paula Nunes", email=email,
                         senha_hash=generate_password_hash("demo12345"))
    vinculos.entrar(conta, Contratante.get(Contratante.documento == PREFEITURA), papel)
    return conta


def numeros(pagina):
    """The certificates a list shows, in order (each named by its link and its Renovar)."""
    return list(dict.fromkeys(re.findall(r"20260000\d\d-\d\d", text(pagina))))


def link(pagina, rotulo):
    """The address of the page's link `rotulo` ("Próxima", "Anterior")."""
    html = pagina.get_data(as_text=True)
    return re.search(rf'href="([^"]+)"[^>]*>{rotulo}<', html).group(1).replace("&amp;", "&")


def test_the_page_counts_each_range_of_the_active_contratante(maria, emitidos):
    pagina = text(maria.get("/vencimentos/"))
    assert "Vencidos nos últimos 90 dias: 1" in pagina
    assert "Vencem em até 30 dias: 1" in pagina
    assert "Vencem em até 60 dias: 2" in pagina
    assert "Vencem em até 90 dias: 3" in pagina


def test_the_menu_offers_vencimentos_after_financeiro(maria):
    pagina = text(maria.get("/"))
    assert pagina.index("Financeiro") < pagina.index("Vencimentos") < pagina.index("Organização")


def test_each_count_opens_its_list_soonest_end_first(maria, emitidos):
    pagina = maria.get("/vencimentos/")
    for faixa in ("vencidos", "30", "60", "90"):
        assert f'href="/vencimentos/?faixa={faixa}"' in pagina.get_data(as_text=True)
    assert numeros(maria.get("/vencimentos/?faixa=vencidos")) == ["2026000001-02"]
    assert numeros(maria.get("/vencimentos/?faixa=30")) == ["2026000001-03"]
    assert numeros(maria.get("/vencimentos/?faixa=60")) == ["2026000001-03", "2026000002-01"]
    assert numeros(maria.get("/vencimentos/?faixa=90")) == [
        "2026000001-03", "2026000002-01", "2026000003-01"]


def test_the_list_shows_the_masked_holder_and_the_end_date(maria, emitidos):
    pagina = text(maria.get("/vencimentos/?faixa=30"))
    fim = (utcnow() + timedelta(days=5)).strftime("%d/%m/%Y")
    assert "CPF ***.533.447-**" in pagina and fim in pagina
    assert "39053344705" not in pagina


def test_an_unknown_range_shows_the_30_days(maria, emitidos):
    assert numeros(maria.get("/vencimentos/?faixa=todos")) == ["2026000001-03"]


def test_a_long_list_pages_by_cursor(app, maria, emitidos):
    app.config["PAGE_SIZE"] = 2
    primeira = maria.get("/vencimentos/?faixa=90")
    assert numeros(primeira) == ["2026000001-03", "2026000002-01"]
    segunda = maria.get(link(primeira, "Próxima"))
    assert numeros(segunda) == ["2026000003-01"] and "Próxima" not in text(segunda)
    assert numeros(maria.get(link(segunda, "Anterior"))) == [
        "2026000001-03", "2026000002-01"]


class Consultas(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.total = 0

    def emit(self, record):
        self.total += 1


def consultas(client, url):
    """How many queries the page `url` ran."""
    contador, logger = Consultas(), logging.getLogger("peewee")
    nivel = logger.level
    logger.addHandler(contador)
    logger.setLevel(logging.DEBUG)
    try:
        assert client.get(url).status_code == 200
    finally:
        logger.removeHandler(contador)
        logger.setLevel(nivel)
    return contador.total


def test_the_page_costs_the_same_queries_for_one_row_or_many(app, maria, emitidos):
    """Counts, page, cursor and certificates: a fixed number of queries, never one per row."""
    app.config["PAGE_SIZE"] = 2
    uma = consultas(maria, "/vencimentos/?faixa=30")
    duas = consultas(maria, "/vencimentos/?faixa=90")
    x509 = CertificadoX509.select().order_by(CertificadoX509.valido_ate)
    cursor = next(x for x in x509 if x.certificado.numero == "2026000002-01").id
    # A cursor adds two: the row it names, and whether any come before the page.
    assert uma == duas == consultas(maria, f"/vencimentos/?faixa=90&depois={cursor}") - 2


def test_jose_sees_none_of_the_prefeituras(client, emitidos):
    login(client, "111.444.777-35", "demo12345")
    pagina = text(client.get("/vencimentos/"))
    assert "Vencidos nos últimos 90 dias: 0" in pagina and "Vencem em até 90 dias: 1" in pagina
    assert numeros(client.get("/vencimentos/?faixa=90")) == [DO_JOSE]


def test_renovar_is_offered_to_maria(maria, emitidos):
    html = maria.get("/vencimentos/?faixa=30").get_data(as_text=True)
    assert 'href="/solicite-agora/?renovar=2026000001-03"' in html


def test_a_consulta_member_sees_the_list_without_renovar(client, emitidos):
    membro(papeis.CONSULTA)
    login(client, "529.982.247-25", "demo12345")
    pagina = client.get("/vencimentos/?faixa=30")
    assert numeros(pagina) == ["2026000001-03"]
    assert "Renovar" not in text(pagina)


def test_compras_may_not_open_vencimentos(client, emitidos):
    login(client, "258.369.147-37", "demo12345")  # Carlos: Compras e financeiro
    resposta = client.get("/vencimentos/")
    assert resposta.status_code == 403 and "Gestor" in text(resposta)
    assert "Vencimentos" not in text(client.get("/"))


# --- the weekly digest -----------------------------------------------------------------

def rodar_job():
    from filas import tarefas

    return tarefas.resumo_semanal_vencimentos.call_local()


def test_each_gestor_gets_one_digest_a_week_with_the_counts(app, emitidos, outbox):
    membro(papeis.GESTOR)
    membro(papeis.CONSULTA, cpf="39053344705", email="consulta@example.com")
    assert rodar_job() == 2
    assert sorted(m.to[0] for m in outbox) == ["maria@example.com", "paula@example.com"]
    mensagem = outbox[0]
    assert mensagem.subject == "Vencimentos de certificados: Prefeitura Municipal de Exemplo"
    for linha in ("Vencidos nos últimos 90 dias: 1", "Vencem em até 30 dias: 1",
                  "Vencem em até 60 dias: 2", "Vencem em até 90 dias: 3"):
        assert linha in mensagem.body
    assert f"{app.config['BASE_URL']}/vencimentos/" in mensagem.body
    # José buys for himself: his certificates have their own reminders, no digest.
    assert "jose@example.com" not in [m.to[0] for m in outbox]


def test_the_digest_goes_once_per_week(emitidos, outbox, relogio):
    assert rodar_job() == 1
    assert rodar_job() == 0
    relogio.agora = relogio.agora + timedelta(days=3)  # still the same week (Thursday)
    assert rodar_job() == 0
    relogio.agora = relogio.agora + timedelta(days=4)  # next Monday
    assert rodar_job() == 1
    assert len(outbox) == 2


def test_no_digest_when_nothing_expires(demo, relogio, dbconn, outbox):
    emitir("2026000001-03", 200)
    emitir("2026000001-01", -200)
    assert rodar_job() == 0
    assert outbox == []
