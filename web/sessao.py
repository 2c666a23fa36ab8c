"""The signed-in account and the holder's links in the session: sign in, time out, end, require."""
import functools

from flask import abort, current_app, request, session

import relogio
from services.contratantes import vinculos
from services.titular import certificados
from web.paginas import redirecionar


# What grants access in a session; the CSRF token and the steps of a form stay when it ends.
SESSION_AUTH_KEYS = ("conta_id", "geracao", "links_titular", "entrou_em", "visto_em")

# "Last seen" is written at most once a minute: writing it on every request would re-sign and
# re-send the session cookie with every response. The idle timeout may end up to a minute
# early, never late.
PASSO_VISTO_EM = 60


def sign_in(conta):
    """Start a signed-in session for `conta` (a fresh cookie: no fixation)."""
    session.clear()
    session.permanent = True
    agora = relogio.segundos_reais()
    session.update(conta_id=conta.id, geracao=conta.sessao_geracao, entrou_em=agora,
                   visto_em=agora)
    request.conta = vinculos.conta_com_vinculo(conta.id)


def end_session():
    for key in SESSION_AUTH_KEYS:
        session.pop(key, None)
    request.conta = None


def current_account():
    """The signed-in Conta with its active membership (`.vinculo`), read in one query once
    per request (cached on the request itself): a papel changed or a membership removed
    counts from the next request.

    A session from before the account's last logout, password change or role change
    (an older generation) is no session at all.
    """
    if not hasattr(request, "conta"):
        conta_id = session.get("conta_id")
        conta = vinculos.conta_com_vinculo(conta_id) if isinstance(conta_id, int) else None
        if conta is not None and session.get("geracao") != conta.sessao_geracao:
            end_session()
            conta = None
        request.conta = conta
    return request.conta


def session_timeouts():
    """Idle timeout and absolute lifetime, for accounts and holder links alike."""
    if request.endpoint == "static" or not any(k in session for k in SESSION_AUTH_KEYS):
        return
    agora = relogio.segundos_reais()
    entrou_em = session.setdefault("entrou_em", agora)
    visto_em = session.get("visto_em", agora)
    if (agora - entrou_em > current_app.permanent_session_lifetime.total_seconds()
            or agora - visto_em > current_app.config["SESSION_IDLE_MINUTES"] * 60):
        end_session()
    elif agora - visto_em >= PASSO_VISTO_EM:
        session["visto_em"] = agora


def para_o_login():
    """To the login page, coming back here afterwards."""
    return redirecionar("auth.login", next=request.full_path.rstrip("?"))


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_account() is None:
            return para_o_login()
        return view(*args, **kwargs)

    return wrapped


def agente_required(view):
    """Back-office views: anyone else gets a 404, as if the page did not exist."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        conta = current_account()
        if conta is None:
            return redirecionar("auth.login", next=request.full_path.rstrip("?"))
        if not conta.is_agente:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


# The holder's session: {certificado id: link id} of the personal links this browser opened.
SESSAO_TITULAR = "links_titular"


def certificados_do_titular():
    """Numbers of the certificates opened here by personal link, when nobody is signed in."""
    if not hasattr(request, "titular_numeros"):
        ids = [int(i) for i in session.get(SESSAO_TITULAR, {})]
        request.titular_numeros = [] if current_account() is not None else (
            certificados.numeros(ids))
    return request.titular_numeros


def pode_sair():
    """Someone is signed in, or a holder's link opened a session here."""
    return current_account() is not None or bool(certificados_do_titular())
