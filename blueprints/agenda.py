"""The registration agent's "Agenda": videoconferences by day, each with the holder's request,
the accepted termo and the andamento, and the decisions: "Aprovar e emitir", "Recusar"
(with a reason) and "Não compareceu"."""
from flask import Blueprint, abort, current_app, flash, request
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.forms import Formulario, RevogarForm
from services.agendamento import agenda
from services.agendamento import decisoes
from services.agendamento.horarios import DIAS_SEMANA
from services.certificacao import emissao
from services.nucleo import entrada
import relogio
from services.nucleo.ciclo_de_vida import Ator
from services.nucleo.recusas import Recusa
from services.nucleo.ciclo_de_vida import DOCUMENTO_SITUACOES
from services.titular import documentos as docs
from services.titular import termos
from web.paginas import arquivo_response, pdf_response, redirecionar, render
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


class RecusaDocumentoForm(Formulario):
    motivo_documento = TextAreaField(
        "Motivo da recusa do documento",
        validators=[DataRequired("Informe o motivo da recusa do documento."),
                    Length(max=docs.MOTIVO_MAX,
                           message="Escreva o motivo em até 500 caracteres.")],
        render_kw={"rows": 2, "maxlength": str(docs.MOTIVO_MAX)},
    )


def _ator():
    conta = current_account()
    return Ator(f"{conta.nome}", conta.id)


@bp.get("/")
@agente_required
def index():
    hoje = relogio.hoje()
    dia = entrada.data_iso(request.args.get("dia")) or hoje
    filtro = agenda.ler_filtro(request.args.get("ponto"))
    return render(
        "agenda/index.html",
        dia=dia, hoje=hoje, dia_semana=DIAS_SEMANA[dia.weekday()],
        anterior=agenda.dia_util_vizinho(dia, -1), proximo=agenda.dia_util_vizinho(dia, 1),
        itens=agenda.do_dia(dia, filtro), proximos=agenda.proximos(hoje, filtro=filtro),
        filtro=str(filtro), filtros=agenda.filtros(),
    )


def _carregar(agendamento_id):
    carregado = agenda.carregar(agendamento_id)
    if carregado is None:
        abort(404)
    return carregado


def _detalhe(agendamento_id, form=None, erro=None, status=200, revogar_form=None,
             documento_form=None):
    agendamento, certificado = _carregar(agendamento_id)
    dados = agenda.detalhe(agendamento, certificado, relogio.agora(),
                           int(current_app.config["AGENDA_ACAO_AGENTE_MINUTOS"]))
    pode_revogar = dados.pop("pode_revogar")
    return render(
        "agenda/detalhe.html", None, status,
        agendamento=agendamento, certificado=certificado, **dados,
        form=form or RecusaForm(formdata=None), erro=erro,
        revogar_form=(revogar_form or RevogarForm(formdata=None)) if pode_revogar else None,
        documentos=docs.para_agente(certificado.id), partes=docs.PARTES,
        situacoes_documento=DOCUMENTO_SITUACOES,
        documento_form=documento_form or RecusaDocumentoForm(formdata=None),
    )


@bp.get("/<id:agendamento_id>")
@agente_required
def detalhe(agendamento_id):
    return _detalhe(agendamento_id)


def _termo_pdf(agendamento_id):
    _, certificado = _carregar(agendamento_id)
    termo_ = termos.termo_aceito(certificado.id)
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
    return redirecionar("agenda.detalhe", agendamento_id=agendamento_id)


@bp.post("/<id:agendamento_id>/aprovar")
@agente_required
def aprovar(agendamento_id):
    _carregar(agendamento_id)
    if not Formulario().validate_on_submit():
        abort(400)
    return _decidir(
        agendamento_id,
        lambda: decisoes.aprovar(agendamento_id, relogio.agora(), _ator(), current_app.config),
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
        lambda: decisoes.recusar(agendamento_id, form.motivo.data, relogio.agora(), _ator(),
                                 current_app.config),
        "Validação recusada. O titular recebeu por e-mail o motivo e o link para corrigir "
        "e reagendar.")


@bp.post("/<id:agendamento_id>/compareceu")
@agente_required
def compareceu(agendamento_id):
    _carregar(agendamento_id)
    if not Formulario().validate_on_submit():
        abort(400)
    return _decidir(
        agendamento_id,
        lambda: decisoes.registrar_comparecimento(agendamento_id, relogio.agora(), _ator(),
                                                  current_app.config),
        "Comparecimento registrado. Confira o documento original e aprove ou recuse.")


@bp.post("/<id:agendamento_id>/nao-compareceu")
@agente_required
def nao_compareceu(agendamento_id):
    _carregar(agendamento_id)
    if not Formulario().validate_on_submit():
        abort(400)
    return _decidir(
        agendamento_id,
        lambda: decisoes.registrar_ausencia(agendamento_id, relogio.agora(), _ator(),
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
    return redirecionar("agenda.detalhe", agendamento_id=agendamento_id)


# --- the holder's identity document, checked ahead of the call ---------------------------

@bp.get("/<id:agendamento_id>/documentos/<id:arquivo_id>")
@agente_required
def documento(agendamento_id, arquivo_id):
    _, certificado = _carregar(agendamento_id)
    aberto = docs.abrir(arquivo_id, certificado, _ator(), current_app.config)
    if aberto is None:
        abort(404)
    return arquivo_response(*aberto)


@bp.post("/<id:agendamento_id>/documentos/<id:envio_id>/aprovar")
@agente_required
def aprovar_documento(agendamento_id, envio_id):
    _, certificado = _carregar(agendamento_id)
    if not Formulario().validate_on_submit():
        abort(400)
    return _decidir(agendamento_id, lambda: docs.aprovar(certificado, envio_id, _ator()),
                    "Documento aprovado.")


@bp.post("/<id:agendamento_id>/documentos/<id:envio_id>/recusar")
@agente_required
def recusar_documento(agendamento_id, envio_id):
    _, certificado = _carregar(agendamento_id)
    form = RecusaDocumentoForm()
    if not form.validate_on_submit():
        return _detalhe(agendamento_id, status=422, documento_form=form)
    return _decidir(
        agendamento_id,
        lambda: docs.recusar(certificado, envio_id, form.motivo_documento.data, _ator(),
                             current_app.config),
        "Documento recusado. O titular recebeu por e-mail o motivo e o link para enviar de novo.")
