"""A page or its fragment (htmx), PDFs, the 303 after a POST, list cursors and the error summary."""
from flask import redirect, render_template, request, url_for
from htmx_flask import make_response

from services.nucleo import paginacao


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


def arquivo_response(dados, tipo, parte):
    """A holder's document file (services.titular.documentos.abrir), shown inline, never
    cached by the browser or a proxy."""
    resposta = make_response(dados)
    resposta.headers["Content-Type"] = tipo
    resposta.headers["Content-Disposition"] = (
        f'inline; filename="documento-{parte}.{"pdf" if tipo.endswith("pdf") else "jpg"}"')
    resposta.headers["Cache-Control"] = "private, no-store"
    return resposta


def cursores():
    """(depois, antes) of a keyset-paged list from the query string; garbage is ignored (the
    first page), and so is any page size asked for: lists use PAGE_SIZE."""
    return paginacao.cursor(request.args.get("depois")), paginacao.cursor(request.args.get("antes"))


def redirecionar(destino, **values):
    """The one way to send the browser elsewhere: `destino` is an endpoint (with its
    `values`) or an address already built ("/..."). Always 303 See Other: after a POST it is
    Post/Redirect/Get for browsers and htmx alike, and after a GET it still means "fetch
    that page instead"."""
    url = destino if destino.startswith("/") else url_for(destino, **values)
    return redirect(url, code=303)


def form_errors(form):
    """[(field id, first message)] in the order the fields appear, for the error summary."""
    return [(f.id, f.errors[0]) for f in form if f.errors and f.type != "CSRFTokenField"]


# A page number past this is no page anyone reached by "Próxima": read as the last one asked
# for, it keeps OFFSET inside what the database accepts.
MAIOR_PAGINA = 100_000


def numero_da_pagina():
    """`?pagina=` as 1..MAIOR_PAGINA; garbage is page 1."""
    texto = request.args.get("pagina", "")
    if not texto.isascii() or not texto.isdigit() or len(texto) > 9:
        return 1
    return min(max(1, int(texto)), MAIOR_PAGINA)
