"""Inside an <iframe>: the host draws header and footer; a frame that keeps no cookie is told so."""
from flask import current_app, g, request, session, url_for


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


def marcar_quadro():
    """Before every request: a page inside an <iframe> drops its own header/footer (the host
    site draws them), and the first framed GET sets the cookie /quadro/sessao reads back."""
    g.embedded = (request.headers.get("Sec-Fetch-Dest") == "iframe"
                  or request.args.get("embed") == "1")
    if g.embedded and request.method == "GET" and not session.get(SONDA_QUADRO):
        # Read back by /quadro/sessao: missing there means the frame keeps no cookie.
        session[SONDA_QUADRO] = True
