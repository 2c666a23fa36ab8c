"""The forms of the request wizard: one per step, "Confira seus dados" and the termo's
acceptance. The rules of each step are services.titular.solicitacoes.limpar; these forms
only carry the fields (and read the hidden versions within the database's range)."""
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange
from wtforms.widgets import HiddenInput

from blueprints.forms import Formulario
from services.nucleo.entrada import MAIOR_ID
from services.titular import pessoa



def _numerico(autocomplete, maxlength):
    return {"autocomplete": autocomplete, "inputmode": "numeric", "maxlength": maxlength,
            "class": "data-parte"}


_UF_OPCOES = [SelectChoice("", "Selecione")] + [SelectChoice(sigla, f"{sigla} — {nome}")
                                                for sigla, nome in pessoa.UFS.items()]


def _versao():
    """The request version the page was shown with, sent back by every step. A number that
    does not fit the database's integer is a stale page, not a crash (MAIOR_ID)."""
    return IntegerField(widget=HiddenInput(), validators=[
        NumberRange(1, MAIOR_ID, "Esta página está desatualizada.")])


class EtapaForm(Formulario):
    versao = _versao()


class DadosForm(EtapaForm):
    nome = StringField("Nome completo", render_kw={"autocomplete": "name",
                                                   "spellcheck": "false"})
    nascimento_dia = StringField("Dia", render_kw=_numerico("bday-day", "2"))
    nascimento_mes = StringField("Mês", render_kw=_numerico("bday-month", "2"))
    nascimento_ano = StringField("Ano", render_kw=_numerico("bday-year", "4"))


class ContatoForm(EtapaForm):
    email = StringField("E-mail", render_kw={"type": "email", "autocomplete": "email",
                                             "spellcheck": "false"})
    # "tel", not "tel-national" (the Nu Html Checker rejects it); +55 is accepted anyway.
    celular = StringField("Celular com DDD", render_kw={"type": "tel", "inputmode": "tel",
                                                        "autocomplete": "tel"})


class EnderecoForm(EtapaForm):
    cep = StringField("CEP", render_kw={"autocomplete": "postal-code", "inputmode": "numeric",
                                        "class": "curto"})
    logradouro = StringField("Logradouro", render_kw={"autocomplete": "address-line1"})
    numero = StringField("Número", render_kw={"class": "curto"})
    complemento = StringField("Complemento", render_kw={"autocomplete": "address-line2"})
    bairro = StringField("Bairro", render_kw={"autocomplete": "address-level3"})
    cidade = StringField("Cidade", render_kw={"autocomplete": "address-level2"})
    uf = SelectField("UF", choices=_UF_OPCOES, validate_choice=False,
                     render_kw={"autocomplete": "address-level1"})


class DocumentoForm(EtapaForm):
    doc_tipo = SelectField("Tipo de documento",
                           choices=[SelectChoice("", "Selecione")]
                           + [SelectChoice(t, t) for t in pessoa.DOCUMENTO_TIPOS],
                           validate_choice=False)
    doc_numero = StringField("Número do documento", render_kw={"spellcheck": "false"})
    doc_emissor = StringField("Órgão emissor", render_kw={
        "class": "curto", "list": "orgaos-emissores", "autocapitalize": "characters",
        "spellcheck": "false", "maxlength": str(pessoa.ORGAO_EMISSOR_MAX)})
    doc_uf = SelectField("UF de emissão", choices=_UF_OPCOES, validate_choice=False)
    emissao_dia = StringField("Dia", render_kw=_numerico("off", "2"))
    emissao_mes = StringField("Mês", render_kw=_numerico("off", "2"))
    emissao_ano = StringField("Ano", render_kw=_numerico("off", "4"))
    nis = StringField("NIS/PIS/PASEP", render_kw=_numerico("off", "14"))
    titulo_eleitor = StringField("Título de eleitor", render_kw=_numerico("off", "14"))
    titulo_zona = StringField("Zona", render_kw=_numerico("off", "3"))
    titulo_secao = StringField("Seção", render_kw=_numerico("off", "4"))


FORMS = {"dados": DadosForm, "contato": ContatoForm, "endereco": EnderecoForm,
         "documento": DocumentoForm}


class ConfiraForm(Formulario):
    versao = _versao()


class AceiteForm(Formulario):
    termo_versao = _versao()
    concordo = BooleanField("Li e concordo com o termo de titularidade")


# The camera on a phone (`capture`), the gallery or a file elsewhere; the server sniffs anyway.
_ARQUIVO = {"accept": "image/jpeg,image/png,application/pdf", "capture": "environment"}


class DocumentosForm(Formulario):
    frente = FileField("Frente do documento, ou o PDF", render_kw=_ARQUIVO)
    verso = FileField("Verso do documento", render_kw=_ARQUIVO)
