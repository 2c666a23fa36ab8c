"""A list's per-row addresses (web.estaticos.url_por_linha) are the ones url_for builds, for
ids, certificate and process numbers, a query parameter, and a value that needs quoting."""
from flask import url_for

from web.estaticos import url_por_linha


def test_each_row_gets_the_address_url_for_would_build(app):
    casos = [("financeiro.boleto", "boleto_id", [1, 42, 2 ** 63 - 1], {}),
             ("certificados.gerenciar", "numero", ["2026000001-01", "7"], {}),
             ("pedidos.processo", "numero", ["2026000001"], {}),
             ("loja.index", "renovar", ["2026000001-01"], {}),
             ("agenda.index", "dia", ["2026-12-07"], {"ponto": 3}),
             ("certificados.gerenciar", "numero", ["a b/ç?", "", "x&y=1"], {})]
    conferidos = 0
    with app.test_request_context("/"):
        for endpoint, parametro, valores, fixos in casos:
            url = url_por_linha(endpoint, parametro, **fixos)
            for valor in valores:
                assert url(valor) == url_for(endpoint, **{parametro: valor}, **fixos)
                conferidos += 1
    print(f"{conferidos} endereços iguais aos do url_for")
