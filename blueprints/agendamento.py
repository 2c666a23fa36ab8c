"""The holder books the validation videoconference: eligibility, day, time, confirmation;
then sees, reschedules or cancels the booking. In person ("Atendimento presencial", for
anyone, the only way without eligibility): UF → city → ponto (links), then the same day,
time and confirmation pages with `ponto` in the query string (and the form).

Without JavaScript: day page → times page → confirmation page → booking. With htmx,
choosing a day swaps its times into the day page (same URL, fragment).
"""
from flask import Blueprint, abort, current_app, flash, render_template, request
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from blueprints.forms import Formulario
from services.agendamento import avisos
from services.agendamento import calendario
from services.agendamento import horarios as slots
from services.agendamento import pontos
from services.agendamento import reservas
from services.agendamento.reservas import AgendamentoRecusado, HorarioEsgotado
from services.nucleo import entrada
import relogio
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES, TransicaoInvalida
from services.nucleo import formatacao
from services.nucleo.recusas import NaoEncontrado
from relogio import TZ
from web.acesso_titular import acesso_titular
from web.paginas import redirecionar, render

bp = Blueprint("agendamento", __name__)
PREFIXO = "/titular/<numero>/agendamento"


class ElegibilidadeForm(Formulario):
    elegivel = RadioField(
        "Você tem algum deles?",
        choices=[
            SelectChoice("cnh", "Sim, tenho CNH emitida ou renovada a partir de 2017"),
            SelectChoice("certificado",
                         "Sim, já tive um certificado ICP-Brasil emitido com biometria"),
            SelectChoice("nao", "Não tenho nenhum dos dois"),
        ],
        validators=[InputRequired("Responda se você tem CNH emitida a partir de 2017 ou um "
                                  "certificado anterior emitido com biometria.")],
    )


class ConfirmarForm(Formulario):
    inicio = HiddenField()
    ponto = HiddenField()  # in person: the ponto de atendimento's id
    acao = HiddenField()  # agendar | reagendar: a stale "agendar" tab cannot double-book


class _Contexto:
    """What every page of the flow needs about the certificate."""

    def __init__(self, numero, presencial=False):
        self.acesso = acesso_titular(numero)
        self.certificado = self.acesso.certificado
        self.numero = self.certificado.numero
        self.ponto = _ponto_pedido()
        self.ponto_id = self.ponto and self.ponto.id
        self.cfg_base = slots.config_agenda(current_app.config)
        self.cfg = reservas.config_de(self.cfg_base, self.ponto)
        self.situacao = reservas.situacao(self.certificado, relogio.agora(), self.cfg,
                                          presencial=presencial or self.ponto is not None)
        self.solicitacao = self.situacao.solicitacao
        self.agendamento = self.situacao.agendamento

    @property
    def reagendando(self):
        return self.situacao.reagendando

    @property
    def pode_escolher(self):
        return self.situacao.pode_escolher

    def base(self, **extra):
        return {"certificado": self.certificado, "numero": self.numero,
                "situacao": CERTIFICADO_SITUACOES[self.certificado.situacao],
                "solicitacao": self.solicitacao, "agendamento": self.agendamento,
                "reagendando": self.reagendando, "duracao": self.cfg.minutos_por_horario,
                "ponto": self.ponto, "ponto_id": self.ponto_id,
                "endereco": self.ponto and pontos.endereco_completo(self.ponto), **extra}


def _ponto_pedido():
    """The ponto of `?ponto=` (or the form's), None for the videoconference; 404 if unknown."""
    valor = request.values.get("ponto")
    if not valor:
        return None
    try:
        return pontos.obter(entrada.ler_id(valor))
    except NaoEncontrado:
        abort(404)


def _dia_rotulo(d):
    return {"iso": d.isoformat(), "rotulo": f"{slots.DIAS_SEMANA[d.weekday()]}, "
                                            f"{formatacao.format_day_month(d)}", "data": d}


def _parse_inicio(valor):
    """A time from the form, read in Brasília time; None if it is not a date-time at all."""
    local = entrada.data_hora_iso(valor)
    if local is None:
        return None
    if local.tzinfo is None:
        local = local.replace(tzinfo=TZ)
    return local


def _horarios_ctx(ctx, dia):
    livres = slots.horarios_livres(relogio.agora(), dia, ctx.cfg, ctx.ponto_id) if dia else []
    return {"dia": _dia_rotulo(dia) if dia else None,
            "horarios": [{"valor": h.replace(tzinfo=None).isoformat(timespec="minutes"),
                          "hora": formatacao.format_time(h)} for h in livres]}


