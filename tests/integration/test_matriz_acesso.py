"""Who may open what: every route of `app.url_map` × eleven actors × every method it takes,
each cell with the answer written below. A route added without its row here fails the test.

Actors: anonymous; each papel of the demo Prefeitura (Gestor Maria, Compras e financeiro
Carlos, and an Atribuição and a Consulta added here); José, who buys for himself; a Gestor
removed from the Prefeitura after signing in, whose open session must lose it on the next
request; the registration agent; the holder's personal link of the certificate in the URL,
the link of another certificate, and a revoked link of this certificate. Each cell runs
inside a transaction rolled back after it, so a POST that changes something (a logout, a
resent link, a removed responsável) never changes the next cell.

A view behind `@requer(acao)` is written `requer(acao, ...)`: the papéis that
services.contratantes.papeis.ACOES lets do `acao` get the Gestor's answer, the others the
403 page naming who may; José and the removed member (Gestores of their own personal
contratante) get 404 for the Prefeitura's objects.
"""
import re

from flask import url_for
from werkzeug.security import generate_password_hash

from models import (Agendamento, ArquivoDocumento, Atribuicao, Boleto, Certificado, Conta,
                    Convite, EnvioDocumento, LinkTitular, Lote, NotaFiscal, PontoAtendimento,
                    ProcessoCompra, Responsavel, db)
from services.contratantes import contas, papeis, vinculos
from services.pagamento import propostas
from services.pagamento.boletos import Beneficiario
from services.titular import atribuicoes
from services.titular import links
import relogio
from tests.support.http import login
from tests.support.solicitacao import JOAO_CPF

ATORES = ("anonimo", "gestor", "compras", "atribuicao", "consulta", "outro_comprador",
          "removido", "agente", "link_deste", "link_de_outro", "link_revogado")

# Answers: a status code, or "login" for a redirect to /entrar, "→" for any other redirect.
# One string per actor, in the order of ATORES.
P = ("200",) * 11                                               # public page
SEM_LINK = ("login",) * 3                                       # the holder's links: no account


def todos(resposta):
    return (resposta,) * 11


def conta(resposta):
    """Any signed-in account, the agent's too (`@login_required`)."""
    return ("login",) + (resposta,) * 7 + SEM_LINK


def requer(acao, dono, alheio=None):
    """`@requer(acao)` on the Prefeitura's object or list: its papéis that may get `dono`, the
    others 403; José and the removed member `alheio` (their own list: `dono`); the agent, who
    works for no contratante, 403."""
    do_papel = tuple(dono if p in papeis.ACOES[acao] else "403" for p in papeis.PAPEIS)
    alheio = alheio or dono
    return Linha(("login",) + do_papel + (alheio, alheio, "403") + SEM_LINK, acao)


class Linha(tuple):
    """A row of `requer`: its 403 page names the papéis that may do `acao`."""

    def __new__(cls, respostas, acao):
        linha = super().__new__(cls, respostas)
        linha.recusa = papeis.SemPapel(acao).mensagem.encode()
        return linha


def agente(resposta):
    """The agent's pages (`@agente_required`): everyone else 404."""
    return ("login",) + ("404",) * 6 + (resposta,) + SEM_LINK


def titular(deste):
    """The holder's pages: only the link of this certificate opens them; a revoked one 410."""
    return ("404",) * 8 + (deste, "404", "410")


TITULAR = titular("200")


