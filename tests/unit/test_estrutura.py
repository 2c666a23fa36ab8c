"""The layout a maintainer reads at a glance, held as counts (tests/support/estrutura.py)."""
from tests.support import estrutura


def test_the_layout_keeps_its_promises():
    contagens = estrutura.contagens()
    print("\n" + estrutura.resumo())
    assert set(contagens["módulos soltos na raiz"]) <= estrutura.SOLTOS_NA_RAIZ
    assert len(contagens["módulos soltos em services/"]) <= 8
    assert contagens["maior módulo (services, blueprints, web)"][1] <= 350
    for promessa in ("blueprints que importam models", "blueprints que importam outro blueprint",
                     "comparações literais de situação (Python)",
                     "comparações literais de situação (templates)",
                     "formatos de data em linha", "importações para cima"):
        assert contagens[promessa] == [], promessa
