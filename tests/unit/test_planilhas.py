"""Reading the spreadsheet of "Atribuir em lote": what Excel in pt-BR writes is understood,
anything else is refused by its content, with the reason in Portuguese."""
import csv
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from services.titular import planilhas
from services.titular.planilhas import LIMITE_LINHAS, LISTA, MODELO, ArquivoRecusado, ler


def xlsx(linhas):
    livro = Workbook()
    folha = livro.active
    for linha in linhas:
        folha.append(linha)
    saida = io.BytesIO()
    livro.save(saida)
    return saida.getvalue()


def com_valor_guardado(dados, celula, valor):
    """The XLSX with `celula`'s formula carrying `valor` as Excel's cached result."""
    entrada = zipfile.ZipFile(io.BytesIO(dados))
    saida = io.BytesIO()
    with zipfile.ZipFile(saida, "w") as novo:
        for nome in entrada.namelist():
            conteudo = entrada.read(nome)
            if nome == "xl/worksheets/sheet1.xml":
                texto = conteudo.decode()
                inicio = texto.index(f'<c r="{celula}">')
                fim = texto.index("<v></v>", inicio)
                texto = (texto[:inicio] + f'<c r="{celula}" t="str">' + texto[inicio + len(
                    f'<c r="{celula}">'):fim] + f"<v>{valor}</v>" + texto[fim + 7:])
                conteudo = texto.encode()
            novo.writestr(nome, conteudo)
    return saida.getvalue()


def test_excel_pt_br_csv_in_windows_1252_with_semicolons():
    dados = "CPF;E-mail;Nome\r\n529.982.247-25;joao@empresa.gov.br;João Araújo\r\n".encode("cp1252")
    tabela = ler(dados)
    assert tabela.formato == LISTA
    assert tabela.linhas == [(2, {"cpf": "529.982.247-25", "email": "joao@empresa.gov.br",
                                  "nome": "João Araújo"})]


def test_utf8_csv_with_bom_and_commas_is_the_model_sheet():
    dados = ("\ufeffID Processo Compra,Certificado,CPF,E-mail,Confirme o e-mail\n"
             "2026000001,2026000001-03,52998224725,ana@x.gov.br,ana@x.gov.br\n").encode()
    tabela = ler(dados)
    assert tabela.formato == MODELO
    assert tabela.colunas == ["processo", "certificado", "cpf", "email", "email_confirmacao"]
    assert tabela.linhas[0][1]["certificado"] == "2026000001-03"


def test_headers_are_recognised_without_accents_or_case_and_blank_lines_are_skipped():
    dados = "cpf do titular;EMAIL;Confirmação do e-mail\n\n;;\n52998224725;a@b.br;a@b.br\n"
    tabela = ler(dados.encode())
    assert tabela.colunas == ["cpf", "email", "email_confirmacao"]
    assert tabela.linhas == [(4, {"cpf": "52998224725", "email": "a@b.br",
                                  "email_confirmacao": "a@b.br"})]


def test_xlsx_is_read_from_its_first_sheet_and_numbers_become_text():
    tabela = ler(xlsx([["CPF", "E-mail"], [52998224725, "a@b.br"]]))
    assert tabela.linhas == [(2, {"cpf": "52998224725", "email": "a@b.br"})]


def test_xlsx_formula_is_read_as_its_cached_value_never_evaluated():
    dados = xlsx([["CPF", "E-mail"], ['="1"&"2"', "a@b.br"], ["=1+1", "c@d.br"]])
    dados = com_valor_guardado(dados, "A2", "52998224725")
    tabela = ler(dados)
    # A2's formula would give "12": the stored result is what counts. A3 has none stored.
    assert [v["cpf"] for _, v in tabela.linhas] == ["52998224725", ""]


@pytest.mark.parametrize("dados", [
    b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\xff\xd8\xff\xe0\x00\x10JFIF",
], ids=["pdf", "png", "jpeg"])
def test_a_renamed_file_of_another_type_is_refused_by_content(dados):
    with pytest.raises(ArquivoRecusado, match="não é uma planilha CSV nem XLSX"):
        ler(dados)


def test_a_zip_that_is_not_a_workbook_is_refused():
    saida = io.BytesIO()
    with zipfile.ZipFile(saida, "w") as arquivo:
        arquivo.writestr("documento.txt", "CPF;E-mail")
    with pytest.raises(ArquivoRecusado, match="não é uma planilha CSV nem XLSX"):
        ler(saida.getvalue())


def test_over_5_mb_is_refused_with_the_limit():
    dados = b"CPF;E-mail\n" + b"52998224725;a@b.br\n" * 300_000
    with pytest.raises(ArquivoRecusado, match="o limite é 5 MB"):
        ler(dados)


def test_more_than_10_000_lines_is_refused_with_the_limit():
    dados = "CPF;E-mail\n" + "52998224725;a@b.br\n" * (LIMITE_LINHAS + 1)
    with pytest.raises(ArquivoRecusado, match="mais de 10.000 linhas"):
        ler(dados.encode())
    assert len(ler(("CPF;E-mail\n" + "52998224725;a@b.br\n" * LIMITE_LINHAS).encode())
               .linhas) == LIMITE_LINHAS


@pytest.mark.parametrize("dados, motivo", [
    (b"", "vazio"),
    (b"Nome;Telefone\nAna;6199\n", "“CPF” e “E-mail”"),
    (b"CPF;E-mail\n", "só tem os títulos"),
])
def test_a_file_without_the_columns_or_lines_says_what_is_missing(dados, motivo):
    with pytest.raises(ArquivoRecusado, match=motivo):
        ler(dados)


@pytest.mark.parametrize("valor", ["=HYPERLINK(\"http://x\")", "+5511", "-1", "@SUM(A1)"])
def test_exported_csv_cells_that_would_run_as_formulas_are_neutralised(valor):
    texto = "".join(planilhas.csv_linhas(["A", "B"], [[valor, "ok"]]))
    assert texto.startswith("\ufeff")
    linhas = list(csv.reader(io.StringIO(texto.lstrip("\ufeff")), delimiter=";"))
    assert linhas[1] == ["'" + valor, "ok"]


def test_exported_xlsx_keeps_formula_like_text_as_text():
    dados = planilhas.xlsx_bytes(["A"], [["=1+1"]])
    folha = load_workbook(io.BytesIO(dados)).active
    assert folha["A2"].value == "=1+1" and folha["A2"].data_type == "s"
