"""E-mail as an outbox: `enfileirar` writes the message in the caller's transaction;
`tasks.enviar_email` delivers it after commit, with retries, through Flask-Mailman.

Bodies come from templates `emails/<nome>.txt` and `emails/<nome>.html` (pt-BR), so a
failed send never undoes or blocks the action that caused it.
"""
import base64
import json
import logging
import threading

from flask import render_template
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from models import Email
from services import segredos

log = logging.getLogger(__name__)
_pendentes = threading.local()


def enfileirar(destinatario, assunto, modelo, contexto=None, processo=None, certificado=None,
               anexos=()):
    """Queue a message; `anexos` is [(file name, MIME type, bytes)]. Returns the Email row."""
    contexto = dict(contexto or {}, assunto=assunto)
    email = Email.create(
        destinatario=destinatario,
        assunto=assunto,
        # Links carry placeholders here; the sending job renders them (services.segredos).
        texto=segredos.ocultar(render_template(f"emails/{modelo}.txt", **contexto)),
        html=segredos.ocultar(render_template(f"emails/{modelo}.html", **contexto)),
        anexos=json.dumps([
            {"nome": nome, "tipo": tipo, "conteudo": base64.b64encode(dados).decode()}
            for nome, tipo, dados in anexos
        ]),
        processo=processo, certificado=certificado,
    )
    _fila().append(email.id)
    return email


def anexos(email):
    """The attachments of a queued message as [(name, MIME type, bytes)]."""
    return [(a["nome"], a["tipo"], base64.b64decode(a["conteudo"]))
            for a in json.loads(email.anexos or "[]")]


def _fila():
    if not hasattr(_pendentes, "ids"):
        _pendentes.ids = []
    segredos.esquecer()
    return _pendentes.ids


def despachar():
    """Hand the messages queued by this thread to the job queue (call after commit)."""
    from tasks import enviar_email

    ids, _pendentes.ids = _fila(), []
    segredos.esquecer()
    for email_id in ids:
        try:
            enviar_email(email_id)
        except (RedisConnectionError, RedisTimeoutError) as error:
            # The queue is down; the row stays pending and `reenviar_pendentes` sends it.
            log.warning("fila indisponível; e-mail %s fica pendente: %s", email_id,
                        error.__class__.__name__)


def descartar():
    """Forget queued ids after a rollback (their rows no longer exist)."""
    _pendentes.ids = []
    segredos.esquecer()
