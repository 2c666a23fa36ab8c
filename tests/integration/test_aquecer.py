"""gunicorn's master compiles every template before forking (gunicorn.conf.py, when_ready):
a worker, at start or recycled after GUNICORN_MAX_REQUESTS, renders its first pages without
compiling any."""
import pytest

from web import aquecer


def test_after_the_warm_up_no_page_compiles_a_template(app, client, demo):
    aquecer(app)
    assert len(app.jinja_env.cache) == len(app.jinja_env.list_templates())

    def compilar(*_, **__):
        pytest.fail("a template was compiled after the warm-up")

    app.jinja_env.compile = compilar
    paginas = ["/", "/entrar", "/ajuda/", "/nao-existe"]
    for url in paginas:
        assert client.get(url).status_code in (200, 404)
    print(f"{len(app.jinja_env.cache)} templates compiled; {len(paginas)} pages rendered "
          "without compiling")
