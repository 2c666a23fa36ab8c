"""The demo AC's public repository: its certificates, the CRL at both distribution points
(/ac/lcr.crl and /ac/lcr2.crl) and OCSP (/ac/ocsp, RFC 6960, POST and GET). The
`flask --app app ac criar` command is in cli/."""
import base64
import binascii

from flask import Blueprint, abort, current_app, make_response, render_template, request
from cryptography.hazmat.primitives import serialization

from web.extensoes import csrf
from services.certificacao import ac
from services.certificacao import emissao

bp = Blueprint("ac", __name__, url_prefix="/ac")


def _demo():
    try:
        demo = ac.demonstracao(current_app.config)
    except ac.AcIndisponivel:
        demo = None
    if demo is None:
        abort(404)
    return demo


def _binario(dados, tipo, nome=None, cache=300):
    response = make_response(bytes(dados))
    response.headers["Content-Type"] = tipo
    if nome:
        response.headers["Content-Disposition"] = f'attachment; filename="{nome}"'
    response.cache_control.public = True
    response.cache_control.max_age = cache
    return response


@bp.get("/raiz.crt")
def raiz():
    cert = _demo().raiz
    return _binario(cert.public_bytes(serialization.Encoding.DER), "application/pkix-cert",
                    "ac-raiz-demonstracao.crt", 86400)


@bp.get("/emissora.crt")
def emissora():
    cert = _demo().emissora
    return _binario(cert.public_bytes(serialization.Encoding.DER), "application/pkix-cert",
                    "ac-emissora-demonstracao.crt", 86400)


@bp.get("/politica")
def politica():
    return render_template("ac/politica.html")


@bp.get("/lcr.crl")
@bp.get("/lcr2.crl")
def lcr():
    atual = ac.lcr_atual(_demo())
    return _binario(atual.der, "application/pkix-crl", "lcr.crl", 600)


OCSP_MAXIMO = 10_000  # bytes of DER: one request with a nonce is under 200


def _ocsp(pedido_der):
    resposta = _demo().responder_ocsp(pedido_der, emissao.situacao_serial)
    return _binario(resposta, "application/ocsp-response", cache=0)


@bp.post("/ocsp")
@csrf.exempt  # OCSP clients post DER, not forms
def ocsp_post():
    # Read one byte past the limit: a bigger body is refused as malformed, never buffered.
    pedido = request.stream.read(OCSP_MAXIMO + 1)
    return _ocsp(pedido if len(pedido) <= OCSP_MAXIMO else b"")


@bp.get("/ocsp/<path:codificado>")
def ocsp_get(codificado):
    try:
        pedido = base64.b64decode(codificado, validate=True) if (
            len(codificado) <= OCSP_MAXIMO * 4 // 3 + 4) else b""
    except (binascii.Error, ValueError):
        pedido = b""
    return _ocsp(pedido)
