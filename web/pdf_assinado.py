"""Signed PDF addresses: a tab opened from a cross-site frame has no session cookie."""
from flask import current_app, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer


# A signed PDF address opens without the session this long (see url_pdf).
PDF_MINUTOS = 15


def _assinador_pdf():
    assinadores = current_app.extensions.setdefault("assinador_pdf", {})
    chave = current_app.config["SECRET_KEY"]
    if chave not in assinadores:
        assinadores[chave] = URLSafeTimedSerializer(chave, salt="pdf")
    return assinadores[chave]


def url_pdf(endpoint, objeto_id, **values):
    """A PDF's address that also opens, for PDF_MINUTOS, without the session: a tab opened
    from a cross-site frame does not share the frame's partitioned cookie. It names the
    object (boleto, termo) it was issued for, and only this path."""
    caminho = url_for(endpoint, **values)
    # The signature is URL-safe base64 and dots: appended as is (one URL built, not two).
    acesso = _assinador_pdf().dumps([caminho, objeto_id])
    return f"{caminho}{'&' if '?' in caminho else '?'}acesso={acesso}"


def pdf_liberado():
    """The id a fresh signed address (url_pdf) of this very path grants, or None."""
    valor = request.args.get("acesso")
    if not valor:
        return None
    try:
        caminho, objeto_id = _assinador_pdf().loads(valor, max_age=PDF_MINUTOS * 60)
    except (BadSignature, ValueError, TypeError):  # expired is a BadSignature too
        return None
    return objeto_id if caminho == request.path else None
