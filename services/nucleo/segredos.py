"""Link tokens nobody can read back without SECRET_KEY.

A token is HMAC-SHA256(SECRET_KEY, purpose + random nonce). The database keeps only the
nonce and the SHA-256 of the token (to find the row when the link is opened); an e-mail body
keeps a placeholder naming the nonce, and the sending job turns it back into the link. So a
database dump, a backup or the outbox table yields no link that works.
"""
import base64
import hashlib
import hmac
import re
import secrets
import threading

from flask import current_app

_MARCADOR = re.compile(r"__segredo_([a-z]+)_([0-9a-f]{32})__")
_emitidos = threading.local()


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def derivar(finalidade, nonce):
    chave = current_app.config["SECRET_KEY"].encode()
    mac = hmac.new(chave, f"{finalidade}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def novo_token(finalidade):
    """(token, nonce) for a new link. The token is remembered in this thread so that an
    e-mail queued in the same transaction stores its placeholder instead (`ocultar`)."""
    nonce = secrets.token_hex(16)
    return token_de(finalidade, nonce), nonce


def token_de(finalidade, nonce):
    """The token of a stored nonce, remembered in this thread like a new one (`ocultar`)."""
    token = derivar(finalidade, nonce)
    _registro()[token] = f"__segredo_{finalidade}_{nonce}__"
    return token


def _registro():
    if not hasattr(_emitidos, "tokens"):
        _emitidos.tokens = {}
    return _emitidos.tokens


def ocultar(texto):
    """`texto` with every token issued in this thread replaced by its placeholder."""
    for token, marcador in _registro().items():
        texto = texto.replace(token, marcador)
    return texto


def esquecer():
    """Drop the tokens issued in this thread (the request or job is over)."""
    _emitidos.tokens = {}


def revelar(texto):
    """The placeholders in `texto` turned back into tokens (only when sending)."""
    return _MARCADOR.sub(lambda m: derivar(m.group(1), m.group(2)), texto)
