"""Helpers for the videoconference tests: a certificate whose request was sent ("Emissão
solicitada"), built through the services as the request wizard would leave it."""
import hashlib
from datetime import date, datetime, timedelta

from flask import current_app

from models import Conta, EnvioDocumento, Solicitacao, Termo
from services.titular import atribuicoes
from services.pagamento import boletos
from services.pagamento import compras
from services.pagamento import pagamentos
from services.titular import termo_pdf
from services.nucleo.ciclo_de_vida import DOCUMENTO_APROVADO, Ator, mover_certificado
from relogio import TZ, agora, hoje, utcnow

def sp(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def certificado_solicitado(cpf="52998224725", email="titular@example.com", nome="João Batista",
                           elegivel=True, termo=True, documento=True):
    """A paid certificate of Maria's, assigned to `cpf`, with the request sent (and, unless
    `documento` is False, the identity document approved, as "Aprovar e emitir" needs).

    Returns (certificado, token of the holder's link). Needs an app context and a connection.
    """
    maria = Conta.get(Conta.cpf == "12345678909")
    config = current_app.config
    ator = Ator(maria.nome, maria.id)
    produto = compras.garantir_produto(config["PRECO_CENTAVOS"])
    processo = compras.criar_processo(maria, produto, 1, hoje() + timedelta(days=3),
                                      boletos.Beneficiario.from_config(config), ator)
    boleto = processo.boletos.get()
    pagamentos.reconhecer_pagamento(boleto, boleto.valor_centavos, hoje(), "agente",
                                 f"teste-{boleto.nosso_numero}", ator)
    certificado = processo.certificados.get()
    token = atribuicoes.atribuir(certificado, cpf, email, maria, ator, 30)
    atribuicao = atribuicoes.ativa(certificado)
    solicitacao = Solicitacao.create(
        atribuicao=atribuicao, certificado=certificado, nome=nome,
        data_nascimento=date(1985, 6, 1), email=email, celular="11987651234", cep="01001000",
        logradouro="Praça da Sé", numero="1", bairro="Sé", cidade="São Paulo", uf="SP",
        doc_tipo="RG", doc_numero="123456789", doc_emissor="SSP", doc_uf="SP",
        doc_data_emissao=date(2015, 1, 10), elegivel_video=elegivel, enviada_em=utcnow())
    if termo:
        dados = termo_pdf.TermoData(
            nome=nome, cpf=cpf, data_nascimento=solicitacao.data_nascimento, email=email,
            documento_tipo="RG", documento_numero="123456789", documento_emissor="SSP",
            documento_uf="SP", processo_id=processo.numero, versao=1,
            gerado_em=agora())
        pdf = termo_pdf.render_termo_pdf(dados)
        Termo.create(certificado=certificado, solicitacao=solicitacao, versao=1,
                     codigo_verificacao=termo_pdf.verification_code(dados),
                     sha256=hashlib.sha256(pdf).hexdigest(), pdf=pdf, aceito_em=utcnow())
    if documento:
        EnvioDocumento.create(certificado=certificado, atribuicao=atribuicao,
                              situacao=DOCUMENTO_APROVADO, decidido_em=utcnow())
    mover_certificado(certificado, "solicitar", Ator(f"{nome} (titular)"))
    return certificado, token
