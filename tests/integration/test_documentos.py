"""The "Documentos" step: the holder sends a photo (front and back) or a PDF of an identity
document before the termo; only they and the agents open it (each view in the andamento); the
agent approves it or refuses it with a reason (the holder is e-mailed a link to send again);
"Aprovar e emitir" needs it approved; it is purged 10 years after the certificate ends."""
import io
import re
import struct
import zlib
from datetime import datetime, timedelta

import pytest
from fpdf import FPDF
from PIL import ExifTags, Image

from filas import tarefas
from models import (ArquivoDocumento, Certificado, CertificadoX509, EnvioDocumento, Evento, db)
from services.agendamento import reservas
from services.nucleo.ciclo_de_vida import Ator
from tests.support.agendamento import certificado_solicitado, sp
from tests.support.ambiente import AGORA
from tests.support.http import text
from tests.support.solicitacao import VALIDOS, enviar_documento, enviar_etapa, foto, novo_link


@pytest.fixture
def holder(app, client, demo):
    """João's browser, with every step before "Documentos" filled in."""
    numero, token = novo_link(app)
    assert client.get(f"/t/{token}").status_code == 303
    for etapa in VALIDOS:
        assert enviar_etapa(client, numero, etapa).status_code == 303
    client.numero = numero
    return client


def envios(numero):
    with db.connection_context():
        certificado = Certificado.get(Certificado.numero == numero)
        return list(EnvioDocumento.select().where(EnvioDocumento.certificado == certificado.id)
                    .order_by(EnvioDocumento.id))


def arquivos(envio):
    with db.connection_context():
        return list(ArquivoDocumento.select().where(ArquivoDocumento.envio == envio.id)
                    .order_by(ArquivoDocumento.id))


def tipos_de_evento(numero):
    with db.connection_context():
        certificado = Certificado.get(Certificado.numero == numero)
        return [(e.tipo, e.ator) for e in Evento.select().where(Evento.certificado == certificado.id)
                .order_by(Evento.id)]


def foto_com_gps():
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (15.0, 47.0, 0.0)
    saida = io.BytesIO()
    Image.new("RGB", (3200, 2400), "#c8d8e8").save(saida, "JPEG", exif=exif)
    return saida.getvalue() + b"<script>alert(1)</script>"  # appended after the image


def pdf(javascript=False, comprimido=False):
    documento = FPDF()
    documento.add_page()
    documento.set_font("helvetica", size=14)
    documento.cell(text="RG frente e verso")
    dados = bytes(documento.output())
    if javascript:
        acao = b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"
        if comprimido:  # hidden in a compressed object stream, with a #-escaped name
            acao = (b"<< /Type /ObjStm /Filter /FlateDecode >> stream\n"
                    + zlib.compress(b"<< /S /Java#53cript /JS (x) >>") + b"\nendstream")
        dados = dados.replace(b"%%EOF", b"99 0 obj " + acao + b" endobj\n%%EOF")
    return dados


def png_bomba(largura=20000, altura=20000):
    """A PNG header claiming 20 000 x 20 000 pixels, a few bytes on disk."""
    def bloco(tipo, corpo):
        return (struct.pack(">I", len(corpo)) + tipo + corpo
                + struct.pack(">I", zlib.crc32(tipo + corpo)))
    cabecalho = struct.pack(">IIBBBBB", largura, altura, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + bloco(b"IHDR", cabecalho)
            + bloco(b"IDAT", zlib.compress(b"\x00" * 64)) + bloco(b"IEND", b""))


# --- the step ---------------------------------------------------------------------------

def test_the_step_lists_the_accepted_documents_and_opens_the_camera(holder):
    html = holder.get(f"/solicitacao/{holder.numero}/documentos").get_data(as_text=True)
    pagina = text(holder.get(f"/solicitacao/{holder.numero}/documentos"))
    assert "Etapa 5 de 7" in pagina and "Documentos" in pagina
    assert "CNH" in pagina and "Passaporte" in pagina and "conselho profissional" in pagina
    assert 'accept="image/jpeg,image/png,application/pdf"' in html
    assert 'capture="environment"' in html and 'enctype="multipart/form-data"' in html
    assert "js/documentos.js" in html


