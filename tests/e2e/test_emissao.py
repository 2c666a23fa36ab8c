"""From "Aprovar e emitir" to the saved .pfx, on a phone with JavaScript on and off: the agent
approves, the holder opens the e-mail's link and downloads. With JavaScript the key is made in
the page and no request carries it or the password; without, the holder's OpenSSL makes it."""
import base64
import os
import re
import shutil
import subprocess
from urllib.parse import parse_qs

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from playwright.sync_api import expect

from tests.support.ambiente import AC_SENHA, TEST_CONFIG
from tests.support.navegador import entrar, no_horizontal_scroll
from tests.e2e.test_agendamento import demo_agendada, mensagens

SENHA = "Correto-Cavalo-9"
PKCS8_RSA = bytes.fromhex("020100300d06092a864886f70d010101050004")  # PrivateKeyInfo's start


@pytest.fixture
def e2e_config(ac_demo):
    return {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "AGENDA_ACAO_AGENTE_MINUTOS": 60 * 24 * 30,
            "AC_DIR": ac_demo, "AC_CHAVE_SENHA": AC_SENHA}


def openssl(*args, entrada=None):
    saida = subprocess.run(["openssl", *args], capture_output=True, input=entrada)
    assert saida.returncode == 0, saida.stderr.decode()
    return saida.stdout.decode() + saida.stderr.decode()


def modulo_confere(pfx, senha, legado=False):
    """`openssl x509 -modulus` of the certificate equals `openssl rsa -modulus` of the key."""
    extra = ["-legacy"] if legado else []
    cert = openssl("pkcs12", "-in", str(pfx), "-clcerts", "-nokeys", "-passin", f"pass:{senha}",
                   *extra)
    chave = openssl("pkcs12", "-in", str(pfx), "-nocerts", "-nodes", "-passin", f"pass:{senha}",
                    *extra)
    m_cert = openssl("x509", "-noout", "-modulus", entrada=cert.encode())
    m_chave = openssl("rsa", "-noout", "-modulus", entrada=chave.encode())
    assert m_cert.startswith("Modulus=") and m_cert == m_chave


def nss_importa(pfx, senha, pasta):
    """NSS (Firefox, Chrome on Linux) imports the file: `pk12util -i`."""
    if not shutil.which("pk12util"):
        reason = "pk12util not found (apt-get install libnss3-tools): NSS import skipped"
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(reason + " (E2E_REQUIRED is set)")
        print(reason)
        return
    pasta.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{pasta}", "--empty-password"], check=True)
    saida = subprocess.run(["pk12util", "-i", str(pfx), "-d", f"sql:{pasta}", "-W", senha],
                           capture_output=True, text=True)
    assert saida.returncode == 0 and "SUCCESSFUL" in saida.stdout, saida.stdout + saida.stderr


