"""Who a signed-in person works for: their memberships (Responsavel) and the active one.

The account is read with its active membership and contratante in one query, on every
request: a removed responsável or a lowered papel counts from the very next request, and the
role check costs no query of its own. After sign-in the contratante last used is active,
never a chooser page; the header lets the person switch.
"""
from peewee import JOIN, IntegrityError

from banco.consulta_pronta import ConsultaPronta
from models import Conta, Contratante, Responsavel, db
from services.contratantes import papeis
from services.nucleo.ciclo_de_vida import Ator
from services.nucleo.recusas import NaoEncontrado


def consulta_da_conta(conta_id):
    """The account with its active membership and that membership's contratante."""
    return (Conta.select(Conta, Responsavel, Contratante)
            .join(Responsavel, JOIN.LEFT_OUTER,
                  on=((Responsavel.conta == Conta.id)
                      & (Responsavel.contratante == Conta.contratante_ativo)),
                  attr="vinculo")
            .join(Contratante, JOIN.LEFT_OUTER,
                  on=(Responsavel.contratante == Contratante.id), attr="contratante")
            .where(Conta.id == conta_id))


# Read on every signed-in request: its SQL is written once per process.
_CONTA_COM_VINCULO = ConsultaPronta(consulta_da_conta)


def conta_com_vinculo(conta_id):
    """The Conta `conta_id` with `.vinculo`: its active membership (with `.contratante`), or
    None; None when there is no such account."""
    conta = _CONTA_COM_VINCULO.primeira(conta_id)
    if conta is None:
        return None
    vinculo = getattr(conta, "vinculo", None)
    if vinculo is None or vinculo.id is None:
        # Removed from the active one (or never chose): the next membership becomes active.
        # An agent works for the back office, never for a contratante.
        conta.vinculo = None if conta.is_agente else _outro_vinculo(conta)
    return conta


def _outro_vinculo(conta):
    vinculo = (Responsavel.select(Responsavel, Contratante).join(Contratante)
               .where(Responsavel.conta == conta.id)
               .order_by(Responsavel.desde, Responsavel.id).first())
    if vinculo is not None:
        Conta.update(contratante_ativo=vinculo.contratante_id).where(
            Conta.id == conta.id).execute()
    return vinculo


def contratante_de(conta):
    """The id of `conta`'s active contratante, or None (an agent, a person with no membership).

    A signed-in account carries its checked membership (`conta_com_vinculo`); an account read
    elsewhere (a job, a command) acts for the contratante it last chose, which only a
    membership sets."""
    if conta is None:
        return None
    if hasattr(conta, "vinculo"):
        return conta.vinculo.contratante_id if conta.vinculo is not None else None
    return conta.contratante_ativo_id


def pode(conta, acao):
    return papeis.pode(getattr(conta, "vinculo", None), acao)


def exigir(conta, acao):
    papeis.exigir(getattr(conta, "vinculo", None), acao)


def ator(conta, contratante=None):
    """How the audit trail names a responsável acting for `contratante` (the active one by
    default): "Carla Dias (Prefeitura Municipal de Exemplo)"."""
    if contratante is None:
        vinculo = getattr(conta, "vinculo", None)
        contratante = vinculo.contratante if vinculo is not None else None
    if contratante is None or not contratante.e_organizacao:
        return Ator(f"{conta.nome} (responsável pela contratação)", conta.id)
    return Ator(f"{conta.nome} ({contratante.nome})", conta.id)


def contratantes_da(conta):
    """Every membership of `conta`, with its contratante, the active one first."""
    return sorted(
        Responsavel.select(Responsavel, Contratante).join(Contratante)
        .where(Responsavel.conta == conta.id),
        key=lambda v: (v.contratante_id != conta.contratante_ativo_id, v.contratante.nome))


def ativar(conta, contratante_id):
    """Make `contratante_id` the active contratante of `conta` (a member of it only)."""
    vinculo = Responsavel.get_or_none((Responsavel.conta == conta.id)
                                      & (Responsavel.contratante == contratante_id))
    if vinculo is None:
        raise NaoEncontrado()
    Conta.update(contratante_ativo=contratante_id).where(Conta.id == conta.id).execute()
    return vinculo


def contratante_pessoal(conta):
    """`conta` buying for themself: their CPF's contratante, Gestor of it (made once)."""
    with db.atomic():
        contratante = Contratante.get_or_none(Contratante.documento == conta.cpf)
        if contratante is None:
            try:
                with db.atomic():
                    contratante = Contratante.create(tipo=Contratante.PESSOA,
                                                     documento=conta.cpf, nome=conta.nome)
            except IntegrityError:  # made at this very moment by another request
                contratante = Contratante.get(Contratante.documento == conta.cpf)
        entrar(conta, contratante, papeis.GESTOR)
    return contratante


def entrar(conta, contratante, papel):
    """Make `conta` a responsável of `contratante` (idempotent) and make it active."""
    try:
        with db.atomic():
            Responsavel.create(contratante=contratante, conta=conta, papel=papel)
    except IntegrityError:  # already a member: the papel they have stays
        pass
    Conta.update(contratante_ativo=contratante.id).where(Conta.id == conta.id).execute()
    conta.contratante_ativo = contratante.id
