"""What every page shares: the page-or-fragment decision, the signed-in account,
security and cache headers, fingerprinted static files, pt-BR filters and error pages."""
import functools
import hashlib
import os
from datetime import date, datetime, timedelta, timezone

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from htmx_flask import make_response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from peewee import InterfaceError, OperationalError

from database import BancoIndisponivel
from models import Certificado, Conta
from services import agenda, boletos, entrada, febraban, formatting, paginacao, relogio
from services.mail import url_externa
from services.lifecycle import (BOLETO_SITUACOES, CERTIFICADO_SITUACOES, PROCESSO_SITUACOES,
                                TransicaoInvalida)
from services.relogio import TZ


# --- page or fragment -------------------------------------------------------------------

def wants_fragment():
    """True for an htmx request that swaps part of a page (not a history restore)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render(page, fragment=None, status=200, **context):
    """Render the full page, or only `fragment` (a template the page includes) for htmx.

    The answer differs by HX-Request, so caches are told (Vary).
    """
    template = fragment if fragment and wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def pdf_response(data, filename):
    """A PDF shown in the browser's viewer (opened in a new tab by the links to it)."""
    response = make_response(bytes(data))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


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


def cursores():
    """(depois, antes) of a keyset-paged list from the query string; garbage is ignored (the
    first page), and so is any page size asked for: lists use PAGE_SIZE."""
    return paginacao.cursor(request.args.get("depois")), paginacao.cursor(request.args.get("antes"))


def redirect_see_other(endpoint, **values):
    """303 after a successful POST (Post/Redirect/Get), for browsers and htmx alike."""
    return redirect(url_for(endpoint, **values), code=303)


# --- the signed-in account --------------------------------------------------------------

# What grants access in a session; the CSRF token and the steps of a form stay when it ends.
SESSION_AUTH_KEYS = ("conta_id", "geracao", "links_titular", "entrou_em", "visto_em")


def sign_in(conta):
    """Start a signed-in session for `conta` (a fresh cookie: no fixation)."""
    session.clear()
    session.permanent = True
    agora = relogio.segundos_reais()
    session.update(conta_id=conta.id, geracao=conta.sessao_geracao, entrou_em=agora,
                   visto_em=agora)
    request.conta = conta


def end_session():
    for key in SESSION_AUTH_KEYS:
        session.pop(key, None)
    request.conta = None


def current_account():
    """The signed-in Conta, looked up once per request (cached on the request itself).

    A session from before the account's last logout, password change or role change
    (an older generation) is no session at all.
    """
    if not hasattr(request, "conta"):
        conta_id = session.get("conta_id")
        conta = Conta.get_or_none(Conta.id == conta_id) if conta_id else None
        if conta is not None and session.get("geracao") != conta.sessao_geracao:
            end_session()
            conta = None
        request.conta = conta
    return request.conta


def _session_timeouts():
    """Idle timeout and absolute lifetime, for accounts and holder links alike."""
    if request.endpoint == "static" or not any(k in session for k in SESSION_AUTH_KEYS):
        return
    agora = relogio.segundos_reais()
    entrou_em = session.setdefault("entrou_em", agora)
    visto_em = session.get("visto_em", agora)
    if (agora - entrou_em > current_app.permanent_session_lifetime.total_seconds()
            or agora - visto_em > current_app.config["SESSION_IDLE_MINUTES"] * 60):
        end_session()
    else:
        session["visto_em"] = agora


def para_o_login():
    """To the login page, coming back here afterwards."""
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


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
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not conta.is_agente:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


# --- static files -----------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _digest(path, mtime):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


def static_url(filename):
    """URL of a static file with a content hash, so it can be cached as immutable."""
    return _url_fixa(_static_url, filename)


def _static_url(filename):
    path = os.path.join(current_app.static_folder, filename)
    try:
        version = _digest(path, os.stat(path).st_mtime)
    except FileNotFoundError:
        version = "0"
    return url_for("static", filename=filename, v=version)


def _url_fixa(construir, *chave):
    """An address that cannot change while the process runs (a static file and its hash, a
    menu entry) is built once per application root: building URLs was a tenth of a page's
    time (bench/RESULTS.md). In debug, built every time, so an edited file gets a new hash."""
    if current_app.debug:
        return construir(*chave)
    urls = current_app.extensions.setdefault("urls_fixas", {})
    indice = (request.script_root, construir, *chave)
    if indice not in urls:
        urls[indice] = construir(*chave)
    return urls[indice]


# --- pt-BR presentation -----------------------------------------------------------------

def local_datetime(value):
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(TZ)


