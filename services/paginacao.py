"""Keyset ("seek") pagination for every list: a page starts from a cursor (the id of the
last row seen) and reads the next rows of an index in order, so page 1 000 costs what page
1 does. Counts stop at LIMITE_CONTAGEM: a buyer with 100 000 certificates reads "mais de
1.000", never a count of everything.

Lists show the newest first (descending id). `depois=<id>` ("Próxima") shows older rows,
`antes=<id>` ("Anterior") newer ones. A cursor past either end shows the first or last page.
"""
from dataclasses import dataclass

LIMITE_CONTAGEM = 1000
_MAIOR_ID = 2 ** 63 - 1


@dataclass
class Pagina:
    itens: list
    total: int  # exact up to LIMITE_CONTAGEM; above it, LIMITE_CONTAGEM + 1
    anterior: int | None = None  # cursor for "Anterior" (newer rows)
    proxima: int | None = None  # cursor for "Próxima" (older rows)

    @property
    def excede(self):
        """More rows than were counted: say "mais de" instead of a number."""
        return self.total > LIMITE_CONTAGEM

    @property
    def paginada(self):
        return self.anterior is not None or self.proxima is not None


def cursor(valor):
    """A cursor from the query string: a positive id, or None for anything else."""
    try:
        numero = int(valor)
    except (TypeError, ValueError):
        return None
    return numero if 0 < numero <= _MAIOR_ID else None


def contar(base, chave):
    """How many rows `base` has, stopping at LIMITE_CONTAGEM + 1 (reads at most that many
    index entries)."""
    return base.select(chave).limit(LIMITE_CONTAGEM + 1).count()


def paginar(query, base, chave, por_pagina, depois=None, antes=None):
    """One page of `query` in descending `chave`, from a cursor.

    `base` is the same filter without joins, for the count and the "is there more" probe.
    Three queries, each an index range read of at most `por_pagina + 1` rows (the count at
    most LIMITE_CONTAGEM + 1), whatever the volume.
    """
    por_pagina = max(1, por_pagina)
    total = contar(base, chave)

    def ler(condicao, crescente):
        ordem = chave.asc() if crescente else chave.desc()
        q = query.where(condicao) if condicao is not None else query
        linhas = list(q.order_by(ordem).limit(por_pagina + 1))
        mais = len(linhas) > por_pagina
        linhas = linhas[:por_pagina]
        return (linhas[::-1] if crescente else linhas), mais

    def valor(item):
        return getattr(item, chave.name)

    def existe(condicao):
        return base.where(condicao).exists()

    if antes is not None:
        itens, mais_novas = ler(chave > antes, crescente=True)
        if itens:
            proxima = valor(itens[-1]) if existe(chave < valor(itens[-1])) else None
            return Pagina(itens, total, valor(itens[0]) if mais_novas else None, proxima)
        depois = None  # past the newest row: the first page
    elif depois is not None:
        itens, mais_antigas = ler(chave < depois, crescente=False)
        if not itens:  # past the oldest row: the last page
            itens, mais_novas = ler(None, crescente=True)
            return Pagina(itens, total, valor(itens[0]) if mais_novas else None, None)
        anterior = valor(itens[0]) if existe(chave > valor(itens[0])) else None
        return Pagina(itens, total, anterior, valor(itens[-1]) if mais_antigas else None)
    itens, mais_antigas = ler(None, crescente=False)
    return Pagina(itens, total, None, valor(itens[-1]) if mais_antigas and itens else None)
