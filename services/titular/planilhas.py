"""Reading the spreadsheet a buyer uploads for "Atribuir em lote" (no database, no Flask).

Accepted: CSV in UTF-8 (with or without BOM) or Windows-1252, separated by `;` or `,` (what
Excel in pt-BR writes), and XLSX. The type is recognised by the content, never by the name:
an XLSX is a zip holding `[Content_Types].xml` and `xl/workbook.xml`; a CSV is text. XLSX
cells are read with their cached values (`data_only`), so a formula is never evaluated.
"""
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from services.nucleo.recusas import Recusa

LIMITE_BYTES = 5 * 1024 * 1024
LIMITE_LINHAS = 10_000
# A zip that inflates far beyond the upload limit is refused before openpyxl opens it.
LIMITE_DESCOMPACTADO = 20 * LIMITE_BYTES
# Longer cells are cut: nothing legitimate in these columns is that long.
LIMITE_CELULA = 300

MODELO = "modelo"  # one line per certificate: ID Processo Compra, Certificado, CPF, e-mail
LISTA = "lista"    # CPF + e-mail only, given the oldest pending certificates

# Column -> the header names people write for it (compared without accents or case).
COLUNAS = {
    "processo": ("id processo compra", "id processo compra (contrato)", "processo de compra",
                 "processo", "compra", "contrato"),
    "certificado": ("certificado", "numero do certificado", "certificado digital"),
    "cpf": ("cpf", "cpf do titular"),
    "email": ("e-mail", "email", "e-mail do titular", "email do titular"),
    "email_confirmacao": ("confirme o e-mail", "confirme o email", "confirmacao do e-mail",
                          "confirmacao do email", "confirmacao de e-mail",
                          "confirme o e-mail do titular"),
    "nome": ("nome", "nome do titular"),
}

# The headers of the model sheet and of the errors file, in this order.
CABECALHO_MODELO = ["ID Processo Compra", "Certificado", "CPF", "E-mail", "Confirme o e-mail",
                    "Nome"]
CABECALHO_LISTA = ["CPF", "E-mail", "Confirme o e-mail", "Nome"]


class ArquivoRecusado(Recusa):
    """The file cannot be read as a batch: a refusal of the upload field."""

    def __init__(self, mensagem):
        super().__init__(mensagem, "arquivo")


@dataclass
class Tabela:
    formato: str                  # MODELO or LISTA
    colunas: list                 # the recognised columns present, e.g. ["cpf", "email"]
    linhas: list = field(default_factory=list)  # [(line number in the file, {column: text})]


def _chave(texto):
    sem_acento = unicodedata.normalize("NFKD", str(texto)).encode("ascii", "ignore").decode()
    return " ".join(sem_acento.lower().replace("_", " ").split())


_ALIASES = {_chave(nome): coluna for coluna, nomes in COLUNAS.items() for nome in nomes}


def ler(dados: bytes) -> Tabela:
    """The lines of an uploaded file, or ArquivoRecusado saying why not."""
    if not dados:
        raise ArquivoRecusado("O arquivo está vazio. Escolha a planilha preenchida.")
    if len(dados) > LIMITE_BYTES:
        raise ArquivoRecusado(
            f"O arquivo tem {len(dados) / 1024 / 1024:.1f} MB; o limite é 5 MB "
            f"({LIMITE_LINHAS:,} linhas).".replace(",", ".") + " Divida a planilha em partes.")
    if dados.startswith(b"PK\x03\x04"):
        linhas = _linhas_xlsx(dados)
    else:
        linhas = _linhas_csv(_texto(dados))
    return _tabela(linhas)


# --- CSV ----------------------------------------------------------------------------------

NAO_PLANILHA = ("O arquivo não é uma planilha CSV nem XLSX. Salve a planilha no Excel como "
                "“Pasta de Trabalho do Excel (.xlsx)” ou “CSV (separado por vírgulas)” e envie "
                "de novo.")


def _texto(dados):
    if b"\x00" in dados[:4096]:
        raise ArquivoRecusado(NAO_PLANILHA)  # binary (PDF streams, images, UTF-16...)
    if dados.startswith(b"\xef\xbb\xbf"):
        dados = dados[3:]
    try:
        texto = dados.decode("utf-8")
    except UnicodeDecodeError:
        try:
            texto = dados.decode("cp1252")  # Excel pt-BR's "CSV (separado por vírgulas)"
        except UnicodeDecodeError:
            raise ArquivoRecusado(NAO_PLANILHA) from None
    if texto.startswith("%PDF") or re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", texto[:4096]):
        raise ArquivoRecusado(NAO_PLANILHA)
    return texto


def _separador(texto):
    """`;` (Excel in pt-BR, where the comma is the decimal mark) or `,`."""
    primeira = next((linha for linha in texto.splitlines() if linha.strip()), "")
    return ";" if primeira.count(";") >= primeira.count(",") and ";" in primeira else ","


