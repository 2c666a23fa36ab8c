"""Every e-mail leads somewhere: each one that asks the reader to act carries the direct link
to that action, in its text and its HTML part alike, and the link opens a page (200) with
the recipient's own session (the buyer signed in) or with nothing but the link itself (the
holder, a password link) — never the login page or "Página não encontrada"."""
import os
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import current_app

from models import Boleto, Certificado, Conta, Email, ProcessoCompra, db
from services.agendamento import decisoes
from services.agendamento import horarios
from services.agendamento import lembretes
from services.agendamento import pontos
from services.agendamento import reservas
from services.titular import atribuicoes
from services.titular import documentos
from services.pagamento import boletos
from services.pagamento import compras
from services.certificacao import emissao
from services.nucleo import correio
from services.pagamento import notas_fiscais
from services.pagamento import pagamentos
import relogio
from services.certificacao import renovacao
from services.contratantes import convites, papeis, resumo_vencimentos, vinculos
from services.nucleo import segredos
from services.nucleo.ciclo_de_vida import Ator
from relogio import TZ, hoje
from tests.support.agendamento import certificado_solicitado
from tests.support.http import login
from tests.support.requisicao import nova_chave, requisicao
from tests.support.solicitacao import aceitar, gerar_termo, preencher

EMAILS = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "templates", "emails")
# Messages that only inform: nothing to do, so no link is required.
SO_INFORMAM = {"certificado_emitido", "titular_reatribuido"}
MARIA = "12345678909"
ATOR = Ator("Teste")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"


def modelos():
    return {nome[:-5] for nome in os.listdir(EMAILS)
            if nome.endswith(".html") and not nome.startswith("_")}


def links(conteudo, base_url):
    """The portal addresses in a message part (the HTML's hrefs, or the text's bare URLs)."""
    return set(re.findall(re.escape(base_url) + r"[^\s\"'<>)]*", conteudo))


class Caixa:
    """Which template each queued message came from (the rows do not say)."""

    def __init__(self, monkeypatch):
        self.modelo = {}
        original = correio.enfileirar

        def enfileirar(destinatario, assunto, modelo, *args, **kwargs):
            email = original(destinatario, assunto, modelo, *args, **kwargs)
            self.modelo[email.id] = modelo
            return email

        monkeypatch.setattr(correio, "enfileirar", enfileirar)
        self.vistos = set()
        self.lidos = 0

    def novos(self):
        with db.connection_context():
            emails = list(Email.select().where(Email.id > self.lidos).order_by(Email.id))
        if emails:
            self.lidos = emails[-1].id
        return [e for e in emails if e.id in self.modelo]


@pytest.fixture
def caixa(monkeypatch, demo):
    yield Caixa(monkeypatch)
    correio.descartar()  # rows are read here; nothing is handed to the job queue


def seguir(app, caixa, cliente_de):
    """Open every link of the messages queued since the last call, as their recipients."""
    base = app.config["BASE_URL"]
    novos = caixa.novos()
    assert novos, "the step sent no e-mail"
    for email in novos:
        modelo = caixa.modelo[email.id]
        caixa.vistos.add(modelo)
        with app.app_context():  # the row keeps placeholders; the job reveals them on sending
            texto, html = segredos.revelar(email.texto), segredos.revelar(email.html)
        no_texto, no_html = links(texto, base), links(html, base)
        assert no_texto == no_html, (modelo, no_texto ^ no_html)
        if modelo not in SO_INFORMAM:
            assert no_texto, f"{modelo} asks the reader to act but carries no link"
        for url in sorted(no_texto):
            cliente = cliente_de(email.destinatario)
            partes = urlsplit(url)
            response = cliente.get(partes.path + (f"?{partes.query}" if partes.query else ""),
                                   follow_redirects=True)
            assert response.status_code == 200, (modelo, url, response.status_code)
            assert response.request.path != "/entrar", (modelo, url)


