"""The one way a form validates, and the forms several pages share.

`limpo` turns a domain cleaning function (`services/pessoa.py`'s `clean_*`, `entrada.ler_*`,
or one a service gives) into a WTForms validator: its Portuguese message goes next to the
field and the cleaned value is kept in `field.limpo` for the view to hand to the service.
"""
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, StringField
from wtforms.validators import DataRequired, ValidationError

from services.pessoa import clean_cpf, clean_email
from services.recusas import Recusa


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


class AcaoForm(FlaskForm):
    """A one-button form (CSRF + the one-time key)."""

    chave = HiddenField()


class AtribuirForm(AcaoForm):
    """Assign a certificate to its holder: Gerenciar Certificados and Ajuda Interativa."""

    cpf = StringField("CPF do titular", validators=[limpo(clean_cpf)], render_kw=CPF_RENDER)
    email = EmailField("E-mail do titular", validators=[limpo(clean_email)], filters=[_aparar],
                       render_kw=_EMAIL_RENDER)
    email_confirmacao = EmailField(
        "Confirme o e-mail do titular", filters=[_aparar], render_kw=_EMAIL_RENDER,
        validators=[DataRequired("Digite o e-mail do titular mais uma vez, para conferir.")])
    versao = HiddenField()

    def validate_email_confirmacao(self, field):
        # Not EqualTo: an address is the same whatever the case it is typed in.
        if field.data.lower() != (self.email.data or "").lower():
            raise ValidationError("Os e-mails não são iguais. Digite o mesmo e-mail nos dois "
                                  "campos.")