def format_datetime(value):
    local = local_datetime(value)
    return local.strftime("%d/%m/%Y %H:%M") if local else ""


def format_date(value):
    if isinstance(value, datetime):
        value = local_datetime(value).date()
    return formatting.format_date(value) if isinstance(value, date) else ""


# --- menu and forms ---------------------------------------------------------------------

# (label, endpoint, who sees it: None for everyone, a role, or "conta" for anyone signed in).
MENU = [
    ("Solicite agora", "loja.index", None),
    ("Meus Pedidos", "pedidos.index", Conta.COMPRADOR),
    ("Solicitação de Certificado Digital", "certificados.index", Conta.COMPRADOR),
    ("Financeiro", "financeiro.index", Conta.COMPRADOR),
    ("Agenda", "agenda.index", Conta.AGENTE),
    ("Pagamentos", "pagamentos.index", Conta.AGENTE),
    ("Ajuda", "ajuda.index", None),
    ("Minha conta", "conta.index", "conta"),
]


# The holder's session: {certificado id: link id} of the personal links this browser opened.
SESSAO_TITULAR = "links_titular"


def certificados_do_titular():
    """Numbers of the certificates opened here by personal link, when nobody is signed in."""
    if not hasattr(request, "titular_numeros"):
        ids = [int(i) for i in session.get(SESSAO_TITULAR, {})]
        request.titular_numeros = [] if current_account() is not None or not ids else [
            c.numero for c in Certificado.select(Certificado.numero)
            .where(Certificado.id.in_(ids)).order_by(Certificado.numero)]
    return request.titular_numeros


def menu_items():
    conta = current_account()
    numeros = certificados_do_titular()
    if numeros:
        # The holder opened the e-mail's link: their certificate and help, never the buyer's.
        aberto = (request.view_args or {}).get("numero")
        return [{"rotulo": "Meu certificado" if len(numeros) == 1 else f"Certificado {n}",
                 "url": url_for("titular.certificado", numero=n), "atual": n == aberto}
                for n in numeros] + [
            {"rotulo": "Ajuda", "url": url_for("ajuda.index"),
             "atual": request.blueprint == "ajuda"}]
    papel = conta.papel if conta else None
    atual = (request.blueprint or "") + "."
    return [
        {"rotulo": rotulo, "url": _url_fixa(url_for, endpoint), "atual": endpoint.startswith(atual)}
        for rotulo, endpoint, quem in MENU
        if quem is None or quem == papel or (quem == "conta" and conta is not None)
    ]


SONDA_QUADRO = "quadro"


def sem_cookie_no_quadro():
    """A framed request that arrived without the session cookie the portal had set."""
    return g.get("embedded") and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies


def url_nova_aba():
    """This page's address for a top-level tab (where the browser keeps cookies)."""
    args = {k: v for k, v in request.args.items() if k != "embed"}
    if not request.endpoint:
        return url_for("inicio.index")
    return url_for(request.endpoint, **{**args, **(request.view_args or {})})


def pode_sair():
    """Someone is signed in, or a holder's link opened a session here."""
    return current_account() is not None or bool(certificados_do_titular())


def horario_atendimento():
    """'das 8h às 18h': the service hours, which are the agenda's (AGENDA_INICIO, AGENDA_FIM)."""
    def hora(texto):
        h, m = texto.split(":")
        return f"{int(h)}h{m if m != '00' else ''}"

    config = current_app.config
    return f"das {hora(config['AGENDA_INICIO'])} às {hora(config['AGENDA_FIM'])}"


def form_errors(form):
    """[(field id, first message)] in the order the fields appear, for the error summary."""
    return [(f.id, f.errors[0]) for f in form if f.errors and f.type != "CSRFTokenField"]


# --- wiring -----------------------------------------------------------------------------

def _security_headers(response):
    origins = " ".join(current_app.config["EMBED_ORIGINS"]) or "'none'"
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {origins}",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not current_app.debug:
        # Browsers that saw the site once never again try plain HTTP (a year, every subdomain).
        response.headers.setdefault("Strict-Transport-Security",
                                    "max-age=31536000; includeSubDomains")
    if request.endpoint == "static":
        # Our static files are small: load them so they are compressed whole (a streamed
        # file would be compressed chunk by chunk and its handle left open).
        if response.direct_passthrough:
            stream = response.response
            data = b"".join(stream)
            if hasattr(stream, "close"):
                stream.close()
            response.direct_passthrough = False
            response.set_data(data)
        if request.args.get("v"):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    elif "Cache-Control" not in response.headers:
        # Personal pages: never kept by a proxy or CDN cache or shown from disk after logout.
        response.headers["Cache-Control"] = "no-store"
    response.vary.add("Sec-Fetch-Dest")
    return response


