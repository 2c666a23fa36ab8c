"""The registration agent's "Agenda": videoconferences by day, each with the holder's request,
the accepted termo and the andamento, and the decisions: "Aprovar e emitir", "Recusar"
(with a reason) and "Não compareceu"."""
from datetime import datetime, time, timedelta

from flask import Blueprint, abort, current_app, flash, request
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.forms import Formulario
from models import Agendamento, Certificado, Evento, Horario, ProcessoCompra, Solicitacao
from services.agendamento import calendario
from blueprints.emissao import RevogarForm
from services.agendamento import reservas
from services.titular import andamento
from services.certificacao import emissao
from services.nucleo import entrada
from services.nucleo import formatacao
import relogio
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES, Ator, pode
from services.nucleo.recusas import Recusa
from relogio import TZ
from web.paginas import pdf_response, redirect_see_other, render
from web.pdf_assinado import pdf_liberado
from web.sessao import agente_required, current_account

bp = Blueprint("agenda", __name__, url_prefix="/agenda")


class RecusaForm(Formulario):
    motivo = TextAreaField(
        "Motivo da recusa",
        validators=[DataRequired("Informe o motivo da recusa."),
                    Length(max=500, message="Escreva o motivo em até 500 caracteres.")],
        render_kw={"rows": 3, "maxlength": "500"},
    )


def _ator():
    conta = current_account()
    return Ator(f"{conta.nome}", conta.id)


def _resultado(agendamento, certificado):
    """How a booking ended, in the agent's words."""
    if agendamento.situacao == Agendamento.ATIVO:
        return "Aguardando videoconferência"
    if agendamento.situacao == "nao_compareceu":
        return "Titular não compareceu"
    if agendamento.situacao == "realizado":
        return "Aprovado e emitido" if certificado.situacao == "emitido" else "Recusado"
    return {"cancelado": "Cancelada pelo titular",
            "reagendado": "Reagendada pelo titular"}.get(agendamento.situacao, "")


def _dia_util_vizinho(dia, passo):
    d = dia + timedelta(days=passo)
    while not calendario.is_business_day(d):
        d += timedelta(days=passo)
    return d


def _nomes(certificado_ids):
    nomes = {}
    for s in (Solicitacao.select(Solicitacao.certificado, Solicitacao.nome)
              .where(Solicitacao.certificado.in_(list(certificado_ids)))
              .order_by(Solicitacao.id)):
        nomes[s.certificado_id] = s.nome
    return nomes


@bp.get("/")
@agente_required
def index():
    hoje = relogio.hoje()
    dia = entrada.data_iso(request.args.get("dia")) or hoje
    de = reservas.para_banco(datetime.combine(dia, time.min, TZ))
    ate = reservas.para_banco(datetime.combine(dia + timedelta(days=1), time.min, TZ))
    itens = list(
        Agendamento.select(Agendamento, Horario, Certificado).join(Horario)
        .switch(Agendamento).join(Certificado)
        .where((Horario.inicio >= de) & (Horario.inicio < ate)
               & Agendamento.situacao.not_in(["cancelado", "reagendado"]))
        .order_by(Horario.inicio, Agendamento.id))
    nomes = _nomes({a.certificado_id for a in itens})
    # Days ahead that have videoconferences still to do, to jump straight to them.
    futuros = (Agendamento.select(Horario.inicio).join(Horario)
               .where((Agendamento.situacao == Agendamento.ATIVO)
                      & (Horario.inicio >= reservas.para_banco(
                          datetime.combine(hoje, time.min, TZ))))
               .order_by(Horario.inicio).tuples())
    proximos = {}
    for (inicio,) in futuros:
        local = reservas.do_banco(inicio).date()
        proximos[local] = proximos.get(local, 0) + 1
    return render(
        "agenda/index.html",
        dia=dia, hoje=hoje, dia_semana=reservas.DIAS_SEMANA[dia.weekday()],
        anterior=_dia_util_vizinho(dia, -1), proximo=_dia_util_vizinho(dia, 1),
        itens=[{"agendamento": a,
                "hora": formatacao.format_time(reservas.do_banco(a.horario.inicio)),
                "nome": nomes.get(a.certificado_id) or "Titular",
                "certificado": a.certificado, "resultado": _resultado(a, a.certificado)}
               for a in itens],
        proximos=[(d, reservas.DIAS_SEMANA[d.weekday()], n)
                  for d, n in list(proximos.items())[:10]],
    )


def _carregar(agendamento_id):
    agendamento = (Agendamento.select(Agendamento, Horario).join(Horario)
                   .where(Agendamento.id == agendamento_id).first())
    if agendamento is None:
        abort(404)
    certificado = (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                   .where(Certificado.id == agendamento.certificado_id).get())
    return agendamento, certificado


