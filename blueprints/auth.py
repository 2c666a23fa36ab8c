"""Sign in with CPF and password, sign out."""
import functools
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, ValidationError

from extensions import limiter
from models import Conta
from services.pessoa import clean_cpf
from web import current_account, render

bp = Blueprint("auth", __name__)


def cpf_field(label="CPF"):
    return StringField(
        label,
        validators=[InputRequired("Informe o CPF.")],
        render_kw={"autocomplete": "username", "inputmode": "numeric", "spellcheck": "false",
                   "maxlength": "18"},
    )


def validate_cpf(form, field):
    """WTForms validator: accepts dots and dash, keeps what was typed, stores 11 digits."""
    try:
        field.cpf = clean_cpf(field.data)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class LoginForm(FlaskForm):
    cpf = cpf_field()
    senha = PasswordField(
        "Senha",
        validators=[InputRequired("Informe a senha.")],
        render_kw={"autocomplete": "current-password"},
    )

    def validate_cpf(self, field):
        validate_cpf(self, field)


@functools.cache
def _dummy_hash():
    """Checked when the CPF is unknown, so both answers take the same time."""
    return generate_password_hash("senha-que-nunca-confere")


def _safe_next(target):
    """Only a path on this site: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/entrar", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_account() is not None and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")) or url_for("inicio.index"))
    form = LoginForm()
    if form.validate_on_submit():
        conta = Conta.get_or_none(Conta.cpf == form.cpf.cpf)
        senha_ok = check_password_hash(conta.senha_hash if conta and conta.senha_hash
                                       else _dummy_hash(), form.senha.data)
        if conta is not None and senha_ok:
            session.clear()
            session.permanent = True
            session["conta_id"] = conta.id
            destino = _safe_next(request.args.get("next")) or url_for("inicio.index")
            return redirect(destino, code=303)
        form.senha.errors.append("CPF ou senha inválidos.")
    status = 422 if form.errors else 200
    return render("auth/login.html", form=form, status=status)


@bp.post("/sair")
def logout():
    session.clear()
    return redirect(url_for("auth.login"), code=303)
