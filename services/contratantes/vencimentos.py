"""'Vencimentos': a contratante's issued certificates by end of validity — how many expired in
the last 90 days and how many end within 30, 60 and 90 days, and the list of each range.

Only the valid X.509 of each certificate counts (not revoked: one per certificate), the same
rows the renewal reminders read (services.certificacao.renovacao.validos_entre). Counts and
lists read one partial index, (contratante, valido_ate, id) of the valid X.509s, so every page
costs the same few queries whatever the volume: the four counts (stopping at
LIMITE_CONTAGEM, in one query), the page read by cursor, whether rows come before it, and
the certificates of the page by primary key.
"""
from dataclasses import dataclass
from datetime import timedelta

from peewee import SQL, Select, fn

from models import Certificado, CertificadoX509
from relogio import utcnow
from services.certificacao import renovacao
from services.contratantes import posse
from services.nucleo import paginacao

JANELA_DIAS = 90  # how far back "Vencidos" looks, and the farthest range ahead

# key -> (label, start, end in days from now): the range (start, end] of valido_ate.
FAIXAS = {
    "vencidos": ("Vencidos nos últimos 90 dias", -JANELA_DIAS, 0),
    "30": ("Vencem em até 30 dias", 0, 30),
    "60": ("Vencem em até 60 dias", 0, 60),
    "90": ("Vencem em até 90 dias", 0, JANELA_DIAS),
}
PADRAO = "30"

_ORDEM = (CertificadoX509.valido_ate, CertificadoX509.id)  # the index's order after contratante


@dataclass
class Faixa:
    chave: str
    rotulo: str
    total: int  # exact up to LIMITE_CONTAGEM; above it, LIMITE_CONTAGEM + 1

    @property
    def excede(self):
        return self.total > paginacao.LIMITE_CONTAGEM


def ler_faixa(texto):
    """A range as asked for in the address; anything else is the default (30 days)."""
    return texto if texto in FAIXAS else PADRAO


def _base(escopo, chave, agora):
    _, inicio, fim = FAIXAS[chave]
    return renovacao.validos_entre(agora + timedelta(days=inicio),
                                   agora + timedelta(days=fim)).where(escopo)


def contagens(escopo, agora=None):
    """[Faixa] of the X.509s `escopo` selects (one contratante's), in FAIXAS' order: one query,
    each count an index range read of at most LIMITE_CONTAGEM + 1 entries."""
    agora = agora or utcnow()
    colunas = []
    for chave in FAIXAS:
        primeiros = (_base(escopo, chave, agora).select(CertificadoX509.id)
                     .order_by(*_ORDEM).limit(paginacao.LIMITE_CONTAGEM + 1))
        colunas.append(Select([primeiros.alias(f"p_{chave}")], [fn.COUNT(SQL("1"))])
                       .alias(f"n_{chave}"))
    linha = Select(columns=colunas).bind(CertificadoX509._meta.database).dicts().get()
    return [Faixa(chave, rotulo, linha[f"n_{chave}"])
            for chave, (rotulo, _, _) in FAIXAS.items()]


def contratantes_com_vencimentos(agora=None):
    """Ids of the contratantes with a valid X.509 in some range (for the weekly digest)."""
    agora = agora or utcnow()
    janela = timedelta(days=JANELA_DIAS)
    return {x.contratante_id for x in renovacao.validos_entre(agora - janela, agora + janela)
            .select(CertificadoX509.contratante).distinct()}


def da_conta(conta, chave, por_pagina, depois=None, antes=None, agora=None):
    """The counts of `conta`'s active contratante and one page of range `chave`, soonest end
    first, each X.509 with its `certificado`: ([Faixa], paginacao.Pagina)."""
    agora = agora or utcnow()
    escopo = posse.escopo_x509(conta)
    with paginacao.lendo_o_indice_em_ordem(True):
        faixas = contagens(escopo, agora)
        total = next(f.total for f in faixas if f.chave == chave)
        pagina = _pagina(_base(escopo, chave, agora), total, max(1, por_pagina), depois, antes)
        paginacao.anexar(pagina.itens, "certificado", Certificado)
    return faixas, pagina


def _chave(registro):
    return registro.valido_ate, registro.id


def _depois_de(valor):
    """Rows after (valido_ate, id) `valor` in the list's order (the first part reads the index)."""
    fim, ident = valor
    return (CertificadoX509.valido_ate >= fim) & (
        (CertificadoX509.valido_ate > fim) | (CertificadoX509.id > ident))


def _antes_de(valor):
    fim, ident = valor
    return (CertificadoX509.valido_ate <= fim) & (
        (CertificadoX509.valido_ate < fim) | (CertificadoX509.id < ident))


def _pagina(base, total, por_pagina, depois, antes):
    """Keyset paging on (valido_ate, id), the order of the index; the cursors are X.509 ids
    (`depois`: the last row seen, "Próxima"; `antes`: the first, "Anterior"). A cursor not in
    the list, or with nothing beyond it, shows the first page."""
    def ler(condicao, para_tras):
        ordem = [c.desc() for c in _ORDEM] if para_tras else list(_ORDEM)
        linhas = list((base.where(condicao) if condicao is not None else base)
                      .order_by(*ordem).limit(por_pagina + 1))
        mais = len(linhas) > por_pagina
        linhas = linhas[:por_pagina]
        return (linhas[::-1] if para_tras else linhas), mais

    def existe(condicao):
        return base.where(condicao).exists()

    cursor = depois or antes
    marco = base.where(CertificadoX509.id == cursor).first() if cursor else None
    if marco is not None and antes:
        itens, mais = ler(_antes_de(_chave(marco)), para_tras=True)
        if itens:
            proxima = itens[-1].id if existe(_depois_de(_chave(itens[-1]))) else None
            return paginacao.Pagina(itens, total, itens[0].id if mais else None, proxima)
    elif marco is not None:
        itens, mais = ler(_depois_de(_chave(marco)), para_tras=False)
        if itens:
            anterior = itens[0].id if existe(_antes_de(_chave(itens[0]))) else None
            return paginacao.Pagina(itens, total, anterior, itens[-1].id if mais else None)
    itens, mais = ler(None, para_tras=False)
    return paginacao.Pagina(itens, total, None, itens[-1].id if mais and itens else None)
