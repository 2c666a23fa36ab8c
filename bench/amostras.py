"""What the benchmark's pages need from a database `bench-data` loaded: for Maria (the
organisation with 100 000 certificates) and a buyer with about 1 000, their biggest purchase,
an available certificate and a boleto; and a holder's certificate with its bench link.

`python -m bench.amostras` prints them (make bench reads that line); bench/perfil.py calls
`ler()`. Needs an app context's database (create_app)."""
from models import (Atribuicao, Boleto, Certificado, Conta, LinkTitular, ProcessoCompra, db,
                    utcnow)
from services.contratantes import vinculos
from bench import gerador

MARIA = "12345678909"


def _do(cpf):
    # What the person's active contratante holds (Maria's: the demo organisation).
    contratante = vinculos.contratante_de(Conta.get(Conta.cpf == cpf))
    maior = (ProcessoCompra.select().where(ProcessoCompra.contratante == contratante)
             .order_by(ProcessoCompra.quantidade.desc(), ProcessoCompra.id.desc()).first())
    cert = (Certificado.select().where((Certificado.contratante == contratante)
            & (Certificado.situacao == "disponivel")).order_by(Certificado.id.desc()).first())
    boleto = (Boleto.select().where(Boleto.contratante == contratante)
              .order_by(Boleto.id.desc()).first())
    return maior.numero, cert.numero, boleto.id


def ler():
    with db.connection_context():
        um_mil = gerador.cpf(800_000_001)
        titular = (Certificado.select().join(Atribuicao).join(LinkTitular).where(
            (Certificado.situacao == "solicitado") & (LinkTitular.expira_em > utcnow()))
            .order_by(Certificado.id.desc()).first())
        return {"maria": _do(MARIA), "mil": _do(um_mil), "mil_cpf": um_mil,
                "titular": (titular.id, titular.numero)}


if __name__ == "__main__":
    from app import create_app
    create_app()
    print(repr(ler()))