def _seletor(ctx, dia=None, erro=None, status=200):
    """The day picker page, with the times of `dia` when one is chosen (or kept after an error)."""
    dias = [_dia_rotulo(d) for d in slots.dias_livres(relogio.agora(), ctx.cfg, ctx.ponto_id)]
    if dia is not None and dia not in [d["data"] for d in dias]:
        dia = None
    return render("agendamento/dias.html", None, status,
                  **ctx.base(dias=dias, erro=erro, **_horarios_ctx(ctx, dia)))


# --- entry: the summary, the eligibility question or the day picker ----------------------

@bp.get(PREFIXO)
def inicio(numero):
    ctx = _Contexto(numero)
    passo = ctx.situacao.proximo_passo
    if passo == "resumo":
        return _resumo(ctx)
    if passo == "indisponivel":
        return render_template("agendamento/indisponivel.html", **ctx.base())
    if passo == "elegibilidade":
        return redirecionar("agendamento.elegibilidade", numero=ctx.numero)
    if passo == "presencial":
        return _presencial(ctx)
    return _seletor(ctx)


def _resumo(ctx, erro=None, status=200):
    inicio_ = slots.do_banco(ctx.agendamento.horario.inicio)
    local = reservas.ponto_de(ctx.agendamento)
    return render_template(
        "agendamento/resumo.html",
        **ctx.base(quando=slots.descrever(inicio_), erro=erro, pode_alterar=ctx.pode_escolher,
                   prazo=calendario.texto_da_duracao(ctx.cfg.antecedencia_alteracao),
                   local=local, local_endereco=local and pontos.endereco_completo(local),
                   mapa=local and pontos.mapa_url(local),
                   tenha_em_maos=avisos.TENHA_EM_MAOS_PRESENCIAL if local
                   else avisos.TENHA_EM_MAOS)), status


def _presencial(ctx):
    """UF → city → ponto, each a list of links (`?uf=`, `&cidade=`)."""
    ufs = pontos.ufs()
    uf = request.args.get("uf") if request.args.get("uf") in dict(ufs) else None
    cidades = pontos.cidades(uf) if uf else []
    cidade = request.args.get("cidade") if request.args.get("cidade") in cidades else None
    return render_template(
        "agendamento/presencial.html", ufs=ufs, uf=uf, cidades=cidades, cidade=cidade,
        pontos_=pontos.da_cidade(uf, cidade) if cidade else [],
        endereco_de=pontos.endereco_completo, **ctx.base())


@bp.get(PREFIXO + "/presencial")
def presencial(numero):
    ctx = _Contexto(numero, presencial=True)
    if not ctx.pode_escolher:
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    return _presencial(ctx)


@bp.route(PREFIXO + "/elegibilidade", methods=["GET", "POST"])
def elegibilidade(numero):
    ctx = _Contexto(numero)
    if not ctx.situacao.pode_agendar:
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    atual = ctx.solicitacao.elegivel_video
    form = ElegibilidadeForm(data={"elegivel": None if atual is None else
                                   ("cnh" if atual else "nao")})
    if form.validate_on_submit():
        try:
            reservas.registrar_elegibilidade(ctx.certificado, ctx.solicitacao,
                                             form.elegivel.data != "nao")
        except TransicaoInvalida:
            pass  # booked meanwhile: the start page shows the booking
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    status = 422 if form.errors else 200
    return render("agendamento/elegibilidade.html", None, status, form=form, **ctx.base())


# --- day → time → confirmation ---------------------------------------------------------

@bp.get(PREFIXO + "/dias")
def dias(numero):
    ctx = _Contexto(numero)
    if not ctx.pode_escolher:
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    return _seletor(ctx)


@bp.get(PREFIXO + "/horarios")
def horarios(numero):
    ctx = _Contexto(numero)
    if not ctx.pode_escolher:
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    dia = entrada.data_iso(request.args.get("dia"))
    if dia is None or dia not in slots.dias_livres(relogio.agora(), ctx.cfg, ctx.ponto_id):
        return _seletor(ctx, erro="Este dia não tem horários livres. Escolha um dos dias abaixo.",
                        status=422)
    return render("agendamento/horarios.html", "agendamento/_horarios.html",
                  **ctx.base(**_horarios_ctx(ctx, dia)))


def _recusa_escolha(ctx, inicio_, erro, status=422):
    """Refuse a chosen time: the picker again, fresh, with that day's remaining times."""
    dia = inicio_.astimezone(TZ).date() if inicio_ else None
    return _seletor(ctx, dia=dia, erro=erro, status=status)


