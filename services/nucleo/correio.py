"""E-mail as an outbox: `enfileirar` writes the message in the caller's transaction;
after commit `jobs.despachar` hands it to `jobs.enviar_email`, which delivers it with retries
through Flask-Mailman.

Bodies come from templates `emails/<nome>.txt` and `emails/<nome>.html` (pt-BR), so a
failed send never undoes or blocks the action that caused it.
"""
import base64
import json
import threading
from email.header import Header
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_mailman import EmailMultiAlternatives

from models import Email
from services.nucleo import segredos

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


class Mensagem(EmailMultiAlternatives):
    """Flask-Mailman folds an encoded Subject onto a line of its own, which mail readers
    decode with a leading space; the header is encoded knowing its name, on one line."""

    def message(self):
        msg = super().message()
        msg.replace_header("Subject", Header(self.assunto_limpo, "utf-8", header_name="Subject"))
        return msg

    @property
    def assunto_limpo(self):
        return " ".join(str(self.subject).split())


def url_externa(endpoint, **values):
    """Absolute address of a route at BASE_URL, for links in e-mails.

    Built from the URL map (so a renamed route cannot leave a dead link behind) with an
    adapter bound to BASE_URL: e-mails are also rendered by jobs, outside any request.
    """
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def anexos(email):
    """The attachments of a queued message as [(name, MIME type, bytes)]."""
    return [(a["nome"], a["tipo"], base64.b64decode(a["conteudo"]))
            for a in json.loads(email.anexos or "[]")]


def _fila():
    if not hasattr(_pendentes, "ids"):
        _pendentes.ids = []
    return _pendentes.ids


def retirar_fila():
    """The ids this thread queued since the last call, for `jobs.despachar` after commit."""
    ids, _pendentes.ids = _fila(), []
    segredos.esquecer()  # the request or job is over: its tokens are in the e-mails' rows
    return ids


def descartar():
    """Forget queued ids after a rollback (their rows no longer exist)."""
    _pendentes.ids = []
    segredos.esquecer()
