"""The menu: what each visitor may open, built once per process."""
from flask import request, url_for

from models import Conta
from web.estaticos import url_fixa
from web.sessao import certificados_do_titular, current_account


# (label, endpoint, who sees it: None for everyone, a role, or "conta" for anyone signed in).
MENU = [
    ("Solicite agora", "loja.index", None),
    ("Meus Pedidos", "pedidos.index", Conta.COMPRADOR),
    ("Solicitação de Certificado Digital", "certificados.index", Conta.COMPRADOR),
    ("Financeiro", "financeiro.index", Conta.COMPRADOR),
    ("Agenda", "agenda.index", Conta.AGENTE),
    ("Pagamentos", "pagamentos.index", Conta.AGENTE),
    ("Ajuda", "ajuda.index", None),
    ("Minha conta", "conta.index", "conta"),
]


def menu_items():
    conta = current_account()
    numeros = certificados_do_titular()
    if numeros:
        # The holder opened the e-mail's link: their certificate and help, never the buyer's.
        aberto = (request.view_args or {}).get("numero")
        return [{"rotulo": "Meu certificado" if len(numeros) == 1 else f"Certificado {n}",
                 "url": url_for("titular.certificado", numero=n), "atual": n == aberto}
                for n in numeros] + [
            {"rotulo": "Ajuda", "url": url_for("ajuda.index"),
             "atual": request.blueprint == "ajuda"}]
    papel = conta.papel if conta else None
    atual = (request.blueprint or "") + "."
    return [
        {"rotulo": rotulo, "url": url_fixa(url_for, endpoint), "atual": endpoint.startswith(atual)}
        for rotulo, endpoint, quem in MENU
        if quem is None or quem == papel or (quem == "conta" and conta is not None)
    ]