def test_every_email_link_opens_its_page_for_the_recipient(app, client, caixa, ac_demo):
    assert login(client, "123.456.789-09", "demo12345").status_code == 303
    carlos = app.test_client()  # "Compras e financeiro" of Maria's organisation
    assert login(carlos, "258.369.147-37", "demo12345").status_code == 303

    def cliente_de(destinatario):
        # The buyer and her organisation's Compras read in the browsers they are signed in;
        # anyone else has only the link.
        return {maria_email: client, "carlos@example.com": carlos}.get(
            destinatario) or app.test_client()

    def servico(acao):
        with app.app_context(), db.connection_context():
            return acao()

    maria_email = servico(lambda: Conta.get(Conta.cpf == MARIA).email)
    beneficiario = servico(lambda: boletos.Beneficiario.from_config(current_app.config))
    maria = servico(lambda: Conta.get(Conta.cpf == MARIA))

    # "Esqueci minha senha": the link alone, in a fresh browser.
    app.test_client().post("/esqueci-minha-senha", data={"cpf": "123.456.789-09"})
    seguir(app, caixa, cliente_de)

    # A purchase, its payment, a second payment (flagged), a new boleto for an overdue one.
    processo, boleto, _ = servico(lambda: compras.comprar(maria, 1, "chave-emails",
                                                          beneficiario, ATOR))
    seguir(app, caixa, cliente_de)
    servico(lambda: pagamentos.reconhecer_pagamento(Boleto.get_by_id(boleto.id), 15000, hoje(),
                                                 "agente", "emails-1", ATOR))
    seguir(app, caixa, cliente_de)
    servico(lambda: pagamentos.reconhecer_pagamento(Boleto.get_by_id(boleto.id), 15000, hoje(),
                                                 "agente", "emails-2", ATOR))
    seguir(app, caixa, cliente_de)
    # The back office attaches its nota fiscal: the organisation's Gestor and Compras are told.
    agente = servico(lambda: Conta.get(Conta.cpf == "98765432100"))
    servico(lambda: notas_fiscais.anexar(processo.id, PDF, None, "77", agente, ATOR))
    seguir(app, caixa, cliente_de)
    vencido = servico(lambda: Boleto.select().join(ProcessoCompra)
                      .where((ProcessoCompra.comprador == maria.id)
                             & (Boleto.vencimento < hoje())
                             & (Boleto.situacao == "em_aberto")).get())
    servico(lambda: boletos.gerar_novo_boleto(vencido, hoje(), beneficiario, ATOR))
    seguir(app, caixa, cliente_de)

    # Assigning, reassigning; the holder fills the request from the link and sends it.
    certificado = servico(lambda: Certificado.get(Certificado.processo == processo.id))
    servico(lambda: atribuicoes.atribuir(certificado, "39053344705", "antes@example.com", maria,
                                         ATOR, 30))
    seguir(app, caixa, cliente_de)
    token = servico(lambda: atribuicoes.atribuir(
        Certificado.get_by_id(certificado.id), "52998224725", "joao@example.com", maria, ATOR,
        30, acao="reatribuir"))
    seguir(app, caixa, cliente_de)
    titular = app.test_client()
    titular.get(f"/t/{token}")
    preencher(titular, certificado.numero)
    gerar_termo(titular, certificado.numero)
    assert aceitar(titular, certificado.numero).status_code == 303
    seguir(app, caixa, cliente_de)
    # The agent refuses the document photo: the e-mail leads to sending it again.
    envio = servico(lambda: documentos.ultimo(atribuicoes.ativa(certificado).id))
    servico(lambda: documentos.recusar(Certificado.get_by_id(certificado.id), envio.id,
                                       "Foto desfocada", ATOR, app.config))
    seguir(app, caixa, cliente_de)

    # Booking, reminder, cancelling, a no-show, a refusal; and an approval elsewhere.
    agora = relogio.agora().astimezone(TZ)
    cfg = horarios.config_agenda(app.config)

    def agendar(cert_id):
        dia = horarios.dias_livres(agora, cfg)[0]
        inicio = horarios.horarios_livres(agora, dia, cfg)[0]
        feito = reservas.agendar(Certificado.get_by_id(cert_id), inicio, agora, ATOR,
                                     app.config)
        return feito.id, inicio

    def agendar_presencial(cert_id):
        ponto = pontos.todos()[0]
        cfg_ponto = pontos.config(cfg, ponto)
        dia = horarios.dias_livres(agora, cfg_ponto, ponto.id)[0]
        inicio = horarios.horarios_livres(agora, dia, cfg_ponto, ponto.id)[0]
        reservas.agendar(Certificado.get_by_id(cert_id), inicio, agora, ATOR, app.config,
                         ponto=ponto)

    agendamento_id, inicio = servico(lambda: agendar(certificado.id))
    seguir(app, caixa, cliente_de)
    servico(lambda: lembretes.enviar_lembretes(inicio - timedelta(hours=1), app.config))
    seguir(app, caixa, cliente_de)
    servico(lambda: reservas.cancelar(Certificado.get_by_id(certificado.id), agora, ATOR,
                                          app.config))
    seguir(app, caixa, cliente_de)
    # In person, at a demo ponto: the confirmation, then cancelled too.
    servico(lambda: agendar_presencial(certificado.id))
    seguir(app, caixa, cliente_de)
    servico(lambda: reservas.cancelar(Certificado.get_by_id(certificado.id), agora, ATOR,
                                      app.config))
    seguir(app, caixa, cliente_de)
    agendamento_id, inicio = servico(lambda: agendar(certificado.id))
    caixa.novos()
    servico(lambda: decisoes.registrar_ausencia(agendamento_id, inicio, ATOR, app.config))
    seguir(app, caixa, cliente_de)
    agendamento_id, inicio = servico(lambda: agendar(certificado.id))
    caixa.novos()
    servico(lambda: decisoes.recusar(agendamento_id, "Documento ilegível", inicio, ATOR,
                                         app.config))
    seguir(app, caixa, cliente_de)
    outro = servico(lambda: certificado_solicitado(cpf="11144477735",
                                                   email="outro@example.com")[0])
    caixa.novos()
    agendamento_id, inicio = servico(lambda: agendar(outro.id))
    caixa.novos()
    servico(lambda: decisoes.aprovar(agendamento_id, inicio, ATOR, app.config))
    seguir(app, caixa, cliente_de)
    # The holder downloads it; a week before its end, holder and buyer are asked to renew.
    servico(lambda: emissao.emitir_por_csr(Certificado.get_by_id(outro.id),
                                           requisicao(nova_chave()), app.config, ATOR))
    fim = servico(lambda: emissao.vigente(outro.id).valido_ate)
    servico(lambda: renovacao.avisar(app.config, fim - timedelta(days=6)))
    seguir(app, caixa, cliente_de)
    # That week the Gestores of Maria's organisation get the Vencimentos digest.
    servico(lambda: resumo_vencimentos.enviar(fim - timedelta(days=6)))
    seguir(app, caixa, cliente_de)

    # Maria invites someone to her organisation; the link opens the invitation, no session.
    servico(lambda: convites.convidar(vinculos.conta_com_vinculo(maria.id), "52998224725",
                                      "convidado@example.com", papeis.CONSULTA, ATOR))
    seguir(app, caixa, cliente_de)

    # Unpaid purchases past their window are cancelled; the buyer may buy again.
    servico(lambda: compras.cancelar_vencidos(hoje() + timedelta(days=40)))
    seguir(app, caixa, cliente_de)

    assert caixa.vistos == modelos()
