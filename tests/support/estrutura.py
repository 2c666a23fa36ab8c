"""The layout's promises, read from a checkout as counts (tests/unit/test_estrutura.py).

Run as a script on any checkout to print them: `python tests/support/estrutura.py [DIR]`.
"""
import ast
import os
import re
import sys

RAIZ_PADRAO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOLTOS_NA_RAIZ = {"app.py", "models.py", "gunicorn.conf.py"}
CAMADAS = ("services", "blueprints", "web")
CICLO_DE_VIDA = os.path.join("services", "nucleo", "ciclo_de_vida.py")
# `situacao == "x"`, `situacao != 'x'`, `situacao in ("x", ...)`, `situacao not in [...]`
_ESTADO_LITERAL = re.compile(r"situacao\s*(?:==|!=|(?:not\s+)?in\s*[\(\[{])\s*[\"']")
_DATA_EM_LINHA = re.compile(r"%d/%m|%H:%M")
_FORMATOS = {os.path.join("services", "nucleo", "formatacao.py"), os.path.join("web", "filtros.py")}


def _arquivos(raiz, pasta, fim):
    for base, pastas, nomes in os.walk(os.path.join(raiz, pasta)):
        pastas[:] = [p for p in pastas if p not in ("__pycache__", "node_modules", ".venv")]
        for nome in nomes:
            if nome.endswith(fim):
                yield os.path.relpath(os.path.join(base, nome), raiz)


def _importa(raiz, caminho):
    """The module names `caminho` imports (absolute imports only, as the project writes)."""
    with open(os.path.join(raiz, caminho), encoding="utf-8") as f:
        arvore = ast.parse(f.read())
    for no in ast.walk(arvore):
        if isinstance(no, ast.Import):
            yield from (a.name for a in no.names)
        elif isinstance(no, ast.ImportFrom) and no.module and not no.level:
            yield no.module
            yield from (f"{no.module}.{a.name}" for a in no.names)


def _linhas(raiz, caminho):
    with open(os.path.join(raiz, caminho), encoding="utf-8") as f:
        return sum(1 for _ in f)


def contagens(raiz=RAIZ_PADRAO):
    soltos = sorted(n for n in os.listdir(raiz)
                    if n.endswith(".py") and os.path.isfile(os.path.join(raiz, n)))
    servicos_soltos = sorted(n for n in os.listdir(os.path.join(raiz, "services"))
                             if n.endswith(".py") and n != "__init__.py")
    modulos = [c for camada in CAMADAS for c in _arquivos(raiz, camada, ".py")
               if os.path.exists(os.path.join(raiz, c))]
    if os.path.exists(os.path.join(raiz, "web.py")):
        modulos.append("web.py")
    maior = max(modulos, key=lambda c: _linhas(raiz, c))
    blueprints = list(_arquivos(raiz, "blueprints", ".py"))
    blueprints_com_models = sorted(c for c in blueprints if "models" in set(_importa(raiz, c)))
    blueprint_a_blueprint = sorted(
        c for c in blueprints if any(m.startswith("blueprints.") and m != "blueprints.forms"
                                     and not m.startswith("blueprints.forms")
                                     for m in _importa(raiz, c)))
    python = [c for pasta in ("services", "blueprints", "web", "filas", "cli", "banco",
                              "configuracao") for c in _arquivos(raiz, pasta, ".py")]
    python += [n for n in ("app.py", "models.py", "web.py", "jobs.py", "access.py", "database.py")
               if os.path.exists(os.path.join(raiz, n))]
    templates = list(_arquivos(raiz, "templates", ".html"))

    def achados(padrao, caminhos, exceto=()):
        lista = []
        for c in caminhos:
            if c in exceto:
                continue
            with open(os.path.join(raiz, c), encoding="utf-8") as f:
                for numero, linha in enumerate(f, 1):
                    if padrao.search(linha):
                        lista.append(f"{c}:{numero}")
        return lista

    para_cima = sorted(
        f"{c} -> {m}" for c in python for m in _importa(raiz, c)
        if (c == "models.py" and m.startswith("services"))
        or (c.startswith(("banco", "database.py")) and m.startswith("services"))
        or (c.startswith("services") and m.split(".")[0] in ("web", "blueprints")))
    return {
        "módulos soltos na raiz": soltos,
        "módulos soltos em services/": servicos_soltos,
        "maior módulo (services, blueprints, web)": (maior, _linhas(raiz, maior)),
        "blueprints que importam models": blueprints_com_models,
        "blueprints que importam outro blueprint": blueprint_a_blueprint,
        "comparações literais de situação (Python)": achados(_ESTADO_LITERAL, python,
                                                            exceto={CICLO_DE_VIDA,
                                                                    "services/lifecycle.py"}),
        "comparações literais de situação (templates)": achados(_ESTADO_LITERAL, templates),
        "formatos de data em linha": achados(_DATA_EM_LINHA, python + templates, exceto=_FORMATOS),
        "importações para cima": para_cima,
    }


def resumo(raiz=RAIZ_PADRAO):
    linhas = []
    for nome, valor in contagens(raiz).items():
        if nome.startswith("maior"):
            linhas.append(f"{nome}: {valor[1]} linhas ({valor[0]})")
        else:
            linhas.append(f"{nome}: {len(valor)}")
    return "\n".join(linhas)


if __name__ == "__main__":
    print(resumo(sys.argv[1] if len(sys.argv) > 1 else RAIZ_PADRAO))
