"""Who may open what: every route of `app.url_map` × seven actors × every method it takes,
each cell with the answer written below. A route added without its row here fails the test.

Actors: anonymous, the buyer (Maria), another buyer (José), the registration agent, the
holder's personal link of the certificate in the URL, the link of another certificate, and
a revoked link of this certificate. Each cell runs inside a transaction rolled back after
it, so a POST that changes something (a logout, a resent link) never changes the next cell.
"""

from flask import url_for

from models import (Agendamento, ArquivoDocumento, Atribuicao, Boleto, Certificado, Conta,
                    EnvioDocumento, LinkTitular, Lote, ProcessoCompra, db)
from services.titular import atribuicoes
from services.contratantes import contas
from services.titular import links
import relogio
from tests.support.solicitacao import JOAO_CPF

ATORES = ("anonimo", "comprador", "outro_comprador", "agente", "link_deste", "link_de_outro",
          "link_revogado")

# Answers: a status code, or "login" for a redirect to /entrar, "→" for any other redirect.
# One string per actor, in the order of ATORES.
P = ("200",) * 7                                               # public page
LOGIN = ("login", "200", "200", "200", "login", "login", "login")  # any account
DONO = ("login", "200", "404", "404", "login", "login", "login")   # the buyer who owns it
AGENTE = ("login", "404", "404", "200", "login", "login", "login")
TITULAR = ("404", "404", "404", "404", "200", "404", "410")       # the holder (link)


