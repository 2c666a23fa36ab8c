"""The one way a form validates, and the forms several pages share.

`limpo` turns a domain cleaning function (`services/pessoa.py`'s `clean_*`, `entrada.ler_*`,
or one a service gives) into a WTForms validator: its Portuguese message goes next to the
field and the cleaned value is kept in `field.limpo` for the view to hand to the service.
Every form derives from `Formulario`, which refuses control characters and overlong text in
any field before anything else reads it.
"""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, StopValidation, ValidationError

from services.certificacao.emissao import MOTIVOS_TITULAR
from services.nucleo import entrada
from services.titular.pessoa import clean_cpf, clean_email
from services.nucleo.recusas import Recusa


def limpo(funcao):
    def validar(form, field):
        try:
            field.limpo = funcao(field.data)
        except (ValueError, Recusa) as error:
            raise ValidationError(str(error)) from None
    return validar


def _aparar(texto):
    return texto.strip() if isinstance(texto, str) else texto


CPF_RENDER = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false",
              "maxlength": "18"}
_EMAIL_RENDER = {"autocomplete": "off", "spellcheck": "false", "maxlength": "254"}


def _campo_seguro(form, field):
    """First validator of every field: no control characters, no megabyte of text. Stops
    the field's other checks, so nothing hostile reaches a parser or the database."""
    multilinha = field.type == "TextAreaField"
    limite = int((field.render_kw or {}).get("maxlength") or (5000 if multilinha else 500))
    for valor in field.raw_data or ():
        if not isinstance(valor, str):
            continue
        if entrada.tem_controle(valor, multilinha):
            raise StopValidation(entrada.MENSAGEM_CONTROLE)
        if len(valor) > limite:
            raise StopValidation(f"Use no máximo {limite} caracteres.")


class Formulario(FlaskForm):
    """The base of every form: each field is first checked by `_campo_seguro`."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if field.type != "CSRFTokenField":
                field.validators = [_campo_seguro, *field.validators]
            return field


class AcaoForm(Formulario):
    """A one-button form (CSRF + the one-time key)."""

    chave = HiddenField()


def email_e_confirmacao(de=""):
    """The e-mail field and its confirmation ("E-mail" + `de`), for a form to declare."""
    email = EmailField(f"E-mail{de}", validators=[limpo(clean_email)], filters=[_aparar],
                       render_kw=_EMAIL_RENDER)
    confirmacao = EmailField(
        f"Confirme o e-mail{de}", filters=[_aparar], render_kw=_EMAIL_RENDER,
        validators=[DataRequired(f"Digite o e-mail{de} mais uma vez, para conferir.")])
    return email, confirmacao


class ComEmailConfirmado:
    """Checks `email_confirmacao` against `email`. Not EqualTo: an address is the same whatever
    the case it is typed in."""

    def validate_email_confirmacao(self, field):
        if field.data.lower() != (self.email.data or "").lower():
            raise ValidationError("Os e-mails não são iguais. Digite o mesmo e-mail nos dois "
                                  "campos.")


class AtribuirForm(ComEmailConfirmado, AcaoForm):
    """Assign a certificate to its holder: Gerenciar Certificados and Ajuda Interativa."""

    cpf = StringField("CPF do titular", validators=[limpo(clean_cpf)], render_kw=CPF_RENDER)
    email, email_confirmacao = email_e_confirmacao(" do titular")
    versao = HiddenField()


class RevogarForm(Formulario):
    """"Revogar certificado": the holder's page and the agent's Agenda."""

    motivo = SelectField("Motivo da revogação", validate_choice=False,
                         choices=[SelectChoice("", "Escolha o motivo")]
                         + [SelectChoice(c, t) for c, t in MOTIVOS_TITULAR.items()])
    confirmo = BooleanField("Entendo que a revogação não pode ser desfeita: o certificado deixa "
                            "de valer na hora.")

    def validate_motivo(self, field):
        if field.data not in MOTIVOS_TITULAR:
            raise ValidationError("Escolha o motivo da revogação.")

    def validate_confirmo(self, field):
        if not field.data:
            raise ValidationError("Marque a confirmação para revogar.")
