"""Reading a buyer's purchases ("Consulta Processos de Compra"): constant queries per page."""
import re
from dataclasses import dataclass

from models import Boleto, Certificado, Evento, ProcessoCompra, Produto


@dataclass
class Pagina:
    itens: list
    pagina: int
    total: int
    por_pagina: int

    @property
    def paginas(self):
        return max(1, -(-self.total // self.por_pagina))

    @property
    def anterior(self):
        return self.pagina - 1 if self.pagina > 1 else None

    @property
    def proxima(self):
        return self.pagina + 1 if self.pagina < self.paginas else None


def normalizar_busca(texto):
    """What people type to find a purchase ID: digits only, spaces and dashes ignored."""
    return re.sub(r"\D", "", texto or "")[:20]


def listar(conta, busca="", pagina=1, por_pagina=10):
    query = (ProcessoCompra.select(ProcessoCompra, Produto)
             .join(Produto)
             .where(ProcessoCompra.comprador == conta.id))
    termo = normalizar_busca(busca)
    if termo:
        query = query.where(ProcessoCompra.numero.contains(termo))
    total = query.count()
    pagina = min(max(1, pagina), max(1, -(-total // por_pagina)))
    itens = list(query.order_by(ProcessoCompra.criado_em.desc(), ProcessoCompra.id.desc())
                 .paginate(pagina, por_pagina))
    return Pagina(itens, pagina, total, por_pagina)


def obter(conta, numero):
    """The buyer's own purchase by its number, or None (someone else's looks the same)."""
    return (ProcessoCompra.select(ProcessoCompra, Produto).join(Produto)
            .where((ProcessoCompra.numero == numero) & (ProcessoCompra.comprador == conta.id))
            .first())


def certificados(processo):
    return list(Certificado.select().where(Certificado.processo == processo.id)
                .order_by(Certificado.numero))


def boletos(processo):
    return list(Boleto.select().where(Boleto.processo == processo.id).order_by(Boleto.id))


def eventos(processo):
    return list(Evento.select().where(Evento.processo == processo.id)
                .order_by(Evento.criado_em, Evento.id))
