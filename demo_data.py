"""`flask --app app demo-data`: the demo accounts and purchases README lists (idempotent).

Dates are relative to today, so the overdue boleto is always overdue.
"""
from datetime import date, datetime, time, timedelta

from flask import current_app
from werkzeug.security import generate_password_hash

from models import (Atribuicao, Certificado, Conta, Evento, ProcessoCompra, Solicitacao, db,
                    utcnow)
from services import compras
from services.lifecycle import Ator, mover_certificado

DEMO_ATOR = Ator("Dados de demonstração")

COMPRADORA = {"cpf": "12345678909", "nome": "Maria da Silva", "email": "maria@example.com",
              "telefone": "11987654321", "senha": "demo12345"}
AGENTE = {"cpf": "98765432100", "nome": "Ana Souza (agente de registro)",
          "email": "agente@example.com", "telefone": "", "senha": "agente12345",
          "papel": Conta.AGENTE}
OUTRO_COMPRADOR = {"cpf": "11144477735", "nome": "José Pereira", "email": "jose@example.com",
                   "telefone": "21998765432", "senha": "demo12345"}


def _conta(dados):
    dados = dict(dados)
    senha = dados.pop("senha")
    return Conta.create(senha_hash=generate_password_hash(senha), **dados)


def _espalhar_eventos(processo, inicio):
    """Spread a purchase's audit events over the days since `inicio`, as if lived."""
    ProcessoCompra.update(criado_em=inicio).where(ProcessoCompra.id == processo.id).execute()
    eventos = list(Evento.select().where(Evento.processo == processo.id).order_by(Evento.id))
    agora = utcnow()
    passo = (agora - inicio) / max(1, len(eventos))
    for i, evento in enumerate(eventos):
        Evento.update(criado_em=inicio + passo * i).where(Evento.id == evento.id).execute()


def _atribuir(certificado, conta, cpf, email):
    atribuicao = Atribuicao.create(certificado=certificado, cpf=cpf, email=email,
                                   atribuido_por=conta)
    mover_certificado(certificado, "atribuir", Ator(conta.nome, conta.id),
                      titular_cpf=cpf, titular_email=email)
    return atribuicao


def criar(hoje=None):
    """Create the demo data unless it exists; returns True when it was created."""
    hoje = hoje or date.today()
    if Conta.select().where(Conta.cpf == COMPRADORA["cpf"]).exists():
        return False
    beneficiario = compras.Beneficiario.from_config(current_app.config)
    produto = compras.garantir_produto(current_app.config["PRECO_CENTAVOS"])
    with db.atomic():
        maria = _conta(COMPRADORA)
        _conta(AGENTE)
        jose = _conta(OUTRO_COMPRADOR)
        ator_maria = Ator(maria.nome, maria.id)
        inicio = datetime.combine(hoje - timedelta(days=12), time(13, 0))

        # A: paid; one certificate free, one assigned to João, one already issued.
        a = compras.criar_processo(maria, produto, 3, hoje - timedelta(days=9), beneficiario,
                                   ator_maria)
        boleto_a = a.boletos.get()
        compras.reconhecer_pagamento(boleto_a, boleto_a.valor_centavos, hoje - timedelta(days=10),
                                     "agente", f"demo-{boleto_a.nosso_numero}", DEMO_ATOR,
                                     avisar=False)
        _, segundo, terceiro = Certificado.select().where(Certificado.processo == a.id) \
            .order_by(Certificado.numero)
        _atribuir(segundo, maria, "52998224725", "joao@example.com")
        atribuicao = _atribuir(terceiro, maria, "39053344705", "carla@example.com")
        Solicitacao.create(
            atribuicao=atribuicao, certificado=terceiro, nome="Carla Mendes Rocha",
            data_nascimento=date(1988, 4, 17), email="carla@example.com", celular="61991234567",
            cep="70040010", logradouro="Setor Bancário Sul, Quadra 2", numero="10",
            bairro="Asa Sul", cidade="Brasília", uf="DF", doc_tipo="CNH",
            doc_numero="01234567890", doc_emissor="DETRAN", doc_uf="DF",
            doc_data_emissao=date(2019, 5, 2), elegivel_video=True, enviada_em=utcnow(),
        )
        titular = Ator("Carla Mendes Rocha (titular)")
        mover_certificado(terceiro, "solicitar", titular)
        mover_certificado(terceiro, "agendar", titular)
        mover_certificado(terceiro, "aprovar", Ator(AGENTE["nome"]))
        _espalhar_eventos(a, inicio)

        # B: unpaid, its boleto overdue by 3 days. C: unpaid, due in 5 days.
        b = compras.criar_processo(maria, produto, 1, hoje - timedelta(days=3), beneficiario,
                                   ator_maria)
        _espalhar_eventos(b, datetime.combine(hoje - timedelta(days=6), time(10, 0)))
        c = compras.criar_processo(maria, produto, 2, hoje + timedelta(days=5), beneficiario,
                                   ator_maria)
        _espalhar_eventos(c, datetime.combine(hoje - timedelta(days=1), time(15, 0)))

        # Someone else's purchase: Maria must never see it.
        compras.criar_processo(jose, produto, 1, hoje + timedelta(days=3), beneficiario,
                               Ator(jose.nome, jose.id))
    return True


def init_app(app):
    @app.cli.command("demo-data")
    def demo_data_command():
        """Create the demo accounts and purchases (idempotent)."""
        with db.connection_context():
            created = criar()
        print("Dados de demonstração criados." if created
              else "Dados de demonstração já existiam; nada mudou.")