# Query strings are short and printable; each view then reads its own types. `next` is
# only ever read through auth._safe_next, which drops a bad one and carries on.
MAX_QUERY_VALOR = 500


def _query_string_segura():
    for nome, valores in request.args.lists():
        for valor in valores:
            if nome != "next" and (len(valor) > MAX_QUERY_VALOR or entrada.tem_controle(valor)):
                abort(400)


def init_app(app):
    app.before_request(_query_string_segura)
    app.before_request(_session_timeouts)
    app.after_request(_security_headers)

    @app.before_request
    def _embedded():
        # A page inside an <iframe> drops its own header/footer: the host site draws them.
        g.embedded = (request.headers.get("Sec-Fetch-Dest") == "iframe"
                      or request.args.get("embed") == "1")
        if g.embedded and request.method == "GET" and not session.get(SONDA_QUADRO):
            # Read back by /quadro/sessao: missing there means the frame keeps no cookie.
            session[SONDA_QUADRO] = True

    app.jinja_env.globals.update(
        static_url=static_url,
        url_pdf=url_pdf,
        menu_items=menu_items,
        pode_sair=pode_sair,
        url_nova_aba=url_nova_aba,
        form_errors=form_errors,
        wants_fragment=wants_fragment,
        current_account=current_account,
        url_externa=url_externa,
        horario_atendimento=horario_atendimento,
        CERTIFICADO_SITUACOES=CERTIFICADO_SITUACOES,
        PROCESSO_SITUACOES=PROCESSO_SITUACOES,
        BOLETO_SITUACOES=BOLETO_SITUACOES,
        JANELA_DIAS=boletos.JANELA_DIAS,
    )
    app.jinja_env.filters.update(
        brl=formatting.format_brl,
        data=format_date,
        data_hora=format_datetime,
        cpf=formatting.format_cpf,
        cpf_mascarado=formatting.mask_cpf,
        linha_digitavel=febraban.format_digitable_line,
        duracao=lambda minutos: agenda.duration_text(timedelta(minutes=minutos)),
    )

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    for error in (BancoIndisponivel, OperationalError, InterfaceError):
        app.register_error_handler(error, _banco_indisponivel)
    app.register_error_handler(TransicaoInvalida, _transicao_invalida)


_ERRORS = {
    400: ("Pedido inválido", "O formulário enviado não pôde ser lido. Volte, recarregue a "
          "página e tente de novo."),
    403: ("Acesso negado", "Você não tem permissão para esta ação."),
    404: ("Página não encontrada", "O endereço pode estar errado, ou o item não existe ou não "
          "pertence à sua conta."),
    405: ("Ação não permitida", "Use os botões da página para continuar."),
    413: ("Envio grande demais", "O que foi enviado passa do tamanho permitido. Volte e "
          "envie menos dados."),
    429: ("Muitas tentativas", "Aguarde alguns minutos e tente novamente."),
    500: ("Erro no sistema", "Algo deu errado do nosso lado e nada foi alterado. Tente de novo "
          "em alguns minutos."),
}


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    titulo, mensagem = _ERRORS.get(code, _ERRORS[500])
    sem_cookie = False
    if code == 400 and "CSRF" in str(getattr(error, "description", "")):
        mensagem = ("Sua sessão expirou ou o formulário ficou aberto por muito tempo. "
                    "Recarregue a página e envie de novo.")
        # In a frame that keeps no cookie, reloading never helps: say so, offer a new tab.
        sem_cookie = sem_cookie_no_quadro()
        if sem_cookie:
            titulo, mensagem = "Não foi possível continuar neste quadro", ""
    return render_template("erro.html", titulo=titulo, mensagem=mensagem, codigo=code,
                           quadro_sem_cookie=sem_cookie), code


def _banco_indisponivel(error):
    """Database unreachable (at connect or mid-request): a 503 that asks to retry, for
    pages and htmx alike, rendered without touching the database."""
    request.conta = None
    response = make_response(render_template(
        "erro.html", titulo="Sistema indisponível no momento",
        mensagem="Não conseguimos acessar nossos dados agora e nada foi alterado. Tente de "
                 "novo em 1 minuto.", codigo=503), 503)
    response.headers["Retry-After"] = "60"
    return response


def _transicao_invalida(error):
    """A refused state move a view did not handle itself: say why, change nothing (409)."""
    return render_template("erro.html", titulo="Ação não realizada", mensagem=str(error),
                           codigo=409), 409
