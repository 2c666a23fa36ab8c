"""The web layer: what every page shares (wired to the app by init_app)."""
from datetime import timedelta

from peewee import InterfaceError, OperationalError
from stdnum.br import cpf as stdnum_cpf

from banco.conexao import BancoIndisponivel
from services.agendamento import calendario
from services.nucleo import ciclo_de_vida, formatacao
from services.nucleo.correio import url_externa
from services.nucleo.recusas import NaoEncontrado
from services.nucleo.ciclo_de_vida import (BOLETO_SITUACOES, CERTIFICADO_SITUACOES, PROCESSO_SITUACOES,
                                PROPOSTA_SITUACOES, TransicaoInvalida)
from services.pagamento import boletos, febraban
from services.titular import andamento
from web.cabecalhos import query_string_segura, security_headers
from services.contratantes.papeis import SemPapel, quem_pode
from web.erros import (banco_indisponivel, error_page, nao_encontrado, sem_papel,
                       transicao_invalida)
from web.papeis import pode
from web.estaticos import static_url, url_por_linha
from web.filtros import format_date, format_datetime, horario_atendimento
from web.menu import menu_items
from web.paginas import form_errors, wants_fragment
from web.pdf_assinado import url_pdf
from web.quadro import url_nova_aba
from web.sessao import session_timeouts, current_account, pode_sair


def init_app(app):
    app.before_request(query_string_segura)
    app.before_request(session_timeouts)
    app.after_request(security_headers)


    app.jinja_env.globals.update(
        static_url=static_url,
        url_por_linha=url_por_linha,
        url_pdf=url_pdf,
        menu_items=menu_items,
        pode_sair=pode_sair,
        url_nova_aba=url_nova_aba,
        form_errors=form_errors,
        wants_fragment=wants_fragment,
        current_account=current_account,
        pode=pode,
        quem_pode=quem_pode,
        url_externa=url_externa,
        horario_atendimento=horario_atendimento,
        CERTIFICADO_SITUACOES=CERTIFICADO_SITUACOES,
        PROCESSO_SITUACOES=PROCESSO_SITUACOES,
        BOLETO_SITUACOES=BOLETO_SITUACOES,
        PROPOSTA_SITUACOES=PROPOSTA_SITUACOES,
        JANELA_DIAS=boletos.JANELA_DIAS,
    )
    app.jinja_env.filters.update(
        brl=formatacao.format_brl,
        por=andamento.por,
        data=format_date,
        data_hora=format_datetime,
        cpf=stdnum_cpf.format,
        cpf_mascarado=formatacao.mask_cpf,
        linha_digitavel=febraban.format_digitable_line,
        duracao=lambda minutos: calendario.texto_da_duracao(timedelta(minutes=minutos)),
    )
    # Templates ask the lifecycle about a state: {% if certificado.situacao is emitido %}.
    app.jinja_env.tests.update({nome: getattr(ciclo_de_vida, nome) for nome in (
        "atribuido", "agendado", "pendente_correcao", "emitido", "cancelado", "preenchivel",
        "ja_emitido", "processo_aguardando_pagamento", "processo_cancelado", "processo_pago",
        "boleto_em_aberto", "boleto_pago", "boleto_vencido", "boleto_substituido",
        "boleto_cancelado", "lote_em_previa", "lote_aplicando", "lote_concluido", "linha_valida",
        "linha_aplicada", "linha_falhou", "proposta_aberta", "proposta_vencida",
        "documento_aprovado", "documento_recusado")})

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, error_page)
    for error in (BancoIndisponivel, OperationalError, InterfaceError):
        app.register_error_handler(error, banco_indisponivel)
    app.register_error_handler(TransicaoInvalida, transicao_invalida)
    app.register_error_handler(NaoEncontrado, nao_encontrado)
    app.register_error_handler(SemPapel, sem_papel)


def aquecer(app):
    """Compile every template now (gunicorn's master calls this before forking workers)."""
    for nome in app.jinja_env.list_templates():
        app.jinja_env.get_template(nome)