def _detalhe(agendamento_id, form=None, erro=None, status=200, revogar_form=None):
    agendamento, certificado = _carregar(agendamento_id)
    solicitacao = (reservas.solicitacao_de(certificado.id)
                   or Solicitacao.select().where(Solicitacao.certificado == certificado.id)
                   .order_by(Solicitacao.id.desc()).first())
    minutos = int(current_app.config["AGENDA_ACAO_AGENTE_MINUTOS"])
    inicio = reservas.do_banco(agendamento.horario.inicio)
    eventos = list(Evento.select().where(Evento.certificado == certificado.id)
                   .order_by(Evento.criado_em, Evento.id))
    ativo = agendamento.situacao == Agendamento.ATIVO and certificado.situacao == "agendado"
    return render(
        "agenda/detalhe.html", None, status,
        agendamento=agendamento, certificado=certificado, solicitacao=solicitacao,
        situacao=CERTIFICADO_SITUACOES[certificado.situacao],
        resultado=_resultado(agendamento, certificado),
        quando=reservas.descrever(inicio), dia_iso=inicio.date().isoformat(),
        termo=reservas.termo_aceito(certificado.id),
        eventos=[(e, andamento.titulo(e), andamento.situacao(e)) for e in eventos],
        ativo=ativo,
        liberado=ativo and reservas.agente_pode_agir(agendamento, relogio.agora(), minutos),
        libera_em=formatacao.format_time(inicio - timedelta(minutes=minutos)), minutos=minutos,
        form=form or RecusaForm(formdata=None), erro=erro,
        revogar_form=(revogar_form or RevogarForm(formdata=None))
        if pode(certificado.situacao, "revogar") else None,
    )


@bp.get("/<id:agendamento_id>")
@agente_required
def detalhe(agendamento_id):
    return _detalhe(agendamento_id)


def _termo_pdf(agendamento_id):
    _, certificado = _carregar(agendamento_id)
    termo_ = reservas.termo_aceito(certificado.id)
    if termo_ is None:
        abort(404)
    return pdf_response(termo_.pdf, f"termo-{certificado.numero}-v{termo_.versao}.pdf")


_termo_da_sessao = agente_required(_termo_pdf)


@bp.get("/<id:agendamento_id>/termo.pdf")
def termo(agendamento_id):
    # A signed address (url_pdf) opens in a new tab outside the frame; else the agent's session.
    if pdf_liberado() == agendamento_id:
        return _termo_pdf(agendamento_id)
    return _termo_da_sessao(agendamento_id)


def _decidir(agendamento_id, fazer, sucesso):
    try:
        fazer()
    except Recusa as recusa:
        return _detalhe(agendamento_id, erro=recusa.mensagem, status=409)
    flash(sucesso, "sucesso")
    return redirect_see_other("agenda.detalhe", agendamento_id=agendamento_id)


@bp.post("/<id:agendamento_id>/aprovar")
@agente_required
def aprovar(agendamento_id):
    _carregar(agendamento_id)
    if not Formulario().validate_on_submit():
        abort(400)
    return _decidir(
        agendamento_id,
        lambda: reservas.aprovar(agendamento_id, relogio.agora(), _ator(), current_app.config),
        "Certificado aprovado e emitido. O titular recebeu por e-mail os próximos passos.")


@bp.post("/<id:agendamento_id>/recusar")
@agente_required
def recusar(agendamento_id):
    _carregar(agendamento_id)
    form = RecusaForm()
    if not form.validate_on_submit():
        return _detalhe(agendamento_id, form=form, status=422)
    return _decidir(
        agendamento_id,
        lambda: reservas.recusar(agendamento_id, form.motivo.data, relogio.agora(), _ator(),
                                     current_app.config),
        "Validação recusada. O titular recebeu por e-mail o motivo e o link para corrigir "
        "e reagendar.")


@bp.post("/<id:agendamento_id>/nao-compareceu")
@agente_required
def nao_compareceu(agendamento_id):
    _carregar(agendamento_id)
    if not Formulario().validate_on_submit():
        abort(400)
    return _decidir(
        agendamento_id,
        lambda: reservas.registrar_ausencia(agendamento_id, relogio.agora(), _ator(),
                                                current_app.config),
        "Ausência registrada. O titular recebeu um e-mail para agendar outra data.")


@bp.post("/<id:agendamento_id>/revogar")
@agente_required
def revogar(agendamento_id):
    _, certificado = _carregar(agendamento_id)
    form = RevogarForm()
    if not form.validate_on_submit():
        return _detalhe(agendamento_id, status=422, revogar_form=form)
    try:
        emissao.revogar(certificado, form.motivo.data, _ator(), current_app.config)
    except Recusa as recusa:
        return _detalhe(agendamento_id, erro=recusa.mensagem, status=409)
    flash("Certificado revogado. Ele já consta da lista de certificados revogados.", "sucesso")
    return redirect_see_other("agenda.detalhe", agendamento_id=agendamento_id)
