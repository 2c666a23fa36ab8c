"""The papéis of a contratante's responsáveis and what each may do: the one access matrix.

Views declare the action they perform (`web.papeis.requer`); menus and buttons ask `pode`, so
what a papel may not do is never offered. A direct request for it is refused with `SemPapel`
(403), whose message names the papéis that may.
"""
from services.nucleo.recusas import Recusa

GESTOR = "gestor"
COMPRAS = "compras"
ATRIBUICAO = "atribuicao"
CONSULTA = "consulta"

# In the order the Organização page offers them.
NOMES = {
    GESTOR: "Gestor",
    COMPRAS: "Compras e financeiro",
    ATRIBUICAO: "Atribuição",
    CONSULTA: "Consulta",
}
PAPEIS = tuple(NOMES)

TODOS = frozenset(PAPEIS)

# action -> the papéis that may perform it.
ACOES = {
    "ver_pedidos": TODOS,                                      # Meus Pedidos
    "ver_certificados": frozenset({GESTOR, ATRIBUICAO, CONSULTA}),  # Gerenciar Certificados
    "ver_financeiro": frozenset({GESTOR, COMPRAS, CONSULTA}),  # Financeiro
    "ver_organizacao": TODOS,                                  # Organização, Atividades
    "ver_vencimentos": frozenset({GESTOR, ATRIBUICAO, CONSULTA}),
    "comprar": frozenset({GESTOR, COMPRAS}),                   # Solicite agora
    "pagar": frozenset({GESTOR, COMPRAS}),                     # Gerar novo Boleto
    "atribuir": frozenset({GESTOR, ATRIBUICAO}),  # Atribuir, Reatribuir, em lote, links, Renovar
    "gerir": frozenset({GESTOR}),                              # invite, change papéis, remove
}

DESCRICOES = {
    GESTOR: "Tudo abaixo, e convidar, mudar papéis e remover responsáveis.",
    COMPRAS: "Solicite agora e Propostas, Financeiro (boletos, Gerar novo Boleto) e Meus "
             "Pedidos.",
    ATRIBUICAO: "Gerenciar Certificados: atribuir, reatribuir, atribuir em lote, reenviar "
                "links e renovar; Meus Pedidos.",
    CONSULTA: "Ver e exportar Meus Pedidos, Gerenciar Certificados, Financeiro e Propostas; "
              "nenhuma ação.",
}


def quem_pode(acao):
    """The papéis that may do `acao`, as a sentence says them: "Gestor ou Atribuição"."""
    nomes = [NOMES[p] for p in PAPEIS if p in ACOES[acao]]
    return nomes[0] if len(nomes) == 1 else ", ".join(nomes[:-1]) + " ou " + nomes[-1]


class SemPapel(Recusa):
    """The person's papel does not allow the action (403): the message names who may."""

    def __init__(self, acao):
        papel = "o papel" if len(ACOES[acao]) == 1 else "um dos papéis"
        super().__init__(f"Esta ação exige {papel} {quem_pode(acao)} no contratante ativo. "
                         "Peça a um Gestor da organização, na página Organização.")
        self.acao = acao


def pode(vinculo, acao):
    """True when membership `vinculo` (a Responsavel, or None) allows `acao`."""
    return vinculo is not None and vinculo.papel in ACOES[acao]


def exigir(vinculo, acao):
    if not pode(vinculo, acao):
        raise SemPapel(acao)


def nome(papel):
    return NOMES.get(papel, papel)


def ler_papel(texto):
    """A papel as posted by a form, or a Recusa on the field."""
    if texto not in NOMES:
        raise Recusa("Escolha um dos papéis da lista.", "papel")
    return texto