MATRIZ = {
    ("static", "GET"): P,
    ("inicio.index", "GET"): ("200",) * 7 + ("→",) + ("200",) * 3,
    ("auth.login", "GET"): ("200",) + ("→",) * 7 + ("200",) * 3,
    ("auth.login", "POST"): todos("422"),
    ("auth.logout", "POST"): todos("login"),
    ("auth.primeiro_acesso", "GET"): P,
    ("auth.primeiro_acesso", "POST"): todos("422"),
    ("auth.primeiro_acesso_dados", "GET"): todos("→"),  # step 1 first
    ("auth.primeiro_acesso_dados", "POST"): todos("→"),
    ("auth.esqueci_senha", "GET"): P,
    ("auth.esqueci_senha", "POST"): todos("422"),
    ("auth.definir_senha_link", "GET"): todos("→"),
    ("auth.definir_senha", "GET"): todos("404"),
    ("auth.definir_senha", "POST"): todos("404"),
    ("pedidos.index", "GET"): requer("ver_pedidos", "200"),
    ("pedidos.processos_lista", "GET"): requer("ver_pedidos", "200"),
    ("pedidos.processo", "GET"): requer("ver_pedidos", "200", "404"),
    ("titular.link", "GET"): todos("→"),
    ("titular.direto", "GET"): todos("→"),  # the token opens the holder's session anywhere
    ("inicio.sessao_quadro", "GET"): P,
    ("inicio.favicon", "GET"): P,
    ("titular.certificado", "GET"): TITULAR,
    ("certificados.index", "GET"): requer("ver_certificados", "200"),
    ("certificados.lista", "GET"): requer("ver_certificados", "200"),
    ("certificados.gerenciar", "GET"): requer("ver_certificados", "200", "404"),
    ("certificados.atribuir", "GET"): requer("atribuir", "200", "404"),
    ("certificados.atribuir", "POST"): requer("atribuir", "422", "404"),
    ("certificados.reatribuir", "GET"): requer("atribuir", "200", "404"),
    ("certificados.reatribuir", "POST"): requer("atribuir", "422", "404"),
    ("certificados.reenviar", "POST"): requer("atribuir", "→", "404"),
    ("solicitacao.inicio", "GET"): titular("→"),
    ("solicitacao.etapa", "GET"): TITULAR,
    ("solicitacao.etapa", "POST"): titular("422"),
    ("solicitacao.confira", "GET"): titular("→"),
    ("solicitacao.confira", "POST"): titular("→"),
    ("solicitacao.termo", "GET"): titular("→"),
    ("solicitacao.termo", "POST"): titular("→"),
    ("solicitacao.termo_pdf_arquivo", "GET"): titular("404"),
    ("solicitacao.enviada", "GET"): titular("→"),
    # João has not filled the steps before it yet: sent to the first one.
    ("solicitacao.documentos", "GET"): titular("→"),
    ("solicitacao.documentos", "POST"): titular("→"),
    # The file is of another certificate's holder: not found even for João's own link.
    ("solicitacao.documento_arquivo", "GET"): titular("404"),
    ("ajuda.index", "GET"): P,
    ("ajuda.interativa", "GET"): requer("ver_certificados", "→", "200"),
    ("ajuda.atribuir", "GET"): requer("atribuir", "200", "404"),
    ("ajuda.atribuir", "POST"): requer("atribuir", "422", "404"),
    ("ajuda.atribuido", "GET"): requer("ver_certificados", "→", "404"),
    ("agendamento.inicio", "GET"): TITULAR,
    ("agendamento.elegibilidade", "GET"): titular("→"),
    ("agendamento.elegibilidade", "POST"): titular("→"),
    ("agendamento.dias", "GET"): TITULAR,
    ("agendamento.horarios", "GET"): titular("422"),
    ("agendamento.confirmar", "GET"): titular("422"),
    ("agendamento.agendar", "POST"): titular("422"),
    ("agendamento.cancelar", "GET"): TITULAR,
    ("agendamento.cancelar", "POST"): titular("→"),
    ("agendamento.sala", "GET"): P,
    ("agenda.index", "GET"): agente("200"),
    ("agenda.detalhe", "GET"): agente("200"),
    ("agenda.termo", "GET"): agente("200"),
    ("agenda.documento", "GET"): agente("200"),
    # The demo's document is already approved: decided once.
    ("agenda.aprovar_documento", "POST"): agente("409"),
    ("agenda.recusar_documento", "POST"): agente("422"),
    ("agenda.aprovar", "POST"): agente("409"),
    ("agenda.recusar", "POST"): agente("422"),
    ("agenda.nao_compareceu", "POST"): agente("409"),
    ("agenda.compareceu", "POST"): agente("409"),
    ("agenda.revogar", "POST"): agente("422"),
    ("agendamento.presencial", "GET"): TITULAR,
    ("pontos.index", "GET"): agente("200"),
    ("pontos.novo", "GET"): agente("200"),
    ("pontos.novo", "POST"): agente("422"),
    ("pontos.editar", "GET"): agente("200"),
    ("pontos.editar", "POST"): agente("→"),  # nothing posted: the ponto saved as it was
    ("pontos.remover", "POST"): agente("→"),
    ("loja.index", "GET"): P,
    ("loja.index", "POST"): todos("422"),
    ("loja.confirmar", "GET"): requer("comprar", "→"),
    ("loja.confirmar", "POST"): requer("comprar", "422"),
    ("financeiro.index", "GET"): requer("ver_financeiro", "200"),
    ("vencimentos.index", "GET"): requer("ver_vencimentos", "200"),
    ("atividades.index", "GET"): requer("ver_organizacao", "200"),
    ("atividades.exportar", "GET"): requer("ver_organizacao", "200"),
    ("financeiro.boleto", "GET"): requer("ver_financeiro", "200", "404"),
    ("financeiro.pdf", "GET"): requer("ver_financeiro", "200", "404"),
    ("financeiro.nota_fiscal", "GET"): requer("ver_financeiro", "200", "404"),
    ("financeiro.novo_boleto", "GET"): requer("pagar", "200", "404"),
    ("financeiro.novo_boleto", "POST"): requer("pagar", "409", "404"),
    ("pagamentos.index", "GET"): agente("200"),
    ("pagamentos.confirmar", "POST"): agente("422"),
    ("pagamentos.notificacao", "POST"): todos("401"),
    # Nothing chosen: the agent is asked for the PDF or the XML.
    ("pagamentos.nota_fiscal", "POST"): agente("422"),
    ("inicio.saude", "GET"): P,
    ("exportacao.certificados", "GET"): requer("ver_certificados", "200"),  # their own list
    ("exportacao.processos", "GET"): requer("ver_pedidos", "200"),
    ("exportacao.financeiro", "GET"): requer("ver_financeiro", "200"),
    # Propostas: the scenario's one is the Prefeitura's, contracted already (so contracting
    # again leads to its boleto, and the empenho can be corrected).
    ("propostas.index", "GET"): requer("ver_financeiro", "200"),
    ("propostas.proposta", "GET"): requer("ver_financeiro", "200", "404"),
    ("propostas.pdf", "GET"): requer("ver_financeiro", "200", "404"),
    ("propostas.nova", "POST"): requer("comprar", "→", "404"),
    ("propostas.contratar", "POST"): requer("comprar", "→", "404"),
    ("propostas.corrigir_empenho", "POST"): requer("gerir", "→", "404"),
    ("propostas.empenho_pdf", "GET"): requer("ver_financeiro", "404"),  # no PDF was sent
    ("lotes.enviar", "GET"): requer("atribuir", "200"),
    ("lotes.receber", "POST"): requer("atribuir", "422"),
    ("lotes.modelo", "GET"): requer("atribuir", "200"),
    ("lotes.lote", "GET"): requer("atribuir", "200", "404"),
    ("lotes.progresso", "GET"): requer("atribuir", "200", "404"),
    ("lotes.erros", "GET"): requer("atribuir", "200", "404"),
    ("lotes.confirmar", "POST"): requer("atribuir", "→", "404"),
    ("lotes.reenviar", "GET"): requer("atribuir", "200"),
    ("lotes.reenviar_selecionados", "POST"): requer("atribuir", "→"),  # nothing selected
    ("ac.raiz", "GET"): P,
    ("ac.emissora", "GET"): P,
    ("ac.lcr", "GET"): P,
    ("ac.politica", "GET"): P,
    ("ac.ocsp_post", "POST"): P,  # RFC 6960: a malformed request is an OCSP error, HTTP 200
    ("ac.ocsp_get", "GET"): P,
    ("emissao.baixar", "GET"): TITULAR,
    ("emissao.emitir", "POST"): titular("422"),
    ("emissao.emitido", "GET"): titular("404"),
    ("emissao.csr", "GET"): TITULAR,
    ("emissao.csr", "POST"): titular("422"),
    ("emissao.reemitir", "GET"): TITULAR,
    ("emissao.reemitir", "POST"): titular("422"),
    ("emissao.revogar", "GET"): TITULAR,
    ("emissao.revogar", "POST"): titular("422"),
    ("emissao.testar", "GET"): TITULAR,
    ("emissao.testar", "POST"): titular("422"),
    ("validacao.validar", "GET"): P,  # "Validar documento assinado": anyone
    ("validacao.receber", "POST"): todos("422"),  # no file
    ("validacao.exemplo", "GET"): P,
    ("conta.index", "GET"): conta("200"),
    ("conta.sair_de_todos", "POST"): todos("login"),
    # Organização: the URLs name the Prefeitura's invitation (Beatriz's) and Carlos's row.
    ("organizacao.index", "GET"): requer("ver_organizacao", "200"),  # their own organisation
    ("organizacao.convidar", "POST"): requer("gerir", "422"),  # an empty form
    ("organizacao.reenviar_convite", "POST"): requer("gerir", "→", "404"),
    ("organizacao.cancelar_convite", "POST"): requer("gerir", "→", "404"),
    ("organizacao.mudar_papel", "POST"): requer("gerir", "→", "404"),  # to Consulta
    ("organizacao.remover", "POST"): requer("gerir", "→", "404"),
    ("organizacao.nova", "GET"): conta("200"),
    ("organizacao.nova", "POST"): conta("422"),
    ("organizacao.contratantes", "GET"): conta("200"),
    # To the Prefeitura: only its members switch to it.
    ("organizacao.trocar", "POST"): ("login",) + ("→",) * 4 + ("404",) * 3 + SEM_LINK,
    ("organizacao.convite", "GET"): P,  # Beatriz's link: anyone who has it reads it
    ("organizacao.aceitar", "POST"): conta("409"),  # nobody here is Beatriz
}

