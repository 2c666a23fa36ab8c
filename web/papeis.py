"""The role gate of the web: a view names the action it performs, and only a responsável
whose papel allows it in the active contratante gets in (services.contratantes.papeis).

Someone not signed in goes to the login page; a papel that may not gets the 403 page naming
the papéis that may. Templates ask `pode(acao)` the same question, so nothing is offered
that would be refused.
"""
import functools

from flask import current_app

from services.contratantes import vinculos
from web.sessao import current_account, para_o_login


def requer(acao):
    """`acao` is an action of services.contratantes.papeis, or a function of the request
    that returns one (the same form buys or renews)."""
    def decorador(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            conta = current_account()
            if conta is None:
                return para_o_login()
            vinculos.exigir(conta, acao() if callable(acao) else acao)
            return view(*args, **kwargs)

        wrapped.acao_exigida = acao
        return wrapped

    return decorador


def pode(acao):
    """For templates: may the signed-in person do `acao` in the active contratante?"""
    return vinculos.pode(current_account(), acao)


def pode_abrir(endpoint):
    """May the signed-in person open `endpoint`? Asks the action its view declares (a view
    without `requer` is open to anyone who reaches it), so links follow the same gate."""
    acao = getattr(current_app.view_functions.get(endpoint), "acao_exigida", None)
    return acao is None or callable(acao) or pode(acao)
