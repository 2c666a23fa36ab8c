"""The nota fiscal of a paid purchase (issue 22, item 3): the agent attaches the NFS-e (PDF
and/or XML of the padrão nacional) in Pagamentos; the XML's tomador and value must be the
purchase's; the organisation's Gestores and "Compras e financeiro" get an e-mail; Financeiro
shows it and serves both files to those who see Financeiro, and to nobody else; a new nota
replaces the current one, which stays as history. And the export for accounting (item 4)."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from models import Boleto, Email, Evento, NotaFiscal, ProcessoCompra, db
from services.nucleo import segredos
from tests.support import financeiro as helpers
from tests.support.http import login, text
from tests.support.nota_fiscal import BOMBA, pdf_da_nota, xml_da_nota

CARLOS = ("258.369.147-37", "demo12345")
JOSE = ("111.444.777-35", "demo12345")


@pytest.fixture
def pago(demo, app):
    """Maria's demo purchase A (paid, three certificates), for the Prefeitura, and its boleto."""
    with db.connection_context():
        boleto = helpers.boleto_pago()
        return ProcessoCompra.get_by_id(boleto.processo_id), boleto


def anexar(cliente, boleto, pdf=None, xml=None, numero=""):
    campos = MultiDict([("nota-numero", numero)])
    if pdf is not None:
        campos.add("nota-pdf", FileStorage(io.BytesIO(pdf), "nota.pdf"))
    if xml is not None:
        campos.add("nota-xml", FileStorage(io.BytesIO(xml), "nota.xml"))
    # Encoded in memory: the test client would spool a large body to a file left open.
    limite, corpo = encode_multipart(campos)
    return cliente.post(f"/pagamentos/boletos/{boleto.id}/nota-fiscal", data=corpo,
                        content_type=f"multipart/form-data; boundary={limite}")


def notas(processo):
    with db.connection_context():
        return list(NotaFiscal.select().where(NotaFiscal.processo == processo.id)
                    .order_by(NotaFiscal.id))


def entrar(app, cpf, senha):
    cliente = app.test_client()
    assert login(cliente, cpf, senha).status_code == 303
    return cliente


# --- attaching ---------------------------------------------------------------------------

def test_the_agent_attaches_pdf_and_xml_to_a_paid_purchase(agente, pago):
    processo, boleto = pago
    pagina = agente.get(f"/pagamentos/?q={boleto.nosso_numero}")
    assert "Anexar nota fiscal" in text(pagina)
    response = anexar(agente, boleto, pdf_da_nota(), xml_da_nota(processo))
    assert response.status_code == 303
    pagina = text(agente.get(response.headers["Location"]))
    assert "Nota fiscal nº 123 anexada" in pagina
    assert "NFS-e nº 123 (PDF e XML)" in pagina and "atual" in pagina
    [nota] = notas(processo)
    assert nota.numero == "123" and bytes(nota.pdf).startswith(b"%PDF-") and b"<toma>" in bytes(nota.xml)
    with db.connection_context():
        evento = Evento.select().where((Evento.processo == processo.id)
                                       & Evento.tipo.startswith("nota_fiscal.")).order_by(
            Evento.id.desc()).first()
    assert evento.tipo == "nota_fiscal.anexada" and "NFS-e nº 123 (PDF e XML)" in evento.detalhes


def test_the_organisations_gestor_and_compras_get_the_email_with_the_link(agente, pago, app):
    processo, boleto = pago
    anexar(agente, boleto, pdf_da_nota(), xml_da_nota(processo))
    with db.connection_context():
        emails = {e.destinatario: e for e in Email.select().where(
            Email.assunto == f"Nota fiscal da compra {processo.numero}")}
    assert set(emails) == {"maria@example.com", "carlos@example.com"}
    with app.app_context():
        corpo = segredos.revelar(emails["carlos@example.com"].texto)
    assert "NFS-e nº 123" in corpo and f"/financeiro/boletos/{boleto.id}#nota-fiscal" in corpo


def test_carlos_downloads_both_files_from_financeiro(agente, pago, app):
    processo, boleto = pago
    pdf, xml = pdf_da_nota(), xml_da_nota(processo)
    anexar(agente, boleto, pdf, xml)
    carlos = entrar(app, *CARLOS)
    html = carlos.get("/financeiro/").get_data(as_text=True)
    assert "Nota fiscal" in html and "NFS-e nº 123" in html
    pagina = carlos.get(f"/financeiro/boletos/{boleto.id}").get_data(as_text=True)
    links = re.findall(r'href="(/financeiro/notas/\d+/nfse\.(?:pdf|xml))"', pagina)
    assert len(links) == 2
    baixado = {link[-3:]: carlos.get(link) for link in links}
    assert baixado["pdf"].data == pdf and baixado["pdf"].mimetype == "application/pdf"
    assert baixado["xml"].data == xml and baixado["xml"].mimetype == "application/xml"
    assert 'attachment; filename="nfse-123.pdf"' == baixado["pdf"].headers["Content-Disposition"]


