"""The holder's side of "Baixar meu certificado" in tests: a key, its PKCS#10 request (as
static/js/emissao.js or OpenSSL makes them), the issue at /emitir and the .pfx the page packs."""
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


def nova_chave(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def requisicao(chave, cn="titular"):
    return (x509.CertificateSigningRequestBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
            .sign(chave, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode())


def emitir(client, numero, chave, cn="titular"):
    return client.post(f"/titular/{numero}/emitir", json={"csr": requisicao(chave, cn)})


def certificados(response):
    """(the holder's X.509, [issuing AC, root]) from /emitir's or /emitido's answer."""
    cert, *cadeia = x509.load_pem_x509_certificates(response.get_json()["pem"].encode())
    return cert, cadeia


def pfx(chave, cert, cadeia, senha):
    """The .pfx as the page packs it (here with OpenSSL's modern defaults)."""
    return pkcs12.serialize_key_and_certificates(
        b"titular", chave, cert, cadeia, serialization.BestAvailableEncryption(senha.encode()))
