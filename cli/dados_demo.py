"""`flask --app app demo-data`: the demo accounts and purchases README lists (idempotent).

Dates are relative to today, so the overdue boleto is always overdue.
"""
import hashlib
import io
from datetime import date, datetime, time, timedelta

from flask import current_app
from PIL import Image, ImageDraw
from werkzeug.security import generate_password_hash

from models import (Atribuicao, Certificado, Conta, Evento, ProcessoCompra, Solicitacao, Termo,
                    db)
from services.agendamento import horarios
from services.contratantes import convites, organizacoes, papeis, vinculos
from services.agendamento import pontos
from services.agendamento import reservas
from services.pagamento import boletos
from services.pagamento import compras
from services.pagamento import pagamentos
import relogio
from services.titular import documentos
from services.titular import termo_pdf
from services.nucleo.ciclo_de_vida import Ator, mover_certificado
from relogio import utcnow

DEMO_ATOR = Ator("Dados de demonstração")

COMPRADORA = {"cpf": "12345678909", "nome": "Maria da Silva", "email": "maria@example.com",
              "telefone": "11987654321", "senha": "demo12345"}
AGENTE = {"cpf": "98765432100", "nome": "Ana Souza (agente de registro)",
          "email": "agente@example.com", "telefone": "", "senha": "agente12345",
          "papel": Conta.AGENTE}
OUTRO_COMPRADOR = {"cpf": "11144477735", "nome": "José Pereira", "email": "jose@example.com",
                   "telefone": "21998765432", "senha": "demo12345"}


# Maria's organisation, where she is Gestor and Carlos buys and pays.
ORGANIZACAO = {"cnpj": "11222333000181", "razao_social": "Prefeitura Municipal de Exemplo",
               "endereco": {"cep": "01001000", "logradouro": "Praça da Sé", "numero": "100",
                            "complemento": "", "bairro": "Sé", "cidade": "São Paulo",
                            "uf": "SP"}}
COMPRAS = {"cpf": "25836914737", "nome": "Carlos Mendes", "email": "carlos@example.com",
           "telefone": "11955554444", "senha": "demo12345"}
# The in-person validation's pontos de atendimento.
PONTOS = [
    pontos.DadosPonto("AR Demonstração — Brasília", "SCS Quadra 2, Bloco C, 22 - Asa Sul",
                      "Brasília", "DF", "09:00", "17:00", 2),
    pontos.DadosPonto("AR Demonstração — São Paulo", "Avenida Paulista, 1000 - Bela Vista",
                      "São Paulo", "SP", "08:00", "18:00", 3,
                      "25/01/2027 Aniversário de São Paulo"),
]
# Invited to the organisation (Consulta), not accepted yet.
CONVIDADA = {"cpf": "74185296355", "email": "beatriz@example.com", "papel": papeis.CONSULTA}


def _conta(dados):
    dados = dict(dados)
    senha = dados.pop("senha")
    conta = Conta.create(senha_hash=generate_password_hash(senha), **dados)
    if conta.papel != Conta.AGENTE:
        vinculos.contratante_pessoal(conta)
    return conta


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


def _documento_aprovado(certificado, atribuicao, nome):
    """A drawn stand-in for the holder's identity document photo, sent and approved, so the
    agent's "Aprovar e emitir" is possible (it needs the document approved)."""
    imagem = Image.new("RGB", (856, 540), "#dfe9f5")
    desenho = ImageDraw.Draw(imagem)
    desenho.rectangle((40, 120, 260, 420), fill="#9fb3c8")
    for linha, texto in enumerate(("DOCUMENTO DE DEMONSTRACAO", nome.upper(),
                                   "SEM VALOR LEGAL")):
        desenho.text((300, 160 + 60 * linha), texto, fill="#1b2a3a")
    saida = io.BytesIO()
    imagem.save(saida, "JPEG")
    titular = Ator(f"{nome} (titular)")
    envio = documentos.enviar(certificado, atribuicao, [("frente", saida.getvalue())], titular,
                              current_app.config)
    documentos.aprovar(certificado, envio.id, Ator(AGENTE["nome"]))