def segredos(chave):
    """What would betray the key, as bytes and as text: d, p, q (DER, hex)."""
    numeros = chave.private_numbers()
    saida = []
    for valor in (numeros.d, numeros.p, numeros.q):
        cru = valor.to_bytes((valor.bit_length() + 7) // 8, "big")
        saida += [cru, cru.hex().encode(), cru.hex().upper().encode()]
    return saida


def conteudos(corpo):
    """A request body and the DER inside any base64 (PEM) it carries."""
    partes = [corpo]
    for bloco in re.findall(rb"[A-Za-z0-9+/=\\n]{200,}", corpo):
        try:
            partes.append(base64.b64decode(bloco.replace(b"\\n", b"")))
        except ValueError:
            pass
    return partes


def formulario(corpo):
    """A form post's values, and the DER inside any base64 (PEM) value."""
    partes = []
    for valores in parse_qs(corpo.decode("latin-1")).values():
        for valor in valores:
            bloco = re.sub(r"-----[A-Z ]+-----|\s", "", valor)
            partes.append(valor.encode("latin-1"))
            try:
                partes.append(base64.b64decode(bloco))
            except ValueError:
                pass
    return partes


def aprovar_e_abrir(phone, server):
    demo_agendada()
    entrar(phone, "987.654.321-00", "agente12345")
    with server.app.app_context():
        from models import Agendamento, db

        with db.connection_context():
            agendamento = Agendamento.select().where(Agendamento.situacao == "ativo").get()
    phone.goto(f"/agenda/{agendamento.id}")
    phone.get_by_role("button", name="Aprovar e emitir").click()
    expect(phone.locator(".aviso-sucesso")).to_contain_text("Certificado aprovado e emitido")
    phone.get_by_role("button", name="Sair").click()

    [mensagem] = mensagens(server, "roberto@example.com", "Seu certificado está pronto")
    link = re.search(r"http://\S+/t/\S+", mensagem.body).group(0).replace(
        "http://portal.test", server.url)
    phone.goto(link)
    expect(phone.get_by_text("não é ICP-Brasil").first).to_be_visible()
    phone.get_by_role("link", name="Baixar meu certificado").click()
    expect(phone.get_by_role("heading", name="Baixar meu certificado")).to_be_visible()
    expect(phone.get_by_text("Antes de começar")).to_be_visible()
    assert no_horizontal_scroll(phone)


def test_from_approval_to_the_saved_certificate(phone, server, tmp_path):
    if not phone.js:
        pytest.skip("the page without JavaScript: test_without_javascript_openssl_makes_the_key")
    pedidos = []
    phone.on("request", lambda r: pedidos.append((r.url, r.post_data_buffer or b"")))
    aprovar_e_abrir(phone, server)

    phone.get_by_label("Crie a senha do certificado").fill("abcdefgh")
    expect(phone.locator("#senha-forca")).to_have_text("Força da senha: fraca.")
    phone.get_by_label("Digite a senha de novo").fill("abcdefgh")
    phone.get_by_role("button", name="Baixar meu certificado").click()
    expect(phone.locator("#senha-erro")).to_contain_text("Senha fraca")
    assert phone.title().startswith("Erro: ")

    phone.get_by_label("Crie a senha do certificado").fill(SENHA)
    expect(phone.locator("#senha-forca")).to_have_text("Força da senha: forte.")
    phone.get_by_label("Digite a senha de novo").fill("Outra-Senha-9")
    phone.get_by_role("button", name="Baixar meu certificado").click()
    expect(phone.locator("#senha_confirmacao-erro")).to_contain_text("As senhas não são iguais")
    phone.get_by_label("Digite a senha de novo").fill(SENHA)
    expect(phone.get_by_label("Moderno")).to_be_checked()  # Linux: the modern format
    with phone.expect_download(timeout=60_000) as baixando:
        phone.get_by_role("button", name="Baixar meu certificado").click()
    download = baixando.value
    assert download.suggested_filename == "roberto-alves-lima.pfx"
    moderno = tmp_path / "moderno.pfx"
    download.save_as(moderno)
    chave, cert, cadeia = pkcs12.load_key_and_certificates(moderno.read_bytes(), SENHA.encode())
    assert cert.subject.rfc4514_string().startswith("CN=ROBERTO ALVES LIMA:22233366638")
    assert cert.public_key().public_numbers() == chave.public_key().public_numbers()
    assert len(cadeia) == 2
    info = openssl("pkcs12", "-info", "-nokeys", "-in", str(moderno), "-passin", f"pass:{SENHA}")
    assert "PBES2, PBKDF2, AES-256-CBC" in info and "hmacWithSHA256" in info
    assert "MAC: sha256" in info
    modulo_confere(moderno, SENHA)
    nss_importa(moderno, SENHA, tmp_path / "nss-moderno")

    # The page keeps the key: the other format, from the certificate fetched again.
    phone.get_by_label("Compatível").check()
    with phone.expect_download(timeout=60_000) as baixando:
        phone.get_by_role("button", name="Baixar de novo").click()
    compativel = tmp_path / "compativel.pfx"
    baixando.value.save_as(compativel)
    info = openssl("pkcs12", "-info", "-nokeys", "-in", str(compativel), "-passin",
                   f"pass:{SENHA}")
    assert "pbeWithSHA1And3-KeyTripleDES-CBC" in info and "MAC: sha1" in info
    modulo_confere(compativel, SENHA)  # OpenSSL 3 opens 3DES without the legacy provider
    if subprocess.run(["openssl", "list", "-providers", "-provider", "legacy"],
                      capture_output=True).returncode == 0:
        modulo_confere(compativel, SENHA, legado=True)
    nss_importa(compativel, SENHA, tmp_path / "nss-compativel")
    outra_chave = pkcs12.load_key_and_certificates(compativel.read_bytes(), SENHA.encode())[0]
    assert outra_chave.private_numbers() == chave.private_numbers()  # the same key, packed again

    # No request carried the key or the password; the one POST was the request (CSR).
    proibidos = segredos(chave) + [b"PRIVATE KEY", PKCS8_RSA, SENHA.encode()]
    for url, corpo in pedidos:
        for parte in conteudos(corpo) + [url.encode()]:
            assert not any(p in parte for p in proibidos), url
    [emitir] = [corpo for url, corpo in pedidos if url.endswith("/emitir")]
    assert b"BEGIN CERTIFICATE REQUEST" in emitir

    phone.goto(phone.url)  # back on the page: the certificate is issued
    expect(phone.get_by_text("já foi baixado")).to_be_visible()
    expect(phone.get_by_role("link", name="Revogar e emitir novamente")).to_be_visible()

    # "Testar meu certificado": the page opens the file and signs the portal's challenge; only
    # the certificate and the signature are sent, never the file, the key or the password.
    pedidos.clear()
    phone.get_by_role("link", name="Testar meu certificado").click()
    phone.get_by_label("Arquivo do certificado (.pfx ou .p12)").set_input_files(str(moderno))
    phone.get_by_label("Senha do certificado").fill(SENHA)
    phone.get_by_role("button", name="Testar meu certificado").click()
    expect(phone.get_by_role("heading", name="Seu certificado funciona")).to_be_visible(
        timeout=30_000)
    arquivo = moderno.read_bytes()
    proibidos += [arquivo[:64], arquivo[-64:], base64.b64encode(arquivo)[:64]]
    for url, corpo in pedidos:
        for parte in conteudos(corpo) + formulario(corpo) + [url.encode()]:
            assert not any(p in parte for p in proibidos), url
    [testar] = [parse_qs(corpo.decode()) for url, corpo in pedidos
                if url.endswith("/testar") and corpo]
    assert set(testar) == {"csrf_token", "certificado", "assinatura"}
    assert testar["certificado"][0].startswith("-----BEGIN CERTIFICATE-----")


def test_without_javascript_openssl_makes_the_key(phone, server, tmp_path):
    if phone.js:
        pytest.skip("the page with JavaScript: test_from_approval_to_the_saved_certificate")
    aprovar_e_abrir(phone, server)
    expect(phone.get_by_label("Crie a senha do certificado")).to_be_hidden()
    expect(phone.get_by_text("openssl genrsa -out minha-chave.pem 2048").first).to_be_visible()
    chave, csr = tmp_path / "minha-chave.pem", tmp_path / "requisicao.csr"
    openssl("genrsa", "-out", str(chave), "2048")
    openssl("req", "-new", "-key", str(chave), "-out", str(csr), "-subj", "/CN=titular")
    phone.get_by_role("link", name="Tenho minha própria requisição (CSR)").first.click()
    phone.get_by_label("Requisição (CSR) em formato PEM").fill(csr.read_text())
    with phone.expect_download() as baixando:
        phone.get_by_role("button", name="Emitir com minha requisição").click()
    assert baixando.value.suggested_filename == "roberto-alves-lima.pem"
    pem = tmp_path / "roberto-alves-lima.pem"
    baixando.value.save_as(pem)
    pfx = tmp_path / "roberto-alves-lima.pfx"
    openssl("pkcs12", "-export", "-inkey", str(chave), "-in", str(pem), "-out", str(pfx),
            "-passout", f"pass:{SENHA}")
    modulo_confere(pfx, SENHA)

    # "Testar" needs JavaScript (the file is opened in the page): it says so and offers the
    # validation of a PDF signed elsewhere.
    phone.goto(re.sub(r"/csr$", "/testar", phone.url))
    expect(phone.get_by_text("Este teste precisa de JavaScript")).to_be_visible()
    expect(phone.get_by_label("Senha do certificado")).to_be_hidden()
    phone.get_by_role("link", name="Validar documento assinado").first.click()
    expect(phone.get_by_role("heading", name="Validar documento assinado")).to_be_visible()