def test_someone_elses_nota_is_not_found(agente, pago, app):
    processo, boleto = pago
    anexar(agente, boleto, pdf_da_nota(), xml_da_nota(processo))
    [nota] = notas(processo)
    jose = entrar(app, *JOSE)
    assert jose.get(f"/financeiro/notas/{nota.id}/nfse.pdf").status_code == 404
    assert jose.get(f"/financeiro/notas/{nota.id}/nfse.xml").status_code == 404
    assert "NFS-e nº 123" not in text(jose.get("/financeiro/"))


def test_a_pdf_alone_takes_the_number_typed(agente, pago):
    processo, boleto = pago
    assert anexar(agente, boleto, pdf_da_nota(), numero="0456").status_code == 303
    [nota] = notas(processo)
    assert nota.numero == "456" and nota.xml is None


def test_a_pdf_alone_without_a_number_is_refused(agente, pago):
    processo, boleto = pago
    response = anexar(agente, boleto, pdf_da_nota())
    assert response.status_code == 422
    assert "Informe o número da NFS-e" in text(response) and notas(processo) == []


def test_a_number_too_long_is_refused_at_its_field(agente, pago):
    processo, boleto = pago
    response = anexar(agente, boleto, pdf_da_nota(), numero="1" * 16)
    assert response.status_code == 422
    assert "Use no máximo 15 caracteres" in text(response) and notas(processo) == []


def test_nothing_chosen_is_refused(agente, pago):
    processo, boleto = pago
    response = anexar(agente, boleto)
    assert response.status_code == 422 and "Escolha o PDF ou o XML" in text(response)


# --- refused files -----------------------------------------------------------------------

def test_an_xml_for_another_cnpj_is_refused_naming_both(agente, pago):
    processo, boleto = pago
    response = anexar(agente, boleto, xml=xml_da_nota(processo, cnpj="99888777000166"))
    assert response.status_code == 422
    assert ("O CNPJ do tomador na nota (99.888.777/0001-66) não é o da compra "
            "(11.222.333/0001-81)." in text(response))
    assert notas(processo) == []


def test_an_xml_with_another_value_is_refused(agente, pago):
    processo, boleto = pago
    response = anexar(agente, boleto, xml=xml_da_nota(processo,
                                                      centavos=processo.total_centavos + 1))
    assert response.status_code == 422
    assert re.search(r"O valor da nota \(R\$ [\d.,]+\) não é o da compra \(R\$ [\d.,]+\)\.",
                     text(response))
    assert notas(processo) == []


def test_an_xml_bomb_is_refused_without_expanding_it(agente, pago):
    processo, boleto = pago
    response = anexar(agente, boleto, xml=BOMBA)
    assert response.status_code == 422
    assert "O XML declara entidades (DTD)" in text(response) and notas(processo) == []


def test_an_xml_that_is_not_an_nfse_is_refused(agente, pago):
    processo, boleto = pago
    response = anexar(agente, boleto, xml=b"<nota><valor>1</valor></nota>")
    assert response.status_code == 422 and "não é uma NFS-e do padrão nacional" in text(response)


def test_html_sent_as_pdf_is_refused(agente, pago):
    processo, boleto = pago
    html = b"<!DOCTYPE html><html><body>%PDF-1.7 DANFSe</body></html>"
    response = anexar(agente, boleto, html, xml_da_nota(processo))
    assert response.status_code == 422
    assert "Este arquivo não é um PDF" in text(response) and notas(processo) == []


def test_a_file_over_2_mb_is_refused(agente, pago):
    processo, boleto = pago
    grande = pdf_da_nota() + b"%" * (2 * 1024 * 1024)
    response = anexar(agente, boleto, grande, numero="1")
    assert response.status_code == 422
    assert "passa de 2 MB" in text(response) and notas(processo) == []


def test_a_request_over_the_limit_is_refused_before_it_is_read(agente, pago):
    processo, boleto = pago
    enorme = b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024)
    response = anexar(agente, boleto, enorme, enorme)
    assert response.status_code == 413 and "passam de 2 MB" in text(response)
    assert notas(processo) == []


def test_an_unpaid_purchase_is_refused(agente, demo):
    with db.connection_context():
        boleto = helpers.boleto_em_dia()
        processo = ProcessoCompra.get_by_id(boleto.processo_id)
    assert "A nota fiscal é anexada depois" in text(agente.get(
        f"/pagamentos/?q={boleto.nosso_numero}"))
    response = anexar(agente, boleto, pdf_da_nota(), numero="1")
    assert response.status_code == 409
    assert f"A compra {processo.numero} ainda não está paga" in text(response)
    assert notas(processo) == []


def test_a_buyer_cannot_attach_a_nota(maria, pago):
    processo, boleto = pago
    assert anexar(maria, boleto, pdf_da_nota(), numero="1").status_code == 404
    assert notas(processo) == []


# --- replacing ---------------------------------------------------------------------------

