"""Signed PDF addresses: a tab opened from a cross-site frame has no session cookie."""
from flask import current_app, request, url_for
from itsdangerous import BadSignature, TimestampSigner

from web.estaticos import url_por_linha


# A signed PDF address opens without the session this long (see url_pdf).
PDF_MINUTOS = 15


def _assinador_pdf():
    assinadores = current_app.extensions.setdefault("assinador_pdf", {})
    chave = current_app.config["SECRET_KEY"]
    if chave not in assinadores:
        assinadores[chave] = TimestampSigner(chave, salt="pdf")
    return assinadores[chave]


def url_pdf(endpoint, objeto_id, **values):
    """A PDF's address that also opens, for PDF_MINUTOS, without the session: a tab opened
    from a cross-site frame does not share the frame's partitioned cookie. It names the
    object (boleto, termo) it was issued for, and only this path.

    What is signed is "<path>|<id>" with the time; only "<id>.<time>.<signature>" travels,
    since the path is the address itself (a plain signer: a list of 20 boletos signs 20)."""
    if len(values) == 1:  # a list's rows: the address built once (web.estaticos)
        [(nome, valor)] = values.items()
        caminho = url_por_linha(endpoint, nome)(valor)
    else:
        caminho = url_for(endpoint, **values)
    objeto_id = int(objeto_id)
    assinado = _assinador_pdf().sign(f"{caminho}|{objeto_id}").decode()
    _, momento, assinatura = assinado.rsplit(".", 2)
    return f"{caminho}{'&' if '?' in caminho else '?'}acesso={objeto_id}.{momento}.{assinatura}"


def pdf_liberado():
    """The id a fresh signed address (url_pdf) of this very path grants, or None."""
    partes = request.args.get("acesso", "").split(".")
    if len(partes) != 3 or not partes[0].isdigit() or len(partes[0]) > 19:
        return None
    objeto_id, momento, assinatura = partes
    try:
        _assinador_pdf().unsign(f"{request.path}|{objeto_id}.{momento}.{assinatura}",
                                max_age=PDF_MINUTOS * 60)
    except BadSignature:  # expired is a BadSignature too
        return None
    return int(objeto_id)
