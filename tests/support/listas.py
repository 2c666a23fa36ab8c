"""A buyer with volume: Maria with more purchases and certificates than a page of the lists
(Gerenciar Certificados, Consulta Processos de Compra) holds."""
from models import Certificado, db
from services.titular import atribuicoes
from services.nucleo import correio
from services.nucleo.ciclo_de_vida import Ator
from tests.support import financeiro as helpers
from tests.integration.test_lotes import cpf_valido


def com_volume(app, compras=20, certificados=20, aguardando=3):
    """`compras` purchases awaiting payment, one paid purchase of `certificados` certificates
    pending assignment, of which `aguardando` are assigned (the holder's link is out).
    Returns {"processo": the paid purchase's number, "aguardando": the numbers of the
    certificates awaiting their holder, oldest first}."""
    with app.app_context(), db.connection_context():
        for _ in range(compras):
            helpers.nova_compra(app, helpers.dias(3))
        paga = helpers.compra_paga(app, certificados)
        conta = helpers.conta()
        numeros = []
        for i, certificado in enumerate(Certificado.select().where(Certificado.processo == paga.id)
                                        .order_by(Certificado.id).limit(aguardando)):
            atribuicoes.atribuir(certificado, cpf_valido(700 + i), f"titular{i}@orgao.gov.br",
                                 conta, Ator(conta.nome, conta.id), 30)
            numeros.append(certificado.numero)
        correio.descartar()  # set-up, not the test: these first links are not sent
        return {"processo": paga.numero, "aguardando": numeros}