@bp.get(PREFIXO + "/confirmar")
def confirmar(numero):
    ctx = _Contexto(numero)
    if not ctx.pode_escolher:
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    inicio_ = _parse_inicio(request.args.get("inicio"))
    if inicio_ is None:
        return _recusa_escolha(ctx, None, "Escolha um dos horários disponíveis.")
    try:
        reservas.conferir_horario(relogio.agora(), inicio_, ctx.cfg_base, ctx.ponto)
    except AgendamentoRecusado as recusa:
        return _recusa_escolha(ctx, inicio_, recusa.mensagem)
    local = inicio_.astimezone(TZ).replace(tzinfo=None)
    form = ConfirmarForm(data={"inicio": local.isoformat(timespec="minutes"),
                               "ponto": ctx.ponto_id or "",
                               "acao": "reagendar" if ctx.reagendando else "agendar"})
    return render_template("agendamento/confirmar.html", form=form,
                           quando=slots.descrever(inicio_),
                           tenha_em_maos=avisos.TENHA_EM_MAOS_PRESENCIAL if ctx.ponto
                           else avisos.TENHA_EM_MAOS, **ctx.base())


@bp.post(PREFIXO + "/confirmar")
def agendar(numero):
    ctx = _Contexto(numero)
    form = ConfirmarForm()
    if not form.validate_on_submit():
        abort(400)
    inicio_ = _parse_inicio(form.inicio.data)
    try:
        reservas.conferir_acao(form.acao.data, ctx.situacao)
    except AgendamentoRecusado as recusa:
        return _resumo(ctx, erro=recusa.mensagem, status=409)
    if not ctx.pode_escolher:
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    if inicio_ is None:
        return _recusa_escolha(ctx, None, "Escolha um dos horários disponíveis.")
    try:
        if ctx.reagendando:
            reservas.reagendar(ctx.certificado, inicio_, relogio.agora(), ctx.acesso.ator,
                               current_app.config, ponto=ctx.ponto)
            flash(f"{_o_que(ctx)} reagendad{_genero(ctx)}. Enviamos o novo horário e o convite "
                  "por e-mail.", "sucesso")
        else:
            reservas.agendar(ctx.certificado, inicio_, relogio.agora(), ctx.acesso.ator,
                             current_app.config, ponto=ctx.ponto)
            flash(f"{_o_que(ctx)} agendad{_genero(ctx)}. Enviamos a confirmação e o convite "
                  "por e-mail.", "sucesso")
    except HorarioEsgotado as erro:
        return _recusa_escolha(_Contexto(numero), inicio_, erro.mensagem, status=409)
    except AgendamentoRecusado as erro:
        novo = _Contexto(numero)
        if novo.reagendando and not ctx.reagendando:
            return _resumo(novo, erro=erro.mensagem, status=409)
        return _recusa_escolha(novo, inicio_, erro.mensagem)
    except TransicaoInvalida as erro:
        novo = _Contexto(numero)
        if novo.reagendando:
            return _resumo(novo, erro=str(erro), status=409)
        return render_template("agendamento/indisponivel.html", erro=str(erro),
                               **novo.base()), 409
    return redirecionar("agendamento.inicio", numero=ctx.numero)


def _o_que(ctx):
    return "Atendimento presencial" if ctx.ponto else "Videoconferência"


def _genero(ctx):
    return "o" if ctx.ponto else "a"


# --- cancel ------------------------------------------------------------------------------

@bp.route(PREFIXO + "/cancelar", methods=["GET", "POST"])
def cancelar(numero):
    ctx = _Contexto(numero)
    if not ctx.reagendando:
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    form = Formulario()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            reservas.cancelar(ctx.certificado, relogio.agora(), ctx.acesso.ator,
                              current_app.config)
        except (AgendamentoRecusado, TransicaoInvalida) as erro:
            return _resumo(_Contexto(numero), erro=erro.mensagem, status=409)
        cancelado = ("Atendimento presencial cancelado" if reservas.ponto_de(ctx.agendamento)
                     else "Videoconferência cancelada")
        flash(f"{cancelado}. Sua solicitação continua salva: agende uma nova data quando "
              "quiser.", "sucesso")
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    if not ctx.pode_escolher:
        return redirecionar("agendamento.inicio", numero=ctx.numero)
    inicio_ = slots.do_banco(ctx.agendamento.horario.inicio)
    return render_template("agendamento/cancelar.html", form=form,
                           quando=slots.descrever(inicio_),
                           local=reservas.ponto_de(ctx.agendamento), **ctx.base())


# --- the meeting room address ------------------------------------------------------------

@bp.get("/videoconferencia/<codigo>")
def sala(codigo):
    """Landing page of the default meeting address (no personal data on it)."""
    if len(codigo) > 40:
        abort(404)
    agendamento = reservas.na_sala(codigo)
    if agendamento is None:
        abort(404)
    return render_template("agendamento/sala.html", quando=slots.descrever(
        slots.do_banco(agendamento.horario.inicio)))
