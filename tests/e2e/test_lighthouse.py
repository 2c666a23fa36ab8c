"""Lighthouse (mobile) on the public pages a visitor lands on: accessibility, best practices and
SEO at least 0.95, performance at least 0.9. Prints the four scores and the audits that cost points.
Performance (total blocking time, above all) swings with the machine's load, so a page short of
it gets one more run and keeps the better one.

Runs the npm `lighthouse` (devDependency) against Debian's Chromium, only on 127.0.0.1.
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.ambiente import TEST_CONFIG
from tests.support.navegador import CHROMIUM, CHROMIUM_FLAGS, servidor_demo

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGINAS = ["/entrar", "/ajuda/", "/solicite-agora/"]
CATEGORIAS = ["performance", "accessibility", "best-practices", "seo"]
MINIMO = {"performance": 0.9, "accessibility": 0.95, "best-practices": 0.95, "seo": 0.95}


def lighthouse(url):
    saida = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--form-factor=mobile", "--output=json",
         "--output-path=stdout", "--only-categories=" + ",".join(CATEGORIAS),
         "--chrome-flags=" + " ".join(["--headless", *CHROMIUM_FLAGS])],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(saida.stdout)


def falhas(relatorio, categoria):
    """The audits that cost points in a category, to name them when the score is short."""
    return [ref["id"] for ref in relatorio["categories"][categoria]["auditRefs"]
            if ref["weight"] and (relatorio["audits"][ref["id"]]["score"] or 0) < 1]


def test_paginas_publicas_passam_no_lighthouse(tmp_path):
    if not LIGHTHOUSE.exists() or not os.path.exists(CHROMIUM):
        reason = f"{LIGHTHOUSE} or {CHROMIUM} missing (run `npm ci`): Lighthouse skipped"
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(reason + " (E2E_REQUIRED is set)")
        print(reason)
        pytest.skip(reason)
    notas = {}
    with servidor_demo({**TEST_CONFIG, "WTF_CSRF_ENABLED": True}, tmp_path) as server:
        for caminho in PAGINAS:
            relatorio = lighthouse(server.url + caminho)
            nota = {c: relatorio["categories"][c]["score"] for c in CATEGORIAS}
            print(f"Lighthouse {caminho}: " + ", ".join(f"{c} {nota[c]:.2f}" for c in CATEGORIAS)
                  + "".join(f"; {c} perde em {falhas(relatorio, c)}" for c in CATEGORIAS
                            if nota[c] < 1))
            if nota["performance"] < MINIMO["performance"]:
                outra = lighthouse(server.url + caminho)["categories"]["performance"]["score"]
                print(f"Lighthouse {caminho}: performance de novo {outra:.2f}")
                nota["performance"] = max(nota["performance"], outra)
            notas[caminho] = nota
    for caminho, nota in notas.items():
        for categoria, minimo in MINIMO.items():
            assert nota[categoria] >= minimo, (caminho, categoria, nota[categoria])