def test_an_htmx_visit_gets_the_fragment_that_names_its_script(holder):
    response = holder.get(f"/solicitacao/{holder.numero}/documentos",
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'data-script="/static/js/documentos.js' in html
    assert 'hx-encoding="multipart/form-data"' in html


def test_confira_asks_for_the_document_first(holder):
    response = holder.get(f"/solicitacao/{holder.numero}/confira")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/solicitacao/{holder.numero}/documentos")


def test_a_photo_is_stored_encrypted_reduced_and_without_exif(holder):
    original = foto_com_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    response = enviar_documento(holder, holder.numero, original)
    assert response.status_code == 303 and response.headers["Location"].endswith("/confira")
    (envio,) = envios(holder.numero)
    (arquivo,) = arquivos(envio)
    cifrado = bytes(arquivo.cifrado)
    assert arquivo.parte == "frente" and arquivo.tipo == "image/jpeg"
    assert not cifrado.startswith(b"\xff\xd8") and b"JFIF" not in cifrado  # encrypted at rest
    aberto = holder.get(f"/solicitacao/{holder.numero}/documentos/{arquivo.id}")
    assert aberto.status_code == 200 and aberto.mimetype == "image/jpeg"
    assert "no-store" in aberto.headers["Cache-Control"]
    imagem = Image.open(io.BytesIO(aberto.data))
    assert max(imagem.size) == 1600
    assert not imagem.getexif() and b"<script>" not in aberto.data
    eventos = [tipo for tipo, _ in tipos_de_evento(holder.numero)]
    assert "documento.enviado" in eventos and "documento.aberto" in eventos


def test_the_sent_document_is_listed_and_the_request_goes_on(holder):
    enviar_documento(holder, holder.numero, foto(), verso=foto())
    pagina = text(holder.get(f"/solicitacao/{holder.numero}/documentos"))
    assert "Documento enviado" in pagina and "Aguardando conferência" in pagina
    assert "Frente" in pagina and "Verso" in pagina and "Continuar" in pagina
    assert [a.parte for a in arquivos(envios(holder.numero)[0])] == ["frente", "verso"]
    assert "Confira seus dados" in text(holder.get(f"/solicitacao/{holder.numero}/confira"))


def test_a_pdf_is_accepted_as_it_is(holder):
    documento = pdf()
    assert enviar_documento(holder, holder.numero, documento, nome="rg.pdf").status_code == 303
    (arquivo,) = arquivos(envios(holder.numero)[0])
    assert arquivo.parte == "pdf" and arquivo.tipo == "application/pdf"
    aberto = holder.get(f"/solicitacao/{holder.numero}/documentos/{arquivo.id}")
    assert aberto.mimetype == "application/pdf" and aberto.data == documento


def test_a_pdf_with_a_back_photo_is_refused_at_the_back(holder):
    response = enviar_documento(holder, holder.numero, pdf(), verso=foto(), nome="rg.pdf")
    assert response.status_code == 422 and "o PDF já deve ter as duas faces" in text(response)


@pytest.mark.parametrize("nome, conteudo, mensagem", [
    ("grande.jpg", b"\xff\xd8\xff\xe0" + bytes(6 * 1024 * 1024), "passa de 5 MB"),
    ("pagina.jpg", b"<!doctype html><html><script>alert(1)</script></html>",
     "não é uma foto (JPEG ou PNG) nem um PDF"),
    ("desenho.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
     "não é uma foto (JPEG ou PNG) nem um PDF"),
    ("rg.pdf", pdf(javascript=True), "contém JavaScript"),
    ("rg.pdf", pdf(javascript=True, comprimido=True), "contém JavaScript"),
    ("vazio.jpg", b"", "O arquivo está vazio"),
    ("bomba.png", png_bomba(), "A imagem é grande demais (mais de 50 milhões de pixels)"),
    ("cortada.jpg", foto()[:300], "parece danificado"),
], ids=["6MB", "html", "svg", "pdf-js", "pdf-js-comprimido", "vazio", "bomba", "cortada"])
def test_bad_files_are_refused_at_the_field_and_nothing_is_stored(holder, nome, conteudo,
                                                                 mensagem):
    response = enviar_documento(holder, holder.numero, conteudo, nome=nome)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert mensagem in text(response) and 'id="frente-erro"' in html
    assert envios(holder.numero) == []


def test_a_body_over_the_route_limit_is_refused_with_the_message(holder):
    grande = b"\xff\xd8\xff" + bytes(11 * 1024 * 1024)
    response = enviar_documento(holder, holder.numero, grande, verso=grande)
    assert response.status_code == 413 and "5 MB cada" in text(response)
    assert envios(holder.numero) == []


# --- who may open it --------------------------------------------------------------------

def test_another_holder_cannot_open_the_first_ones_document(app, holder):
    enviar_documento(holder, holder.numero)
    (arquivo,) = arquivos(envios(holder.numero)[0])
    endereco = f"/solicitacao/{holder.numero}/documentos/{arquivo.id}"
    outra = app.test_client()
    carla, token = novo_link(app, cpf="39053344705")  # the demo's other holder
    assert outra.get(f"/t/{token}").status_code == 303
    assert outra.get(endereco).status_code == 404
    assert outra.get(f"/solicitacao/{carla}/documentos/{arquivo.id}").status_code == 404
    assert app.test_client().get(endereco).status_code == 404
    assert [t for t, _ in tipos_de_evento(holder.numero)].count("documento.aberto") == 0


# --- the agent --------------------------------------------------------------------------

@pytest.fixture
def agendado(app, demo, relogio):
    """Beatriz's videoconference on 22/12/2026 10:00, her document not sent yet; a browser
    with her personal link is `.titular`."""
    with app.app_context(), db.connection_context():
        certificado, token = certificado_solicitado(nome="Beatriz Costa", documento=False)
        agendamento = reservas.agendar(certificado, sp(2026, 12, 22, 10), AGORA,
                                       Ator("Beatriz Costa (titular)"), app.config)
    titular = app.test_client()
    assert titular.get(f"/t/{token}").status_code == 303
    agendamento.titular = titular
    agendamento.numero = certificado.numero
    return agendamento


def test_without_an_approved_document_aprovar_e_emitir_is_refused(agente, agendado, relogio):
    relogio.agora = sp(2026, 12, 22, 9, 55)
    pagina = text(agente.get(f"/agenda/{agendado.id}"))
    assert "O titular ainda não enviou o documento" in pagina
    response = agente.post(f"/agenda/{agendado.id}/aprovar")
    assert response.status_code == 409 and "aprove o documento de identificação" in text(response)
    enviar_documento(agendado.titular, agendado.numero)
    assert agente.post(f"/agenda/{agendado.id}/aprovar").status_code == 409  # not yet checked
    with db.connection_context():
        assert Certificado.get(Certificado.numero == agendado.numero).situacao == "agendado"


def test_the_agent_opens_the_document_and_it_is_in_the_andamento(agente, agendado):
    enviar_documento(agendado.titular, agendado.numero)
    html = agente.get(f"/agenda/{agendado.id}").get_data(as_text=True)
    arquivo_id = re.search(rf"/agenda/{agendado.id}/documentos/(\d+)\"", html).group(1)
    assert "Aguardando conferência" in html and "Documento aprovado" in html
    aberto = agente.get(f"/agenda/{agendado.id}/documentos/{arquivo_id}")
    assert aberto.status_code == 200 and aberto.mimetype == "image/jpeg"
    assert ("documento.aberto", "Ana Souza (agente de registro)") in tipos_de_evento(
        agendado.numero)
    assert "Documento de identificação aberto" in text(agente.get(f"/agenda/{agendado.id}"))


def test_a_buyer_cannot_open_nor_decide_on_the_document(maria, agendado):
    enviar_documento(agendado.titular, agendado.numero)
    (envio,) = envios(agendado.numero)
    (arquivo,) = arquivos(envio)
    assert maria.get(f"/agenda/{agendado.id}/documentos/{arquivo.id}").status_code == 404
    assert maria.post(f"/agenda/{agendado.id}/documentos/{envio.id}/aprovar").status_code == 404


def test_refusing_needs_a_reason(agente, agendado):
    enviar_documento(agendado.titular, agendado.numero)
    (envio,) = envios(agendado.numero)
    response = agente.post(f"/agenda/{agendado.id}/documentos/{envio.id}/recusar",
                           data={"motivo_documento": ""})
    assert response.status_code == 422 and "Informe o motivo da recusa do documento" in text(
        response)


def test_refused_the_holder_gets_a_link_sends_again_and_approval_leads_to_emission(
        app, agente, agendado, outbox, relogio):
    enviar_documento(agendado.titular, agendado.numero)
    (envio,) = envios(agendado.numero)
    response = agente.post(f"/agenda/{agendado.id}/documentos/{envio.id}/recusar",
                           data={"motivo_documento": "A foto está desfocada."})
    assert response.status_code == 303
    assert envios(agendado.numero)[0].situacao == "recusado"
    with app.app_context(), db.connection_context():
        tarefas.reenviar_pendentes.call_local()
    (email,) = [m for m in outbox if "envie o documento de novo" in m.subject]
    assert "A foto está desfocada." in email.body
    link = re.search(r"https?://[^/\s]+(/t/[^\s]+/documentos)", email.body).group(1)

    celular = app.test_client()  # the holder opens the e-mail on another device
    chegada = celular.get(link)
    assert chegada.headers["Location"].endswith(f"/solicitacao/{agendado.numero}/documentos")
    pagina = text(celular.get(chegada.headers["Location"]))
    assert "Recusado" in pagina and "A foto está desfocada." in pagina
    assert enviar_documento(celular, agendado.numero, foto(), verso=foto()).status_code == 303
    novo = envios(agendado.numero)[-1]
    assert novo.situacao == "enviado" and len(envios(agendado.numero)) == 2

    response = agente.post(f"/agenda/{agendado.id}/documentos/{novo.id}/aprovar")
    assert response.status_code == 303 and "Documento aprovado." in text(
        agente.get(response.headers["Location"]))
    assert agente.post(f"/agenda/{agendado.id}/documentos/{novo.id}/recusar",
                       data={"motivo_documento": "x"}).status_code == 409  # decided once
    relogio.agora = sp(2026, 12, 22, 9, 55)
    assert agente.post(f"/agenda/{agendado.id}/aprovar").status_code == 303
    with db.connection_context():
        assert Certificado.get(Certificado.numero == agendado.numero).situacao == "emitido"
    tipos = [t for t, _ in tipos_de_evento(agendado.numero)]
    assert tipos.count("documento.enviado") == 2 and "documento.recusado" in tipos
    assert "documento.aprovado" in tipos


# --- retention --------------------------------------------------------------------------

def expurgar(app):
    with app.app_context():
        return tarefas.expurgar_documentos.call_local()


def test_documents_are_purged_ten_years_after_the_certificate_ends(app, holder, relogio):
    enviar_documento(holder, holder.numero)
    with db.connection_context():
        certificado = Certificado.get(Certificado.numero == holder.numero)
        fim = datetime(2029, 12, 21, 12, 0)  # the X.509's end, in UTC
        CertificadoX509.create(certificado=certificado, contratante=certificado.contratante_id,
                               serial="abc123", pem="-", origem="servidor",
                               emitido_em=datetime(2026, 12, 21), valido_ate=fim)
    relogio.agora = AGORA + timedelta(days=3660 + 30)  # 10 years after sending, not after the end
    expurgar(app)
    assert len(envios(holder.numero)) == 1
    relogio.agora = datetime(2039, 12, 22, 12, 0, tzinfo=AGORA.tzinfo)
    assert expurgar(app) >= 1
    assert envios(holder.numero) == []
    with db.connection_context():
        assert ArquivoDocumento.select().count() == 0  # the demo's, never issued, went too
    assert "documento.expurgado" in [t for t, _ in tipos_de_evento(holder.numero)]


def test_the_retention_is_one_setting(app, holder, relogio):
    enviar_documento(holder, holder.numero)
    app.config["DOCUMENTOS_RETENCAO_ANOS"] = 2
    relogio.agora = AGORA + timedelta(days=365)
    expurgar(app)
    assert len(envios(holder.numero)) == 1
    relogio.agora = AGORA + timedelta(days=2 * 366)  # never issued: counted from the sending
    expurgar(app)
    assert envios(holder.numero) == []
