"""Meus Pedidos → Consulta Processos de Compra: the buyer follows each purchase."""
from flask import Blueprint, current_app, render_template, request, url_for

from services.contratantes import posse
from services.titular import andamento
from services.pagamento import processos
from services.nucleo.paginacao import cursor
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES
from web.paginas import cursores, render
from web.papeis import pode_abrir, requer
from web.sessao import current_account

bp = Blueprint("pedidos", __name__, url_prefix="/pedidos")

# What the buyer sees as each certificate's next step, and where it is done (if anywhere).
PROXIMO_PASSO = {
    "aguardando_pagamento": ("Pagar o boleto", "financeiro.index", {}),
    "disponivel": ("Atribuir o certificado", "certificados.gerenciar", {"cert": True}),
    "atribuido": ("Aguardando o titular preencher a solicitação", "certificados.gerenciar",
                  {"cert": True}),
    "solicitado": ("Agendar a videoconferência", "certificados.gerenciar", {"cert": True}),
    "agendado": ("Participar da videoconferência", "certificados.gerenciar", {"cert": True}),
    "pendente_correcao": ("Corrigir os dados da solicitação", "certificados.gerenciar",
                          {"cert": True}),
    "emitido": ("Certificado emitido", "certificados.gerenciar", {"cert": True}),
    "revogado": ("Certificado revogado", "certificados.gerenciar", {"cert": True}),
    "cancelado": ("Compra cancelada", None, {}),
}


def proximo_passo(certificado):
    texto, endpoint, args = PROXIMO_PASSO[certificado.situacao]
    url = None
    if endpoint and pode_abrir(endpoint):
        url = url_for(endpoint, numero=certificado.numero) if args.get("cert") else url_for(endpoint)
    return texto, url


@bp.get("/")
@requer('ver_pedidos')
def index():
    return render_template("pedidos/index.html")


@bp.get("/processos")
@requer('ver_pedidos')
def processos_lista():
    busca = request.args.get("q", "")
    resultado = processos.listar(current_account(), busca, current_app.config["PAGE_SIZE"],
                                 *cursores())
    return render("pedidos/processos.html", "pedidos/_processos_resultados.html",
                  resultado=resultado, busca=busca)


@bp.get("/processos/<numero>")
@requer('ver_pedidos')
def processo(numero):
    processo = posse.processo_do(current_account(), numero)
    certificados = processos.certificados(processo)
    eventos, anteriores = processos.eventos(processo, cursor(request.args.get("andamento_antes")))
    return render_template(
        "pedidos/processo.html",
        processo=processo,
        certificados=[(c, CERTIFICADO_SITUACOES[c.situacao], *proximo_passo(c))
                      for c in certificados],
        boletos=processos.boletos(processo),
        eventos=[(e, andamento.titulo(e), andamento.situacao(e)) for e in eventos],
        andamento_anterior=anteriores and url_for(
            "pedidos.processo", numero=numero, andamento_antes=anteriores, _anchor="andamento"),
        andamento_recente=request.args.get("andamento_antes") and url_for(
            "pedidos.processo", numero=numero, _anchor="andamento"),
        numeros={c.id: c.numero for c in certificados},
    )