# What the POSTs send (the others send nothing).
DADOS = {"organizacao.mudar_papel": {"papel": papeis.CONSULTA},
         "organizacao.trocar": lambda cenario: {"contratante": cenario.prefeitura.id}}

# Each actor added to the Prefeitura here: (CPF, name, papel).
NOVOS = {"atribuicao": ("36925814755", "Paula Reis", papeis.ATRIBUICAO),
         "consulta": ("47136925819", "Otávio Lima", papeis.CONSULTA),
         "removido": ("58147036957", "Renata Costa", papeis.GESTOR)}
SENHA = "senha-da-matriz"


def _link(mensagem):
    return re.search(r"http://portal\.test(/convite/[^\s\"]+)", mensagem.body).group(1)


class Cenario:
    """The demo records each route is tried on, and the sessions of the eleven actors."""

    def __init__(self, app):
        self.app = app
        maria = vinculos.conta_com_vinculo(Conta.get(Conta.cpf == "12345678909").id)
        self.prefeitura = maria.vinculo.contratante
        self.contas = {"gestor": maria, "compras": Conta.get(Conta.cpf == "25836914737"),
                       "outro_comprador": Conta.get(Conta.cpf == "11144477735"),
                       "agente": Conta.get(Conta.cpf == "98765432100")}
        for ator, (cpf, nome, papel) in NOVOS.items():
            novo = contas.registrar(cpf, f"{cpf}@example.com", nome, "11988887777")
            Conta.update(senha_hash=generate_password_hash(SENHA)).where(
                Conta.id == novo.id).execute()
            vinculos.entrar(novo, self.prefeitura, papel)
            self.contas[ator] = Conta.get_by_id(novo.id)
        da_prefeitura = ProcessoCompra.contratante == self.prefeitura.id
        self.joao = Certificado.get(Certificado.titular_cpf == JOAO_CPF)
        self.disponivel = (Certificado.select().join(ProcessoCompra)
                           .where(da_prefeitura & (Certificado.situacao == "disponivel"))
                           .first())
        self.agendamento = Agendamento.get(Agendamento.situacao == Agendamento.ATIVO)
        self.agendado = Certificado.get_by_id(self.agendamento.certificado_id)
        self.boleto = Boleto.select().join(ProcessoCompra).where(da_prefeitura).first()
        self.processo = ProcessoCompra.get_by_id(self.boleto.processo_id)
        # A link revoked by a newer one, for each certificate a holder acts on.
        self.revogados, self.ativos, self.tokens = {}, {}, {}
        for certificado in (self.joao, self.agendado):
            atribuicao = atribuicoes.ativa(certificado)
            links.emitir(atribuicao, 30)
            self.revogados[certificado.id] = LinkTitular.select().join(Atribuicao).where(
                Atribuicao.certificado == certificado.id).order_by(LinkTitular.id.desc()).get().id
            self.tokens[certificado.id] = links.emitir(atribuicao, 30)
            self.ativos[certificado.id] = links.verificar(self.tokens[certificado.id]).id
        self.token_senha = contas.emitir_token(maria, contas.RECUPERAR_SENHA, 1)
        self.lote = Lote.create(conta=maria, contratante=self.prefeitura, formato="modelo",
                                nome_arquivo="equipe.csv")
        self.convite = Convite.get(Convite.contratante == self.prefeitura.id)  # Beatriz's
        self.carlos = Responsavel.get(Responsavel.conta == self.contas["compras"].id,
                                      Responsavel.contratante == self.prefeitura.id)
        self.renata = Responsavel.get(Responsavel.conta == self.contas["removido"].id,
                                      Responsavel.contratante == self.prefeitura.id)
        self.nota = NotaFiscal.create(processo=self.processo, numero="1", pdf=b"%PDF-1.4",
                                      enviada_por=self.contas["agente"],
                                      vigente_processo=self.processo.id)
        self.ponto_id = PontoAtendimento.select().first().id
        self.proposta = propostas.gerar(maria, 2, vinculos.ator(maria))
        propostas.contratar(maria, self.proposta, "2026NE000123", None,
                            Beneficiario.from_config(app.config), vinculos.ator(maria))
        # The booked certificate's identity document (the demo's, approved).
        self.arquivo = (ArquivoDocumento.select().join(EnvioDocumento)
                        .where(EnvioDocumento.certificado == self.agendado.id).get())

    def pela_web(self, outbox):
        """Maria resends Beatriz's invitation (so its link is known); the Gestor to be
        removed signs in and opens the Prefeitura's certificate; Maria removes them. Their
        session, reused by every cell, stays open."""
        maria, removido = self.app.test_client(), self.app.test_client()
        assert login(maria, "123.456.789-09", "demo12345").status_code == 303
        reenviado = maria.post(f"/organizacao/convites/{self.convite.id}/reenviar")
        assert reenviado.status_code == 303
        self.token_convite = _link(outbox[-1]).rsplit("/", 1)[-1]
        assert login(removido, NOVOS["removido"][0], SENHA).status_code == 303
        assert removido.get(f"/certificados/{self.joao.numero}").status_code == 200
        removida = maria.post(f"/organizacao/responsaveis/{self.renata.id}/remover")
        assert removida.status_code == 303
        with removido.session_transaction() as sessao:
            self.sessao_removido = dict(sessao)

    def certificado(self, endpoint):
        if endpoint.startswith("agendamento."):
            return self.agendado
        if endpoint in ("certificados.atribuir", "ajuda.atribuir", "ajuda.atribuido"):
            return self.disponivel
        return self.joao

    def url(self, regra):
        certificado = self.certificado(regra.endpoint)
        valores = {"numero": certificado.numero, "filename": "css/app.css",
                   "token": self.tokens[self.joao.id], "etapa": "dados", "versao": 1,
                   "boleto_id": self.boleto.id, "agendamento_id": self.agendamento.id,
                   "codigo": self.agendamento.link_reuniao.rsplit("/", 1)[-1],
                   "lote_id": self.lote.id, "formato": "csv", "destino": "certificado",
                   "codificado": "bm90LW9jc3A=", "convite_id": self.convite.id,
                   "responsavel_id": self.carlos.id, "nota_id": self.nota.id,
                   "proposta_id": self.proposta.id, "ponto_id": self.ponto_id,
                   "arquivo_id": self.arquivo.id, "envio_id": self.arquivo.envio_id}
        if regra.endpoint == "financeiro.nota_fiscal":
            valores["formato"] = "pdf"
        if regra.endpoint == "pedidos.processo":
            valores["numero"] = self.processo.numero
        if regra.endpoint == "auth.definir_senha_link":
            valores["token"] = self.token_senha
        if regra.endpoint.startswith("organizacao."):
            valores["token"] = self.token_convite
        with self.app.test_request_context():
            return url_for(regra.endpoint, **{k: valores[k] for k in regra.arguments})

    def dados(self, endpoint, metodo):
        dados = DADOS.get(endpoint) if metodo == "POST" else None
        return dados(self) if callable(dados) else dados

    def cliente(self, ator, endpoint):
        client = self.app.test_client()
        certificado = self.certificado(endpoint)
        outro = self.agendado if certificado.id == self.joao.id else self.joao
        with client.session_transaction() as sessao:
            agora = relogio.segundos_reais()
            if ator == "removido":
                sessao.update(self.sessao_removido, entrou_em=agora, visto_em=agora)
            elif ator in self.contas:
                conta = self.contas[ator]
                sessao.update(conta_id=conta.id, geracao=conta.sessao_geracao,
                              entrou_em=agora, visto_em=agora)
            elif ator != "anonimo":
                alvo, link = {"link_deste": (certificado, self.ativos.get(certificado.id)),
                              "link_de_outro": (outro, self.ativos[outro.id]),
                              "link_revogado": (certificado,
                                                self.revogados.get(certificado.id))}[ator]
                if link is None:  # a certificate nobody holds yet: any other link
                    alvo, link = outro, self.ativos[outro.id]
                sessao.update(links_titular={str(alvo.id): link}, entrou_em=agora,
                              visto_em=agora)
        return client


