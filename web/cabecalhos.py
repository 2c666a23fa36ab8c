"""Security and cache headers on every answer; the query string's bounds on every request."""
import functools

from flask import abort, current_app, request

from services.nucleo import entrada


@functools.lru_cache(maxsize=8)
def _de_seguranca(origens, depuracao):
    """(name, value) of the security headers, written once per configuration."""
    ancestrais = " ".join(origens) or "'none'"
    cabecalhos = [
        ("Content-Security-Policy",
         "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         f"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestrais}"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
    if not depuracao:
        # Browsers that saw the site once never again try plain HTTP (a year, every subdomain).
        cabecalhos.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return tuple(cabecalhos)


def security_headers(response):
    # One pass over the headers a view set (it may set its own of these), then one extend:
    # a setdefault per header cost 40 µs of every request.
    presentes = {nome.lower() for nome in response.headers.keys()}
    novos = [(nome, valor) for nome, valor in _de_seguranca(
        tuple(current_app.config["EMBED_ORIGINS"]), current_app.debug)
        if nome.lower() not in presentes]
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
    elif "cache-control" not in presentes:
        # Personal pages: never kept by a proxy or CDN cache or shown from disk after logout.
        novos.append(("Cache-Control", "no-store"))
    if "vary" in presentes:
        response.vary.add("Sec-Fetch-Dest")
    else:
        novos.append(("Vary", "Sec-Fetch-Dest"))
    response.headers.extend(novos)
    return response


# Query strings are short and printable; each view then reads its own types. `next` is
# only ever read through auth._safe_next, which drops a bad one and carries on.
MAX_QUERY_VALOR = 500


def query_string_segura():
    for nome, valores in request.args.lists():
        for valor in valores:
            if nome != "next" and (len(valor) > MAX_QUERY_VALOR or entrada.tem_controle(valor)):
                abort(400)