def _linhas_csv(texto):
    leitor = csv.reader(io.StringIO(texto, newline=""), delimiter=_separador(texto))
    try:
        for numero, celulas in enumerate(leitor, start=1):
            yield numero, celulas
    except csv.Error:
        raise ArquivoRecusado(NAO_PLANILHA) from None


# --- XLSX ---------------------------------------------------------------------------------

def _linhas_xlsx(dados):
    try:
        arquivo = zipfile.ZipFile(io.BytesIO(dados))
        nomes = set(arquivo.namelist())
        descompactado = sum(info.file_size for info in arquivo.infolist())
    except zipfile.BadZipFile:
        raise ArquivoRecusado(NAO_PLANILHA) from None
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= nomes:
        raise ArquivoRecusado(NAO_PLANILHA)
    if descompactado > LIMITE_DESCOMPACTADO:
        raise ArquivoRecusado("A planilha é grande demais depois de aberta; o limite é "
                              f"{LIMITE_LINHAS:,} linhas.".replace(",", "."))
    from openpyxl import load_workbook

    try:
        livro = load_workbook(io.BytesIO(dados), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise ArquivoRecusado("Não foi possível abrir a planilha XLSX: o arquivo parece "
                              "danificado. Salve-a de novo no Excel e envie.") from None
    try:
        folha = livro.worksheets[0]
        for numero, valores in enumerate(folha.iter_rows(values_only=True), start=1):
            yield numero, [_celula_xlsx(v) for v in valores]
    finally:
        livro.close()


def _celula_xlsx(valor):
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))  # a CPF typed as a number
    return str(valor)


# --- lines --------------------------------------------------------------------------------

def _vazia(celulas):
    return not any(str(c).strip() for c in celulas)


def _tabela(linhas):
    linhas = iter(linhas)
    for numero, celulas in linhas:
        if not _vazia(celulas):
            cabecalho = [_ALIASES.get(_chave(c)) for c in celulas]
            break
    else:
        raise ArquivoRecusado("O arquivo não tem linhas. Use a planilha modelo.")
    colunas = [c for c in cabecalho if c]
    if not {"cpf", "email"} <= set(colunas):
        raise ArquivoRecusado(
            "A primeira linha da planilha deve ter os títulos das colunas, com pelo menos "
            "“CPF” e “E-mail” (e “Certificado” na planilha modelo). Use a planilha modelo.")
    formato = MODELO if "certificado" in colunas else LISTA
    tabela = Tabela(formato, colunas)
    for numero, celulas in linhas:
        if _vazia(celulas):
            continue
        if len(tabela.linhas) == LIMITE_LINHAS:
            raise ArquivoRecusado(
                f"A planilha tem mais de {LIMITE_LINHAS:,} linhas; o limite é ".replace(",", ".")
                + f"{LIMITE_LINHAS:,} por arquivo. Divida-a em partes.".replace(",", "."))
        valores = {}
        for coluna, celula in zip(cabecalho, celulas):
            if coluna and coluna not in valores:
                valores[coluna] = str(celula).strip()[:LIMITE_CELULA]
        tabela.linhas.append((numero, valores))
    if not tabela.linhas:
        raise ArquivoRecusado("A planilha só tem os títulos das colunas: preencha ao menos "
                              "uma linha com CPF e e-mail.")
    return tabela


# --- writing (model sheet, errors file, exports) ------------------------------------------

def neutralizar(valor):
    """A cell a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    texto = "" if valor is None else str(valor)
    return "'" + texto if texto[:1] in ("=", "+", "-", "@", "\t", "\r") else texto


def csv_linhas(cabecalho, linhas):
    """CSV text in chunks, as Excel in pt-BR opens it: UTF-8 with BOM, `;`, CRLF."""
    saida = io.StringIO()
    escritor = csv.writer(saida, delimiter=";", lineterminator="\r\n")
    escritor.writerow(cabecalho)
    yield "\ufeff" + saida.getvalue()
    for linha in linhas:
        saida.seek(0)
        saida.truncate()
        escritor.writerow([neutralizar(v) for v in linha])
        yield saida.getvalue()


def xlsx_escrever(destino, cabecalho, linhas, titulo="Planilha"):
    """An XLSX written row by row (openpyxl write_only keeps rows on disk, not in memory)
    into the file object `destino`. Values go in as text: nothing becomes a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    livro = Workbook(write_only=True)
    folha = livro.create_sheet(titulo)
    folha.append(cabecalho)
    for linha in linhas:
        celulas = []
        for valor in linha:
            celula = WriteOnlyCell(folha, value="" if valor is None else str(valor))
            celula.data_type = "s"  # text: "=1+1" stays those four characters
            celulas.append(celula)
        folha.append(celulas)
    livro.save(destino)


def xlsx_bytes(cabecalho, linhas, titulo="Planilha"):
    saida = io.BytesIO()
    xlsx_escrever(saida, cabecalho, linhas, titulo)
    return saida.getvalue()
