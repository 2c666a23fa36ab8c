""""Validar documento assinado": anyone sends a PDF signed with their usual signer and the
portal says whether the signature is intact, who signed and when, whether the chain reaches the
demo root and whether the certificate was valid then; bad files get a clear message."""
import io
import zlib
from datetime import date, datetime, timedelta, timezone

import pypdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from relogio import segundos_reais
from services.certificacao import ac, perfil_ecpf, validacao_pdf
from tests.support.http import text
from tests.support.requisicao import nova_chave, pfx

SENHA = b"Correto-Cavalo-9"


@pytest.fixture(scope="module")
def chave():
    return nova_chave()


def assinado(chave, cert, cadeia, pdf=None):
    """The sample PDF signed with pyHanko, as a holder's signer would."""
    signer = signers.SimpleSigner.load_pkcs12_data(pfx(chave, cert, cadeia, SENHA.decode()),
                                                   other_certs=[], passphrase=SENHA)
    saida = io.BytesIO()
    # In a thread of its own, as the portal validates: pyHanko runs asyncio.run(), refused
    # where an event loop already runs (a browser test's, earlier in the same worker).
    original = IncrementalPdfFileWriter(io.BytesIO(pdf or validacao_pdf.pdf_de_exemplo()))
    validacao_pdf.sem_laco(signers.sign_pdf, original,
                           signers.PdfSignatureMetadata(field_name="Assinatura"), signer=signer,
                           output=saida)
    return saida.getvalue()


@pytest.fixture
def demo_assinado(app, ac_demo, chave, relogio):
    # The holder's signer stamps the real time: the certificate is issued at that instant too
    # (not at a test hour, TEST_RELOGIO, that may lie ahead of it).
    relogio.agora = datetime.fromtimestamp(segundos_reais(), timezone.utc)
    with app.app_context():
        emissora = ac.demonstracao(app.config)
        cert = emissora.emitir(chave.public_key(), perfil_ecpf.DadosTitular(
            nome="Carla Mendes Rocha", cpf="39053344705", email="carla@example.com",
            nascimento=date(1985, 5, 10)))
        return assinado(chave, cert, emissora.cadeia())


def validar(client, dados, nome="assinado.pdf"):
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    fronteira, corpo = encode_multipart({"arquivo": FileStorage(io.BytesIO(dados), nome)})
    return client.post("/validar/", data=corpo,
                       content_type=f"multipart/form-data; boundary={fronteira}")


def test_the_page_is_public_and_offers_a_sample_to_sign(client, ac_demo):
    page = text(client.get("/validar/"))
    assert "Validar documento assinado" in page and "documento de exemplo" in page
    exemplo = client.get("/validar/exemplo.pdf")
    assert exemplo.headers["Content-Type"] == "application/pdf"
    assert exemplo.data.startswith(b"%PDF-") and len(pypdf.PdfReader(io.BytesIO(exemplo.data))
                                                     .pages) == 1


def test_an_intact_signature_by_a_demo_certificate_is_valid(client, demo_assinado):
    response = validar(client, demo_assinado)
    assert response.status_code == 200
    page = text(response)
    assert "Assinatura válida" in page and "CARLA MENDES ROCHA" in page
    assert "390.533.447-05" in page and "Íntegra (o documento não foi alterado)" in page
    assert "OK até a “AC Raiz de Demonstração”" in page and "Dentro da validade" in page
    assert "Não revogado" in page


def test_one_byte_changed_after_signing_is_reported(client, demo_assinado):
    alterado = demo_assinado.replace(b"/FitH", b"/FitV", 1)  # one byte, in the signed range
    response = validar(client, alterado)
    page = text(response)
    assert "Assinatura com problema" in page
    assert "o documento foi alterado depois de assinado" in page


def test_an_unsigned_pdf_gets_a_message(client, ac_demo):
    response = validar(client, validacao_pdf.pdf_de_exemplo())
    assert response.status_code == 422
    assert "Este PDF não tem assinatura digital" in text(response)


def test_a_certificate_from_another_ca_is_reported(client, ac_demo, chave):
    outra = nova_chave()
    agora = datetime.fromtimestamp(segundos_reais())
    nome = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Outra AC")])
    raiz = (x509.CertificateBuilder().subject_name(nome).issuer_name(nome)
            .public_key(outra.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(agora - timedelta(days=1))
            .not_valid_after(agora + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(outra, hashes.SHA256()))
    titular = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fulano")]))
               .issuer_name(nome).public_key(chave.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(agora - timedelta(days=1))
               .not_valid_after(agora + timedelta(days=30)).sign(outra, hashes.SHA256()))
    page = text(validar(client, assinado(chave, titular, [raiz])))
    assert "Assinatura com problema" in page
    assert "O certificado não foi emitido pela AC de demonstração do portal" in page


def test_html_renamed_pdf_is_refused(client, ac_demo):
    response = validar(client, b"<!doctype html><html><body>oi</body></html>", "falso.pdf")
    assert response.status_code == 422 and "Este arquivo não é um PDF" in text(response)


def test_a_file_over_10_mb_is_refused(client, ac_demo):
    pouco_mais = validar(client, b"%PDF-1.7\n" + b"0" * validacao_pdf.PDF_MAXIMO)
    assert pouco_mais.status_code == 422 and "passa de 10 MB" in text(pouco_mais)
    muito_mais = validar(client, b"%PDF-1.7\n" + b"0" * (validacao_pdf.PDF_MAXIMO + 100_000))
    assert muito_mais.status_code == 413 and "passa de 10 MB" in text(muito_mais)


def test_a_zip_bomb_disguised_as_pdf_is_refused(client, ac_demo):
    escritor = pypdf.PdfWriter()
    pagina = escritor.add_blank_page(100, 100)
    bomba = pypdf.generic.StreamObject()
    bomba._data = zlib.compress(b" " * 100_000_000, 9)
    bomba[pypdf.generic.NameObject("/Filter")] = pypdf.generic.NameObject("/FlateDecode")
    pagina[pypdf.generic.NameObject("/Contents")] = escritor._add_object(bomba)
    saida = io.BytesIO()
    escritor.write(saida)
    assert len(saida.getvalue()) < 200_000
    response = validar(client, saida.getvalue())
    assert response.status_code == 422 and "se expande demais" in text(response)
