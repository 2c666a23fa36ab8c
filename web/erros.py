"""Error pages in Portuguese: HTTP errors, the database unreachable, a refused state move,
something that is not there (or not yours)."""
from flask import render_template, request
from htmx_flask import make_response
from werkzeug.exceptions import NotFound

from web.quadro import sem_cookie_no_quadro


_ERRORS = {
    400: ("Pedido inválido", "O formulário enviado não pôde ser lido. Volte, recarregue a "
          "página e tente de novo."),
    403: ("Acesso negado", "Você não tem permissão para esta ação."),
    404: ("Página não encontrada", "O endereço pode estar errado, ou o item não existe ou não "
          "pertence à sua conta."),
    405: ("Ação não permitida", "Use os botões da página para continuar."),
    413: ("Envio grande demais", "O que foi enviado passa do tamanho permitido. Volte e "
          "envie menos dados."),
    429: ("Muitas tentativas", "Aguarde alguns minutos e tente novamente."),
    500: ("Erro no sistema", "Algo deu errado do nosso lado e nada foi alterado. Tente de novo "
          "em alguns minutos."),
}


def error_page(error):
    code = getattr(error, "code", 500) or 500
    titulo, mensagem = _ERRORS.get(code, _ERRORS[500])
    sem_cookie = False
    if code == 400 and "CSRF" in str(getattr(error, "description", "")):
        mensagem = ("Sua sessão expirou ou o formulário ficou aberto por muito tempo. "
                    "Recarregue a página e envie de novo.")
        # In a frame that keeps no cookie, reloading never helps: say so, offer a new tab.
        sem_cookie = sem_cookie_no_quadro()
        if sem_cookie:
            titulo, mensagem = "Não foi possível continuar neste quadro", ""
    return render_template("erro.html", titulo=titulo, mensagem=mensagem, codigo=code,
                           quadro_sem_cookie=sem_cookie), code


def banco_indisponivel(error):
    """Database unreachable (at connect or mid-request): a 503 that asks to retry, for
    pages and htmx alike, rendered without touching the database."""
    request.conta = None
    response = make_response(render_template(
        "erro.html", titulo="Sistema indisponível no momento",
        mensagem="Não conseguimos acessar nossos dados agora e nada foi alterado. Tente de "
                 "novo em 1 minuto.", codigo=503), 503)
    response.headers["Retry-After"] = "60"
    return response


def transicao_invalida(error):
    """A refused state move a view did not handle itself: say why, change nothing (409)."""
    return render_template("erro.html", titulo="Ação não realizada", mensagem=str(error),
                           codigo=409), 409


def sem_papel(error):
    """The papel may not (services.contratantes.papeis.SemPapel): 403, naming who may."""
    return render_template("erro.html", titulo="Acesso negado", mensagem=error.mensagem,
                           codigo=403), 403


def nao_encontrado(error):
    """Missing or someone else's (services.contratantes.posse): the same 404 as a bad address."""
    return error_page(NotFound())
