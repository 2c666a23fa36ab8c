"""Fingerprinted static files and the other addresses built once per process."""
import functools
import hashlib
import os
import re

from flask import current_app, request, url_for


@functools.lru_cache(maxsize=64)
def _digest(path, mtime):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


def static_url(filename):
    """URL of a static file with a content hash, so it can be cached as immutable."""
    return url_fixa(_static_url, filename)


def _static_url(filename):
    path = os.path.join(current_app.static_folder, filename)
    try:
        version = _digest(path, os.stat(path).st_mtime)
    except FileNotFoundError:
        version = "0"
    return url_for("static", filename=filename, v=version)


def url_fixa(construir, *chave):
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


# A stand-in no real id or number takes, to find where the value goes in an address.
_MARCADOR = 7_130_000_000_000_000_003
_SEGURO = re.compile(r"[0-9A-Za-z_.-]+\Z")


def _molde(endpoint, parametro, fixos):
    url = url_for(endpoint, **{parametro: _MARCADOR}, **dict(fixos))
    prefixo, marcador, sufixo = url.partition(str(_MARCADOR))
    if not marcador or str(_MARCADOR) in sufixo:
        raise ValueError(f"{endpoint}: {parametro} não aparece uma vez no endereço")
    return prefixo, sufixo


def url_por_linha(endpoint, parametro, **fixos):
    """For a list: `url_por_linha("financeiro.boleto", "boleto_id")(b.id)` is
    `url_for("financeiro.boleto", boleto_id=b.id)`. The address is built once per process with
    a stand-in, and each row only puts its value in: url_for cost ~5 µs a call, and a page of
    boletos or responsáveis calls it about a hundred times. A value that would need quoting
    goes through url_for."""
    prefixo, sufixo = url_fixa(_molde, endpoint, parametro, tuple(sorted(fixos.items())))

    def url(valor):
        texto = str(valor)
        if _SEGURO.match(texto):
            return f"{prefixo}{texto}{sufixo}"
        return url_for(endpoint, **{parametro: valor}, **fixos)

    return url