MATRIZ = {
    ("static", "GET"): P,
    ("inicio.index", "GET"): ("200", "200", "200", "→", "200", "200", "200"),
    ("auth.login", "GET"): ("200", "→", "→", "→", "200", "200", "200"),
    ("auth.login", "POST"): ("422",) * 7,
    ("auth.logout", "POST"): ("login",) * 7,
    ("auth.primeiro_acesso", "GET"): P,
    ("auth.primeiro_acesso", "POST"): ("422",) * 7,
    ("auth.primeiro_acesso_dados", "GET"): ("→",) * 7,  # step 1 first
    ("auth.primeiro_acesso_dados", "POST"): ("→",) * 7,
    ("auth.esqueci_senha", "GET"): P,
    ("auth.esqueci_senha", "POST"): ("422",) * 7,
    ("auth.definir_senha_link", "GET"): ("→",) * 7,
    ("auth.definir_senha", "GET"): ("404",) * 7,
    ("auth.definir_senha", "POST"): ("404",) * 7,
    ("pedidos.index", "GET"): LOGIN,
    ("pedidos.processos_lista", "GET"): LOGIN,
    ("pedidos.processo", "GET"): DONO,
    ("titular.link", "GET"): ("→",) * 7,
    ("titular.direto", "GET"): ("→",) * 7,  # the token opens the holder's session anywhere
    ("inicio.sessao_quadro", "GET"): P,
    ("inicio.favicon", "GET"): P,
    ("titular.certificado", "GET"): TITULAR,
    ("certificados.index", "GET"): LOGIN,
    ("certificados.lista", "GET"): LOGIN,
    ("certificados.gerenciar", "GET"): DONO,
    ("certificados.atribuir", "GET"): DONO,
    ("certificados.atribuir", "POST"): ("login", "422", "404", "404", "login", "login", "login"),
    ("certificados.reatribuir", "GET"): DONO,
    ("certificados.reatribuir", "POST"): ("login", "422", "404", "404", "login", "login",
                                          "login"),
    ("certificados.reenviar", "POST"): ("login", "→", "404", "404", "login", "login", "login"),
    ("solicitacao.inicio", "GET"): ("404", "404", "404", "404", "→", "404", "410"),
    ("solicitacao.etapa", "GET"): TITULAR,
    ("solicitacao.etapa", "POST"): ("404", "404", "404", "404", "422", "404", "410"),
    ("solicitacao.confira", "GET"): ("404", "404", "404", "404", "→", "404", "410"),
    ("solicitacao.confira", "POST"): ("404", "404", "404", "404", "→", "404", "410"),
    ("solicitacao.termo", "GET"): ("404", "404", "404", "404", "→", "404", "410"),
    ("solicitacao.termo", "POST"): ("404", "404", "404", "404", "→", "404", "410"),
    ("solicitacao.termo_pdf_arquivo", "GET"): ("404",) * 6 + ("410",),
    ("solicitacao.enviada", "GET"): ("404", "404", "404", "404", "→", "404", "410"),
    # João has not filled the steps before it yet: sent to the first one.
    ("solicitacao.documentos", "GET"): ("404", "404", "404", "404", "→", "404", "410"),
    ("solicitacao.documentos", "POST"): ("404", "404", "404", "404", "→", "404", "410"),
    # The file is of another certificate's holder: not found even for João's own link.
    ("solicitacao.documento_arquivo", "GET"): ("404",) * 6 + ("410",),
    ("ajuda.index", "GET"): P,
    ("ajuda.interativa", "GET"): ("login", "→", "200", "200", "login", "login", "login"),
    ("ajuda.atribuir", "GET"): DONO,
    ("ajuda.atribuir", "POST"): ("login", "422", "404", "404", "login", "login", "login"),
    ("ajuda.atribuido", "GET"): ("login", "→", "404", "404", "login", "login", "login"),
    ("agendamento.inicio", "GET"): TITULAR,
    ("agendamento.elegibilidade", "GET"): ("404", "404", "404", "404", "→", "404", "410"),
    ("agendamento.elegibilidade", "POST"): ("404", "404", "404", "404", "→", "404", "410"),
    ("agendamento.dias", "GET"): TITULAR,
    ("agendamento.horarios", "GET"): ("404", "404", "404", "404", "422", "404", "410"),
    ("agendamento.confirmar", "GET"): ("404", "404", "404", "404", "422", "404", "410"),
    ("agendamento.agendar", "POST"): ("404", "404", "404", "404", "422", "404", "410"),
    ("agendamento.cancelar", "GET"): TITULAR,
    ("agendamento.cancelar", "POST"): ("404", "404", "404", "404", "→", "404", "410"),
    ("agendamento.sala", "GET"): P,
    ("agenda.index", "GET"): AGENTE,
    ("agenda.detalhe", "GET"): AGENTE,
    ("agenda.termo", "GET"): AGENTE,
    ("agenda.documento", "GET"): AGENTE,
    # The demo's document is already approved: decided once.
    ("agenda.aprovar_documento", "POST"): ("login", "404", "404", "409", "login", "login",
                                           "login"),
    ("agenda.recusar_documento", "POST"): ("login", "404", "404", "422", "login", "login",
                                           "login"),
    ("agenda.aprovar", "POST"): ("login", "404", "404", "409", "login", "login", "login"),
    ("agenda.recusar", "POST"): ("login", "404", "404", "422", "login", "login", "login"),
    ("agenda.nao_compareceu", "POST"): ("login", "404", "404", "409", "login", "login",
                                        "login"),
    ("loja.index", "GET"): P,
    ("loja.index", "POST"): ("422",) * 7,
    ("loja.confirmar", "GET"): ("login", "→", "→", "→", "login", "login", "login"),
    ("loja.confirmar", "POST"): ("login", "422", "422", "422", "login", "login", "login"),
    ("financeiro.index", "GET"): LOGIN,
    ("vencimentos.index", "GET"): ("login", "200", "200", "403", "login", "login", "login"),
    ("financeiro.boleto", "GET"): DONO,
    ("financeiro.pdf", "GET"): DONO,
    ("financeiro.novo_boleto", "GET"): DONO,
    ("financeiro.novo_boleto", "POST"): ("login", "409", "404", "404", "login", "login",
                                         "login"),
    ("pagamentos.index", "GET"): AGENTE,
    ("pagamentos.confirmar", "POST"): ("login", "404", "404", "422", "login", "login",
                                       "login"),
    ("pagamentos.notificacao", "POST"): ("401",) * 7,
    ("inicio.saude", "GET"): P,
    ("exportacao.certificados", "GET"): LOGIN,  # each buyer exports their own list
    ("exportacao.processos", "GET"): LOGIN,
    ("lotes.enviar", "GET"): LOGIN,
    ("lotes.receber", "POST"): ("login", "422", "422", "422", "login", "login", "login"),
    ("lotes.modelo", "GET"): LOGIN,
    ("lotes.lote", "GET"): DONO,
    ("lotes.progresso", "GET"): DONO,
    ("lotes.erros", "GET"): DONO,
    ("lotes.confirmar", "POST"): ("login", "→", "404", "404", "login", "login", "login"),
    ("lotes.reenviar", "GET"): LOGIN,
    ("lotes.reenviar_selecionados", "POST"): ("login", "→", "→", "→", "login", "login",
                                              "login"),  # nothing selected: back to the list
    ("ac.raiz", "GET"): P,
    ("ac.emissora", "GET"): P,
    ("ac.lcr", "GET"): P,
    ("ac.politica", "GET"): P,
    ("ac.ocsp_post", "POST"): P,  # RFC 6960: a malformed request is an OCSP error, HTTP 200
    ("ac.ocsp_get", "GET"): P,
    ("agenda.revogar", "POST"): ("login", "404", "404", "422", "login", "login", "login"),
    ("emissao.baixar", "GET"): TITULAR,
    ("emissao.baixar", "POST"): ("404", "404", "404", "404", "422", "404", "410"),
    ("emissao.csr", "GET"): TITULAR,
    ("emissao.csr", "POST"): ("404", "404", "404", "404", "422", "404", "410"),
    ("emissao.reemitir", "GET"): TITULAR,
    ("emissao.reemitir", "POST"): ("404", "404", "404", "404", "422", "404", "410"),
    ("emissao.revogar", "GET"): TITULAR,
    ("emissao.revogar", "POST"): ("404", "404", "404", "404", "422", "404", "410"),
    ("emissao.testar", "GET"): TITULAR,
    ("emissao.testar", "POST"): ("404", "404", "404", "404", "422", "404", "410"),
    ("conta.index", "GET"): LOGIN,
    ("conta.sair_de_todos", "POST"): ("login",) * 7,
}