def resposta(response):
    if 300 <= response.status_code < 400:
        return "login" if response.headers["Location"].startswith("/entrar") else "→"
    return str(response.status_code)


RECUSAS = {"login", "401", "403", "404", "410"}


def vazou(espera, obtido):
    """A refused cell answered with a page or onward: something was let through."""
    return espera in RECUSAS and obtido not in RECUSAS and not obtido.startswith(("4", "5"))


def test_every_route_every_actor_every_method(app, demo, ac_demo, outbox):
    with app.app_context(), db.connection_context():
        cenario = Cenario(app)
    cenario.pela_web(outbox)
    celulas, divergencias, sem_entrada, vazamentos, erros = 0, [], [], 0, 0
    for regra in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for metodo in sorted(regra.methods - {"HEAD", "OPTIONS"}):
            esperado = MATRIZ.get((regra.endpoint, metodo))
            if esperado is None:
                sem_entrada.append(f"{metodo} {regra.rule} ({regra.endpoint})")
                continue
            url = cenario.url(regra)
            dados = cenario.dados(regra.endpoint, metodo)
            for ator, espera in zip(ATORES, esperado, strict=True):
                client = cenario.cliente(ator, regra.endpoint)
                with db.connection_context(), db.atomic() as transacao:
                    response = client.open(url, method=metodo, data=dados)
                    obtido, corpo = resposta(response), response.get_data()
                    response.close()
                    transacao.rollback()
                celulas += 1
                vazamentos += vazou(espera, obtido)
                erros += obtido.startswith("5")
                if obtido == espera == "403" and esperado.recusa not in corpo:
                    divergencias.append(f"{metodo} {url} [{ator}]: 403 sem os papéis que podem")
                if obtido != espera:
                    divergencias.append(f"{metodo} {url} [{ator}]: esperado {espera}, "
                                        f"obtido {obtido}")
    print(f"\nmatriz de acesso: {celulas} células ({len(ATORES)} atores); "
          f"divergências: {len(divergencias)}; vazamentos: {vazamentos}; respostas 500: {erros}")
    assert not sem_entrada, "rotas sem linha na matriz: " + "; ".join(sem_entrada)
    assert not divergencias, "\n".join(divergencias)
    assert vazamentos == 0 and erros == 0
    assert len(MATRIZ) == len({(r.endpoint, m) for r in app.url_map.iter_rules()
                               for m in r.methods - {"HEAD", "OPTIONS"}}), "linhas órfãs"