def test_a_replaced_nota_stays_in_the_history(agente, pago, app):
    processo, boleto = pago
    anexar(agente, boleto, pdf_da_nota(), xml_da_nota(processo, numero="123"))
    assert anexar(agente, boleto, xml=xml_da_nota(processo, numero="124")).status_code == 303
    antiga, nova = notas(processo)
    assert antiga.substituida_em is not None and antiga.vigente_processo is None
    assert nova.substituida_em is None and nova.vigente_processo == processo.id
    pagina = text(agente.get(f"/pagamentos/?q={boleto.nosso_numero}"))
    assert "NFS-e nº 124 (XML)" in pagina and "NFS-e nº 123 (PDF e XML)" in pagina
    assert "substituída em" in pagina
    carlos = entrar(app, *CARLOS)
    assert "NFS-e nº 124" in text(carlos.get("/financeiro/"))
    assert "NFS-e nº 123" not in text(carlos.get("/financeiro/"))
    pagina = text(carlos.get(f"/financeiro/boletos/{boleto.id}"))
    assert "NFS-e nº 124" in pagina and "NFS-e nº 123, substituída em" in pagina
    assert carlos.get(f"/financeiro/notas/{antiga.id}/nfse.pdf").status_code == 200
    with db.connection_context():
        evento = Evento.select().where((Evento.processo == processo.id)
                                       & Evento.tipo.startswith("nota_fiscal.")).order_by(
            Evento.id.desc()).first()
    assert evento.tipo == "nota_fiscal.substituida" and "no lugar da nº 123" in evento.detalhes


def test_a_paid_purchase_without_nota_says_so_in_financeiro(maria, pago):
    _, boleto = pago
    assert "Ainda não anexada" in text(maria.get("/financeiro/"))
    assert "ainda não foi anexada" in text(maria.get(f"/financeiro/boletos/{boleto.id}"))


# --- export for accounting ---------------------------------------------------------------

def _linhas_csv(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))


def test_financeiro_exports_csv_for_accounting(agente, pago, app):
    processo, boleto = pago
    anexar(agente, boleto, pdf_da_nota(), xml_da_nota(processo))
    carlos = entrar(app, *CARLOS)
    assert "/financeiro/exportar.csv" in carlos.get("/financeiro/").get_data(as_text=True)
    response = carlos.get("/financeiro/exportar.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    cabecalho, *linhas = _linhas_csv(response)
    assert cabecalho == ["ID Processo Compra (Contrato)", "Proposta", "Nota de empenho", "Boleto",
                         "Vencimento", "Pago em", "Valor", "Situação", "Nota fiscal"]
    linhas = [dict(zip(cabecalho, linha)) for linha in linhas]
    with db.connection_context():
        total = Boleto.select().where(Boleto.contratante == processo.contratante_id).count()
    assert len(linhas) == total
    [paga] = [linha for linha in linhas if linha["Boleto"] == boleto.numero_documento]
    assert paga["ID Processo Compra (Contrato)"] == processo.numero and paga["Pago em"]
    assert paga["Situação"] == "Pago" and paga["Nota fiscal"] == "123"
    assert all(linha["Nota fiscal"] == "" for linha in linhas if linha is not paga)


def test_the_export_names_the_proposta_and_the_empenho_of_a_contracted_purchase(app, demo):
    from services.contratantes import vinculos
    from services.pagamento import propostas
    from services.pagamento.boletos import Beneficiario

    with app.app_context(), db.connection_context():
        maria = vinculos.conta_com_vinculo(helpers.conta().id)
        proposta = propostas.gerar(maria, 3, vinculos.ator(maria))
        processo, boleto, _ = propostas.contratar(maria, proposta, "2026NE000042", None,
                                                  Beneficiario.from_config(app.config),
                                                  vinculos.ator(maria))
    cabecalho, *linhas = _linhas_csv(entrar(app, *CARLOS).get("/financeiro/exportar.csv"))
    [linha] = [dict(zip(cabecalho, linha)) for linha in linhas
               if linha[cabecalho.index("Boleto")] == boleto.numero_documento]
    assert linha["Proposta"] == proposta.numero and linha["Nota de empenho"] == "2026NE000042"


def test_financeiro_exports_xlsx_for_accounting(agente, pago, app):
    processo, boleto = pago
    anexar(agente, boleto, pdf_da_nota(), xml_da_nota(processo))
    response = entrar(app, *CARLOS).get("/financeiro/exportar.xlsx")
    assert response.status_code == 200
    folha = load_workbook(io.BytesIO(response.data)).active
    cabecalho, *linhas = [[c.value for c in linha] for linha in folha.iter_rows()]
    assert cabecalho[-1] == "Nota fiscal"
    [paga] = [linha for linha in linhas if linha[cabecalho.index("Boleto")]
              == boleto.numero_documento]
    assert paga[0] == processo.numero and paga[-1] == "123"


def test_the_export_holds_only_the_contratantes_boletos(app, demo):
    with db.connection_context():
        alheio = helpers.boleto_em_dia(helpers.JOSE_CPF)
    response = entrar(app, *CARLOS).get("/financeiro/exportar.csv")
    assert alheio.numero_documento not in response.get_data(as_text=True)
    assert entrar(app, *JOSE).get("/financeiro/exportar.csv").status_code == 200