class Cenario:
    """The demo records each route is tried on, and the sessions of the seven actors."""

    def __init__(self, app):
        self.app = app
        maria = Conta.get(Conta.cpf == "12345678909")
        self.contas = {"comprador": maria, "outro_comprador": Conta.get(Conta.cpf == "11144477735"),
                       "agente": Conta.get(Conta.cpf == "98765432100")}
        da_maria = ProcessoCompra.comprador == maria.id
        self.joao = Certificado.get(Certificado.titular_cpf == JOAO_CPF)
        self.disponivel = (Certificado.select().join(ProcessoCompra)
                           .where(da_maria & (Certificado.situacao == "disponivel")).first())
        self.agendamento = Agendamento.get(Agendamento.situacao == Agendamento.ATIVO)
        self.agendado = Certificado.get_by_id(self.agendamento.certificado_id)
        self.boleto = Boleto.select().join(ProcessoCompra).where(da_maria).first()
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
        self.lote = Lote.create(conta=maria, contratante=maria.contratante_ativo_id,
                                formato="modelo", nome_arquivo="equipe.csv")
        # The booked certificate's identity document (the demo's, approved).
        self.arquivo = (ArquivoDocumento.select().join(EnvioDocumento)
                        .where(EnvioDocumento.certificado == self.agendado.id).get())

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
                   "codificado": "bm90LW9jc3A=", "arquivo_id": self.arquivo.id,
                   "envio_id": self.arquivo.envio_id}
        if regra.endpoint == "pedidos.processo":
            valores["numero"] = self.processo.numero
        if regra.endpoint == "auth.definir_senha_link":
            valores["token"] = self.token_senha
        with self.app.test_request_context():
            return url_for(regra.endpoint, **{k: valores[k] for k in regra.arguments})

    def cliente(self, ator, endpoint):
        client = self.app.test_client()
        certificado = self.certificado(endpoint)
        outro = self.agendado if certificado.id == self.joao.id else self.joao
        with client.session_transaction() as sessao:
            agora = relogio.segundos_reais()
            if ator in self.contas:
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


def test_every_route_every_actor_every_method(app, demo, ac_demo):
    with app.app_context(), db.connection_context():
        cenario = Cenario(app)
    celulas, divergencias, sem_entrada = 0, [], []
    for regra in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for metodo in sorted(regra.methods - {"HEAD", "OPTIONS"}):
            esperado = MATRIZ.get((regra.endpoint, metodo))
            if esperado is None:
                sem_entrada.append(f"{metodo} {regra.rule} ({regra.endpoint})")
                continue
            url = cenario.url(regra)
            for ator, espera in zip(ATORES, esperado, strict=True):
                client = cenario.cliente(ator, regra.endpoint)
                with db.connection_context(), db.atomic() as transacao:
                    obtido = resposta(client.open(url, method=metodo))
                    transacao.rollback()
                celulas += 1
                if obtido != espera:
                    divergencias.append(f"{metodo} {url} [{ator}]: esperado {espera}, "
                                        f"obtido {obtido}")
    print(f"\nmatriz de acesso: {celulas} células ({len(ATORES)} atores); "
          f"divergências: {len(divergencias)}")
    assert not sem_entrada, "rotas sem linha na matriz: " + "; ".join(sem_entrada)
    assert not divergencias, "\n".join(divergencias)
    assert len(MATRIZ) == len({(r.endpoint, m) for r in app.url_map.iter_rules()
                               for m in r.methods - {"HEAD", "OPTIONS"}}), "linhas órfãs"
