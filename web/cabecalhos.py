"""Security and cache headers on every answer; the query string's bounds on every request."""
from flask import abort, current_app, request

from services.nucleo import entrada


def security_headers(response):
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


def query_string_segura():
    for nome, valores in request.args.lists():
        for valor in valores:
            if nome != "next" and (len(valor) > MAX_QUERY_VALOR or entrada.tem_controle(valor)):
                abort(400)
