"""Shared by the request tests: the holder's link, valid answers for each step, versions."""
import io
import re

from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from models import Certificado, Conta, db
from services.titular import atribuicoes
from services.nucleo import correio
from services.nucleo.ciclo_de_vida import Ator

JOAO_CPF = "52998224725"  # demo: Maria's purchase A, certificate assigned to João

VALIDOS = {
    "dados": {"nome": "João Carlos Alves", "nascimento_dia": "10", "nascimento_mes": "03",
              "nascimento_ano": "1990"},
    "contato": {"email": "joao@example.com", "celular": "(61) 99123-4567"},
    "endereco": {"cep": "70040-010", "logradouro": "SBS Quadra 2", "numero": "10",
                 "complemento": "", "bairro": "Asa Sul", "cidade": "Brasília", "uf": "DF"},
    "documento": {"doc_tipo": "RG", "doc_numero": "12.345.678-9", "doc_emissor": "SSP",
                  "doc_uf": "DF", "emissao_dia": "02", "emissao_mes": "05",
                  "emissao_ano": "2010"},
}


def novo_link(app, cpf=JOAO_CPF):
    """A fresh personal link for the certificate assigned to `cpf` (the old one dies)."""
    with app.app_context(), db.connection_context():
        certificado = Certificado.get(Certificado.titular_cpf == cpf)
        maria = Conta.get(Conta.cpf == "12345678909")
        token = atribuicoes.reenviar_link(certificado, maria, Ator(maria.nome, maria.id), 30)
        correio.descartar()  # not sent: these tests read the outbox rows
    return certificado.numero, token


def versao(client, url):
    """The `versao` hidden field of the form at `url`, as the browser would send it back."""
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="versao" type="hidden" value="(\d+)"', html).group(1)


def enviar_etapa(client, numero, etapa, dados=None, **extra):
    url = f"/solicitacao/{numero}/{etapa}"
    dados = {**VALIDOS[etapa], **(dados or {})}
    return client.post(url, data={**dados, "versao": versao(client, url)}, **extra)


def foto(largura=640, altura=400, formato="JPEG", **opcoes):
    """A small photo made here, as a phone would send it."""
    saida = io.BytesIO()
    Image.new("RGB", (largura, altura), "#c8d8e8").save(saida, formato, **opcoes)
    return saida.getvalue()


def enviar_documento(client, numero, frente=None, verso=None, nome="frente.jpg", **extra):
    """POST the "Documentos" step: `frente` (a photo unless given) and an optional `verso`.
    Encoded in memory: the test client would spool a large body to a file left open."""
    campos = [("frente", FileStorage(io.BytesIO(foto() if frente is None else frente), nome))]
    if verso is not None:
        campos.append(("verso", FileStorage(io.BytesIO(verso), "verso.jpg")))
    limite, corpo = encode_multipart(MultiDict(campos))
    return client.post(f"/solicitacao/{numero}/documentos", data=corpo,
                       content_type=f"multipart/form-data; boundary={limite}", **extra)


def preencher(client, numero, ate="documento"):
    """Fill the steps up to `ate`; all of them (the default) also sends the document photo."""
    for etapa in VALIDOS:
        response = enviar_etapa(client, numero, etapa)
        assert response.status_code == 303, (etapa, response.status_code)
        if etapa == ate:
            break
    if ate == "documento":
        response = enviar_documento(client, numero)
        assert response.status_code == 303, ("documentos", response.status_code)
    return response


def gerar_termo(client, numero):
    url = f"/solicitacao/{numero}/confira"
    return client.post(url, data={"versao": versao(client, url)})


def aceitar(client, numero, versao_termo="1"):
    return client.post(f"/solicitacao/{numero}/termo",
                       data={"termo_versao": versao_termo, "concordo": "y"},
                       headers={"User-Agent": "Teste/1.0 (celular)"})
