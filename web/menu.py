"""The menu: what each visitor may open, built once per process."""
from flask import request, url_for

from services.contratantes import vinculos
from web.estaticos import url_fixa
from web.sessao import certificados_do_titular, current_account

ANONIMO_OU_COMPRA = "anonimo_ou_comprar"
AGENTE = "agente"
CONTA = "conta"

# (label, endpoint, who sees it: None for everyone, an action of the papéis
# (services.contratantes.papeis), AGENTE, CONTA for anyone signed in, or ANONIMO_OU_COMPRA).
MENU = [
    ("Solicite agora", "loja.index", ANONIMO_OU_COMPRA),
    ("Meus Pedidos", "pedidos.index", "ver_pedidos"),
    ("Solicitação de Certificado Digital", "certificados.index", "ver_certificados"),
    ("Financeiro", "financeiro.index", "ver_financeiro"),
    ("Propostas", "propostas.index", "ver_financeiro"),
    ("Vencimentos", "vencimentos.index", "ver_vencimentos"),
    ("Organização", "organizacao.index", "ver_organizacao"),
    ("Agenda", "agenda.index", AGENTE),
    ("Pontos de atendimento", "pontos.index", AGENTE),
    ("Pagamentos", "pagamentos.index", AGENTE),
    ("Ajuda", "ajuda.index", None),
    ("Minha conta", "conta.index", CONTA),
]


def _ve(conta, quem):
    if quem is None:
        return True
    if quem == CONTA:
        return conta is not None
    if quem == AGENTE:
        return conta is not None and conta.is_agente
    if quem == ANONIMO_OU_COMPRA:
        return conta is None or vinculos.pode(conta, "comprar")
    return vinculos.pode(conta, quem)


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
    atual = (request.blueprint or "") + "."
    return [
        {"rotulo": rotulo, "url": url_fixa(url_for, endpoint), "atual": endpoint.startswith(atual)}
        for rotulo, endpoint, quem in MENU if _ve(conta, quem)
    ]
