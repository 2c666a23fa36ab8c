"""'Minha conta': who is signed in, and "Sair de todos os aparelhos"."""
import click
from flask import Blueprint, flash, session

from services import contas
from web import current_account, login_required, redirect_see_other, render

bp = Blueprint("conta", __name__)


@bp.get("/conta/")
@login_required
def index():
    return render("conta/index.html", conta=current_account())


@bp.post("/conta/sair-de-todos-os-aparelhos")
@login_required
def sair_de_todos():
    contas.encerrar_sessoes(current_account().id)
    session.clear()
    flash("Você saiu da Área do Cliente em todos os aparelhos. Entre de novo para continuar.",
          "sucesso")
    return redirect_see_other("auth.login")


@bp.cli.command("papel")
@click.argument("cpf")
@click.argument("papel", type=click.Choice(contas.PAPEIS))
def papel_cli(cpf, papel):
    """Torna a conta do CPF compradora ou agente; as sessões abertas dela terminam."""
    from models import db
    from services.pessoa import clean_cpf

    with db.connection_context():
        try:
            conta = contas.mudar_papel(clean_cpf(cpf), papel)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"{conta.nome}: agora {papel}; as sessões abertas desta conta terminaram.")
