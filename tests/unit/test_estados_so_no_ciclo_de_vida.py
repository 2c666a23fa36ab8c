"""States are compared only in services/nucleo/ciclo_de_vida.py.

Everywhere else (Python and templates) a `situacao` is asked to the lifecycle's predicates
and named sets; a comparison with a quoted state would drift from the state machine unseen.
"""
import ast
from pathlib import Path

from jinja2 import Environment, nodes

RAIZ = Path(__file__).resolve().parents[2]
CICLO_DE_VIDA = Path("services/nucleo/ciclo_de_vida.py")
# Tests spell states out on purpose; the bench generator writes raw rows; a migration must
# keep meaning what it meant when it ran, whatever the lifecycle becomes.
FORA = {"tests", "bench", "migrations", "node_modules"}
# Jinja tests that compare like an operator: `x is eq "emitido"`, `x is in [...]`.
TESTES_DE_COMPARACAO = {"eq", "equalto", "==", "ne", "!=", "sameas", "in"}


def _estado_py(no):
    if isinstance(no, ast.Name):
        return "situacao" in no.id
    if isinstance(no, ast.Attribute):
        return "situacao" in no.attr
    return (isinstance(no, ast.Subscript) and isinstance(no.slice, ast.Constant)
            and no.slice.value == "situacao")


def _literal_py(no):
    if isinstance(no, (ast.Tuple, ast.List, ast.Set)):
        return any(_literal_py(e) for e in no.elts)
    return isinstance(no, ast.Constant) and isinstance(no.value, str)


def _comparacoes_py(arvore):
    for no in ast.walk(arvore):
        if isinstance(no, ast.Compare):
            lados = [no.left, *no.comparators]
            if any(map(_estado_py, lados)) and any(map(_literal_py, lados)):
                yield no.lineno
        elif isinstance(no, ast.Call):  # peewee: Model.situacao.in_(("a", "b"))
            funcao = no.func
            if (isinstance(funcao, ast.Attribute) and funcao.attr in ("in_", "not_in")
                    and _estado_py(funcao.value) and any(map(_literal_py, no.args))):
                yield no.lineno
        elif isinstance(no, ast.Match) and _estado_py(no.subject):
            if any(isinstance(p, ast.MatchValue) and _literal_py(p.value)
                   for caso in no.cases for p in ast.walk(caso.pattern)):
                yield no.lineno


def _estado_jinja(no):
    return ((isinstance(no, nodes.Name) and "situacao" in no.name)
            or (isinstance(no, nodes.Getattr) and "situacao" in no.attr))


def _literal_jinja(no):
    if isinstance(no, (nodes.Tuple, nodes.List)):
        return any(_literal_jinja(e) for e in no.items)
    return isinstance(no, nodes.Const) and isinstance(no.value, str)


def _comparacoes_jinja(arvore):
    for no in arvore.find_all(nodes.Compare):
        lados = [no.expr, *(op.expr for op in no.ops)]
        if any(map(_estado_jinja, lados)) and any(map(_literal_jinja, lados)):
            yield no.lineno
    for no in arvore.find_all(nodes.Test):
        if (no.name in TESTES_DE_COMPARACAO and _estado_jinja(no.node)
                and any(map(_literal_jinja, no.args))):
            yield no.lineno


def _arquivos_python():
    for topo in sorted(RAIZ.iterdir()):
        if topo.name in FORA or topo.name.startswith("."):  # .venv, .git
            continue
        yield from [topo] if topo.suffix == ".py" else sorted(topo.rglob("*.py"))


def comparacoes_literais():
    """["path:line"] of every comparison of a situacao with a quoted string."""
    achados = []
    for caminho in _arquivos_python():
        relativo = caminho.relative_to(RAIZ)
        if relativo == CICLO_DE_VIDA:
            continue
        arvore = ast.parse(caminho.read_text(encoding="utf-8"), str(relativo))
        achados += [f"{relativo}:{linha}" for linha in sorted(set(_comparacoes_py(arvore)))]
    ambiente = Environment()
    for caminho in sorted(c for c in (RAIZ / "templates").rglob("*")
                          if c.suffix in (".html", ".txt")):  # e-mails are text too
        arvore = ambiente.parse(caminho.read_text(encoding="utf-8"))
        relativo = caminho.relative_to(RAIZ)
        achados += [f"{relativo}:{linha}" for linha in sorted(set(_comparacoes_jinja(arvore)))]
    return achados


def test_the_scanner_sees_every_form_of_comparison():
    python = ast.parse('a = x.situacao == "pago"\nb = "pago" != situacao\n'
                       'c = d["situacao"] in ("a", "b")\nq = M.situacao.not_in(["a"])\n'
                       'match e.situacao:\n    case "a": pass\n'
                       'ok = x.situacao == ciclo.PAGO or x.situacao in ciclo.PAGAVEIS\n')
    assert sorted(_comparacoes_py(python)) == [1, 2, 3, 4, 5]
    jinja = Environment().parse('{% if c.situacao == "a" %}{% endif %}\n'
                                "{{ 1 if situacao in ['a'] }}\n"
                                '{% if c.situacao is eq "a" %}{% endif %}\n'
                                "{% if c.situacao is emitido %}{% endif %}")
    assert sorted(_comparacoes_jinja(jinja)) == [1, 2, 3]


def test_no_state_is_compared_outside_the_lifecycle():
    achados = comparacoes_literais()
    resumo = f"{len(achados)} comparações literais de situacao fora do ciclo de vida"
    print(resumo)
    assert not achados, (f"{resumo}: ask services.nucleo.ciclo_de_vida (a predicate or a named "
                         "set) instead of a quoted state:\n" + "\n".join(achados))
