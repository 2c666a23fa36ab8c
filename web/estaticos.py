"""Fingerprinted static files and the other addresses built once per process."""
import functools
import hashlib
import os

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
