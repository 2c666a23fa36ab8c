""""Validar documento assinado" (public): a PDF signed with the holder's usual signer, checked
against the demo chain by services.certificacao.validacao_pdf; and the sample PDF to sign."""
from flask import Blueprint, current_app, make_response, request
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge

from blueprints.forms import Formulario
from services.certificacao import ac
from services.certificacao import validacao_pdf
from services.nucleo.recusas import Recusa
from web.extensoes import csrf, limiter
from web.paginas import render

bp = Blueprint("validacao", __name__, url_prefix="/validar")


class ValidarForm(Formulario):
    arquivo = FileField("Documento assinado (PDF, até 10 MB)",
                        render_kw={"accept": ".pdf,application/pdf"})


def _pagina(form, assinaturas=None, status=200):
    return render("validacao/validar.html", None, status, form=form, assinaturas=assinaturas)


@bp.get("/")
def validar():
    return _pagina(ValidarForm())


@bp.post("/")
@csrf.exempt  # checked by ValidarForm itself, after the size limit below is in place
@limiter.limit("20 per minute")  # CPU work for anyone: a bound per address
def receber():
    request.max_content_length = validacao_pdf.PDF_MAXIMO + 64 * 1024
    try:
        if (request.content_length or 0) > request.max_content_length:
            raise RequestEntityTooLarge()  # said before reading (and spooling) the body
        form = ValidarForm()
        valido = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = ValidarForm(formdata=None)
        form.arquivo.errors = ["O arquivo passa de 10 MB, o limite."]
        return _pagina(form, status=413)
    if not valido:
        form.arquivo.errors = form.arquivo.errors or ["A página expirou. Recarregue-a e envie "
                                                      "o arquivo de novo."]
        return _pagina(form, status=422)
    arquivo = form.arquivo.data
    dados = arquivo.read(validacao_pdf.PDF_MAXIMO + 1) if arquivo else b""
    try:
        assinaturas = validacao_pdf.validar(dados, current_app.config)
    except (Recusa, ac.AcIndisponivel) as erro:
        form.arquivo.errors = [getattr(erro, "mensagem", str(erro))]
        return _pagina(form, status=422)
    return _pagina(ValidarForm(formdata=None), assinaturas)


@bp.get("/exemplo.pdf")
def exemplo():
    response = make_response(validacao_pdf.pdf_de_exemplo())
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = 'attachment; filename="documento-de-exemplo.pdf"'
    return response