def _videoconferencia_agendada(certificado, conta):
    atribuicao = _atribuir(certificado, conta, "22233366638", "roberto@example.com")
    solicitacao = Solicitacao.create(
        atribuicao=atribuicao, certificado=certificado, nome="Roberto Alves Lima",
        data_nascimento=date(1979, 9, 3), email="roberto@example.com", celular="11976543210",
        cep="01310100", logradouro="Avenida Paulista", numero="1000", complemento="Sala 12",
        bairro="Bela Vista", cidade="São Paulo", uf="SP", doc_tipo="CNH",
        doc_numero="04567891234", doc_emissor="DETRAN", doc_uf="SP",
        doc_data_emissao=date(2021, 3, 15), elegivel_video=True, enviada_em=utcnow(),
    )
    dados = termo_pdf.TermoData(
        nome=solicitacao.nome, cpf="22233366638", data_nascimento=solicitacao.data_nascimento,
        email=solicitacao.email, documento_tipo="CNH", documento_numero=solicitacao.doc_numero,
        documento_emissor="DETRAN", documento_uf="SP", processo_id=certificado.processo.numero,
        versao=1, gerado_em=relogio.agora())
    pdf = termo_pdf.render_termo_pdf(dados)
    Termo.create(certificado=certificado, solicitacao=solicitacao, versao=1,
                 codigo_verificacao=termo_pdf.verification_code(dados),
                 sha256=hashlib.sha256(pdf).hexdigest(), pdf=pdf, aceito_em=utcnow(),
                 aceito_ip="127.0.0.1", aceito_user_agent="dados de demonstração")
    _documento_aprovado(certificado, atribuicao, solicitacao.nome)
    titular = Ator("Roberto Alves Lima (titular)")
    mover_certificado(certificado, "solicitar", titular)
    # The next business day after today, 10:00 if free, else its first free time.
    agora = relogio.agora()
    cfg = horarios.config_agenda(current_app.config)
    dia = next(d for d in horarios.dias_livres(agora, cfg) if d > relogio.hoje())
    livres = horarios.horarios_livres(agora, dia, cfg)
    inicio = next((h for h in livres if h.hour == 10), livres[0])
    reservas.agendar(certificado, inicio, agora, titular, current_app.config,
                         notificar=False)


def criar(hoje=None):
    """Create the demo data unless it exists; returns True when it was created."""
    hoje = hoje or relogio.hoje()
    if Conta.select().where(Conta.cpf == COMPRADORA["cpf"]).exists():
        return False
    beneficiario = boletos.Beneficiario.from_config(current_app.config)
    produto = compras.garantir_produto(current_app.config["PRECO_CENTAVOS"])
    with db.atomic():
        maria = _conta(COMPRADORA)
        _conta(AGENTE)
        jose = _conta(OUTRO_COMPRADOR)
        prefeitura = organizacoes.cadastrar(
            maria, ORGANIZACAO["cnpj"], ORGANIZACAO["razao_social"], ORGANIZACAO["endereco"],
            Ator(maria.nome, maria.id))
        vinculos.entrar(_conta(COMPRAS), prefeitura, papeis.COMPRAS)
        maria = vinculos.conta_com_vinculo(maria.id)
        ator_maria = vinculos.ator(maria)
        convites.convidar(maria, CONVIDADA["cpf"], CONVIDADA["email"], CONVIDADA["papel"],
                          ator_maria, avisar=False)
        inicio = datetime.combine(hoje - timedelta(days=12), time(13, 0))

        # A: paid; one certificate free, one assigned to João, one already issued.
        a = compras.criar_processo(maria, produto, 3, hoje - timedelta(days=9), beneficiario,
                                   ator_maria)
        boleto_a = a.boletos.get()
        pagamentos.reconhecer_pagamento(boleto_a, boleto_a.valor_centavos, hoje - timedelta(days=10),
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
        _documento_aprovado(terceiro, atribuicao, "Carla Mendes Rocha")
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

        # D: paid; its certificate's holder sent the request, accepted the termo and booked a
        # videoconference on the next business day, so the agent's Agenda is not empty.
        d = compras.criar_processo(maria, produto, 1, hoje - timedelta(days=4), beneficiario,
                                   ator_maria)
        boleto_d = d.boletos.get()
        pagamentos.reconhecer_pagamento(boleto_d, boleto_d.valor_centavos, hoje - timedelta(days=4),
                                     "agente", f"demo-{boleto_d.nosso_numero}", DEMO_ATOR,
                                     avisar=False)
        _videoconferencia_agendada(d.certificados.get(), maria)
        _espalhar_eventos(d, datetime.combine(hoje - timedelta(days=5), time(9, 30)))

        for ponto in PONTOS:
            pontos.criar(ponto)

        # Someone else's purchase: Maria must never see it.
        compras.criar_processo(jose, produto, 1, hoje + timedelta(days=3), beneficiario,
                               Ator(jose.nome, jose.id))
    return True
