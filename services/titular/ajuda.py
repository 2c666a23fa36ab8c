"""The frequent questions of "Ajuda", in our own words for our own screens, and their search;
and the certificates "Ajuda Interativa" can carry on with.

Each answer names the screens by their visible names and links to them.
"""
import unicodedata
from dataclasses import dataclass

from models import Certificado, ProcessoCompra
from services.contratantes import posse
from services.nucleo.ciclo_de_vida import CERTIFICADO_ACOES, PREENCHIVEIS
from services.pagamento.boletos import JANELA_DIAS


@dataclass(frozen=True)
class Pergunta:
    id: str
    pergunta: str
    passos: tuple  # the answer, one sentence or step each
    links: tuple = ()  # (visible name, endpoint)


PERGUNTAS = (
    Pergunta(
        "andamento", "Já comprei. Como acompanho o andamento do meu pedido?",
        ("Entre na Área do Cliente e abra Meus Pedidos.",
         "Escolha Consulta Processos de Compra e procure o ID Processo Compra (Contrato), que "
         "está no e-mail da compra.",
         "Abra o processo: o andamento mostra cada passo, do pagamento à emissão."),
        (("Consulta Processos de Compra", "pedidos.processos_lista"),),
    ),
    Pergunta(
        "atribuir-termo", "Como atribuo o meu certificado e gero o termo de titularidade?",
        ("Depois que o pagamento for reconhecido, abra Solicitação de Certificado Digital e "
         "depois Gerenciar Certificados. Se o certificado não aparecer, escolha “Todos” em "
         "Situação.",
         "Em Atribuir/Gerenciar Certificado Digital, informe o CPF e o e-mail do titular. O "
         "titular recebe um link para preencher a solicitação.",
         "Se o titular for você mesmo, preencha a solicitação, gere o termo de titularidade e "
         "aceite-o. Depois, agende a videoconferência de validação cadastral.",
         "A Ajuda Interativa faz tudo isso com você, uma etapa de cada vez."),
        (("Gerenciar Certificados", "certificados.index"), ("Ajuda Interativa", "ajuda.interativa")),
    ),
    Pergunta(
        "outra-pessoa", "Comprei um certificado para outra pessoa. Como atribuo a ela?",
        ("Em Solicitação de Certificado Digital, encontre o certificado e toque em Gerenciar.",
         "Toque em Atribuir Certificado, informe o CPF e o e-mail da pessoa e toque em "
         "Atribuir.",
         "A pessoa recebe por e-mail um link pessoal para preencher a solicitação."),
        (("Solicitação de Certificado Digital", "certificados.index"),),
    ),
    Pergunta(
        "reatribuir", "Atribuí a uma pessoa, mas ela não vai usar. Posso atribuir a outra?",
        ("Sim, enquanto a emissão do certificado não tiver sido solicitada.",
         "Em Gerenciar, atribua ao CPF e e-mail da outra pessoa. O link da pessoa anterior "
         "deixa de funcionar e as duas recebem um e-mail."),
        (("Solicitação de Certificado Digital", "certificados.index"),),
    ),
    Pergunta(
        "corrigir", "Preenchi informações erradas na solicitação. Posso corrigir?",
        ("Sim, até o certificado ser aprovado e emitido.",
         "Abra Solicitação de Certificado Digital, escolha “Todos” em Situação, toque em "
         "Gerenciar no certificado e depois em Solicitar Certificado.",
         "Preencha de novo o que estiver errado, confira os dados e aceite o novo termo de "
         "titularidade: cada correção gera uma nova versão do termo.",
         "O titular também pode corrigir pelo link pessoal que recebeu por e-mail."),
        (("Solicitação de Certificado Digital", "certificados.index"),),
    ),
    Pergunta(
        "boleto", "Esqueci de pagar o boleto. Como tiro a segunda via?",
        ("Abra Financeiro e encontre o boleto vencido.",
         "Toque em Ações (três pontinhos) e escolha Gerar novo Boleto.",
         f"Aceite os termos e escolha a nova data de vencimento: até {JANELA_DIAS} dias depois do "
         "vencimento original. O valor continua o mesmo."),
        (("Financeiro", "financeiro.index"),),
    ),
    Pergunta(
        "ajuda-interativa", "O que é a Ajuda Interativa?",
        ("É um passo a passo para quem comprou o certificado para si mesmo: atribui o "
         "certificado ao seu CPF, preenche a solicitação (o pedido do certificado), gera o "
         "termo e leva ao agendamento da validação cadastral.",
         "Cada etapa explica por que pedimos cada informação."),
        (("Ajuda Interativa", "ajuda.interativa"),),
    ),
    Pergunta(
        "videoconferencia", "Como é a validação por videoconferência?",
        ("Um agente de registro confere, por vídeo, o seu documento original com foto e o seu "
         "rosto.",
         "Tenha em mãos o documento, um aparelho com câmera e microfone, boa luz e uma "
         "conexão estável. As instruções chegam por e-mail depois que você aceita o termo."),
    ),
    Pergunta(
        "menor", "Um menor de idade pode ter o e-CPF?",
        ("Por aqui, não: o titular precisa ter pelo menos 18 anos.",
         "Para menores de idade, a solicitação exige um responsável legal e atendimento "
         "presencial."),
    ),
    Pergunta(
        "link", "O link que recebi por e-mail não funciona. E agora?",
        ("O link pessoal vale por um prazo e deixa de funcionar quando um novo é enviado ou "
         "quando o certificado é atribuído a outra pessoa.",
         "Peça ao responsável pela compra que reenvie o link em Gerenciar Certificados."),
        (("Gerenciar Certificados", "certificados.index"),),
    ),
)


def normalizar(texto):
    """Lower case without accents, so "atribuicao" finds "atribuição"."""
    decomposto = unicodedata.normalize("NFKD", texto or "")
    return "".join(c for c in decomposto if not unicodedata.combining(c)).lower()


def buscar(termo, perguntas=PERGUNTAS):
    """The questions whose text holds every word of `termo` (all of them for an empty one)."""
    palavras = normalizar(termo).split()
    if not palavras:
        return list(perguntas)
    achadas = []
    for p in perguntas:
        texto = normalizar(" ".join((p.pergunta, *p.passos, *(r for r, _ in p.links))))
        if all(palavra in texto for palavra in palavras):
            achadas.append(p)
    return achadas


def candidatos(conta):
    """The buyer's certificates the guided journey can carry on: free, or on their own CPF."""
    return list(
        Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
        .where(posse.escopo_processos(conta)
               & (Certificado.situacao.in_(tuple(CERTIFICADO_ACOES["atribuir"][0]))
                  | ((Certificado.titular_cpf == conta.cpf)
                     & Certificado.situacao.in_(PREENCHIVEIS))))
        .order_by(Certificado.numero))
