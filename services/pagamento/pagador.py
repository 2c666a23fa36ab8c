"""Who a boleto names as pagador: the organisation that buys (razão social, CNPJ and
address, as its bank expects), or the person buying for themself (name and masked CPF)."""
from dataclasses import dataclass

from services.contratantes import organizacoes
from services.nucleo import formatacao


@dataclass(frozen=True)
class Pagador:
    nome: str
    documento: str  # "CNPJ 11.222.333/0001-81", or "CPF ***.456.789-**"
    endereco: str = ""  # one line; only an organisation's is printed

    def __str__(self):
        return f"{self.nome} — {self.documento}"


def da_compra(contratante, processo):
    """The pagador of `processo`, a purchase of `contratante`; its `comprador` (the Conta
    that bought) is read only for a person's purchase."""
    if contratante.e_organizacao:
        return Pagador(contratante.nome, organizacoes.documento_formatado(contratante),
                       organizacoes.endereco_formatado(contratante))
    comprador = processo.comprador
    return Pagador(comprador.nome, f"CPF {formatacao.mask_cpf(comprador.cpf)}")
