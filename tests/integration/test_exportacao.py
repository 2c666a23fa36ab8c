""""Exportar" on Gerenciar Certificados and Consulta Processos de Compra: the current filter
as CSV or XLSX, the holder masked as on screen, spreadsheet formulas neutralised."""
import csv
import io

from openpyxl import load_workbook

from models import Certificado, db
from services.titular import exportacao


def linhas_csv(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    texto = response.get_data(as_text=True)
    assert texto.startswith("\ufeff")  # Excel in pt-BR reads the accents right
    return list(csv.reader(io.StringIO(texto[1:]), delimiter=";"))


def test_certificados_export_follows_the_situacao_filter_and_masks_the_holder(maria):
    linhas = linhas_csv(maria.get("/certificados/lista/exportar.csv?situacao=atribuido"))
    assert linhas[0] == exportacao.CABECALHO_CERTIFICADOS
    assert len(linhas) == 2
    linha = dict(zip(linhas[0], linhas[1]))
    assert linha["Titular (CPF)"] == "***.982.247-**"
    assert linha["Titular (e-mail)"] == "jo***@example.com"
    assert linha["Situação"] == "Aguardando solicitação do titular"
    assert linha["Último andamento"]  # the newest step of its andamento, with its date
    assert linha["Data do último andamento"].count("/") == 2


def test_todos_exports_every_certificate_of_the_buyer_only(maria):
    linhas = linhas_csv(maria.get("/certificados/lista/exportar.csv?situacao=todos"))
    with db.connection_context():
        total = Certificado.select().count()
    assert len(linhas) - 1 == total - 1  # all but José's
    assert "Emitido" in {l[4] for l in linhas[1:]}


def test_processos_export_as_xlsx_follows_the_search(maria):
    tudo = load_workbook(io.BytesIO(maria.get("/pedidos/processos/exportar.xlsx").data)).active
    linhas = list(tudo.iter_rows(values_only=True))
    assert list(linhas[0]) == exportacao.CABECALHO_PROCESSOS
    assert len(linhas) == 5  # Maria's purchases A-D
    numero = linhas[1][0]
    busca = load_workbook(io.BytesIO(
        maria.get(f"/pedidos/processos/exportar.xlsx?q={numero}").data)).active
    assert [r[0] for r in busca.iter_rows(values_only=True)][1:] == [numero]


def test_a_cell_that_would_run_as_a_formula_is_neutralised(maria):
    with db.connection_context():
        Certificado.update(titular_email="=HYPERLINK@x.gov.br").where(
            Certificado.titular_cpf == "52998224725").execute()
    linhas = linhas_csv(maria.get("/certificados/lista/exportar.csv?situacao=atribuido"))
    assert linhas[1][3] == "'=H***@x.gov.br"
    folha = load_workbook(io.BytesIO(
        maria.get("/certificados/lista/exportar.xlsx?situacao=atribuido").data)).active
    assert folha["D2"].data_type == "s"


def test_both_lists_offer_exportar_with_the_current_filter(maria):
    lista = maria.get("/certificados/lista?situacao=todos").get_data(as_text=True)
    assert 'href="/certificados/lista/exportar.csv?situacao=todos"' in lista
    assert "Exportar (XLSX)" in maria.get("/pedidos/processos").get_data(as_text=True)


def test_an_unknown_format_is_404(maria):
    assert maria.get("/certificados/lista/exportar.pdf").status_code == 404
