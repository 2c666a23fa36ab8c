"""The back office's pontos de atendimento of the in-person validation: list, create, edit,
remove (refused while a ponto has active bookings)."""
from flask import Blueprint, abort, flash
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from blueprints.forms import Formulario
from services.agendamento import pontos
from services.nucleo.recusas import NaoEncontrado, Recusa
from services.titular.pessoa import UFS
from web.paginas import redirecionar, render
from web.sessao import agente_required

bp = Blueprint("pontos", __name__, url_prefix="/agenda/pontos")


class PontoForm(Formulario):
    # Checked by services.agendamento.pontos.conferir; the browser's limits only help.
    nome = StringField("Nome do ponto", render_kw={"maxlength": "80"})
    endereco = StringField("Endereço", render_kw={"maxlength": "160"})
    cidade = StringField("Cidade", render_kw={"maxlength": "60"})
    uf = SelectField("UF", validate_choice=False, choices=[SelectChoice("", "Selecione")] + [
        SelectChoice(sigla, f"{sigla} — {nome}") for sigla, nome in UFS.items()])
    # Plain text: a phone's numeric keypad has no ":", and type=time is a tiny target.
    abre = StringField("Abre às", default="08:00", render_kw={"maxlength": "5"})
    fecha = StringField("Fecha às", default="18:00", render_kw={"maxlength": "5"})
    capacidade = StringField("Atendimentos por horário", default="2",
                             render_kw={"inputmode": "numeric", "maxlength": "3"})
    feriados = TextAreaField("Feriados do ponto", render_kw={"rows": 4, "maxlength": "3000"})

    def dados(self):
        return pontos.DadosPonto(self.nome.data, self.endereco.data, self.cidade.data,
                                 self.uf.data, self.abre.data, self.fecha.data,
                                 self.capacidade.data, self.feriados.data)


def _ponto(ponto_id):
    try:
        return pontos.obter(ponto_id)
    except NaoEncontrado:
        abort(404)


def _salvar(form, fazer, sucesso):
    """Validate, then let the service decide; its refusal goes next to the field. True when
    saved."""
    if not form.validate_on_submit():
        return False
    try:
        fazer(form.dados())
    except Recusa as recusa:
        form[recusa.campo].errors = [recusa.mensagem]
        return False
    flash(sucesso, "sucesso")
    return True


@bp.get("/")
@agente_required
def index():
    return render("pontos/index.html", pontos=pontos.todos(),
                  endereco=pontos.endereco_completo)


@bp.route("/novo", methods=["GET", "POST"])
@agente_required
def novo():
    form = PontoForm()
    if _salvar(form, pontos.criar, "Ponto de atendimento cadastrado."):
        return redirecionar("pontos.index")
    return render("pontos/form.html", None, 422 if form.errors else 200, form=form, ponto=None)


@bp.route("/<id:ponto_id>", methods=["GET", "POST"])
@agente_required
def editar(ponto_id):
    ponto = _ponto(ponto_id)
    form = PontoForm(obj=ponto)
    if not form.is_submitted():
        form.feriados.data = pontos.feriados_texto(ponto)
    if _salvar(form, lambda dados: pontos.editar(ponto, dados),
               "Ponto de atendimento alterado."):
        return redirecionar("pontos.index")
    return render("pontos/form.html", None, 422 if form.errors else 200, form=form, ponto=ponto)


@bp.post("/<id:ponto_id>/remover")
@agente_required
def remover(ponto_id):
    ponto = _ponto(ponto_id)
    if not Formulario().validate_on_submit():
        abort(400)
    try:
        pontos.remover(ponto)
    except Recusa as recusa:
        return render("pontos/index.html", None, 409, pontos=pontos.todos(),
                      endereco=pontos.endereco_completo, erro=recusa.mensagem,
                      erro_ponto=ponto.id)
    flash(f"{ponto.nome} removido. Os atendimentos já feitos continuam no histórico.", "sucesso")
    return redirecionar("pontos.index")
