"""The "Responsáveis pela contratação" of a contratante: who they are, their papel, removal.

A contratante always keeps a Gestor: the last one can neither be removed nor change their
own papel. Every change here first writes the contratante's row, which makes two changes to
the same contratante wait for each other (a row lock on PostgreSQL, the write lock on
SQLite), so two Gestores removing each other at once leave one of them.
"""
from banco.consulta_pronta import ConsultaPronta
from models import Conta, Contratante, Responsavel, db
from services.contratantes import papeis
from services.nucleo.ciclo_de_vida import registrar_evento
from services.nucleo.recusas import NaoEncontrado, Recusa

ULTIMO_GESTOR = ("Toda organização precisa de pelo menos um Gestor. Antes, dê o papel de "
                 "Gestor a outro responsável.")


# Only what a list shows (a whole Conta per row, its password hash included, cost a tenth of
# the Organização page), in SQL written once (banco.consulta_pronta).
_LISTA = ConsultaPronta(lambda contratante_id: Responsavel.select(
    Responsavel.id, Responsavel.papel, Responsavel.desde, Responsavel.conta, Conta.id,
    Conta.nome, Conta.cpf, Conta.email).join(Conta).where(
    Responsavel.contratante == contratante_id))
_PESSOAS = ConsultaPronta(lambda contratante_id: Responsavel.select(
    Conta.id, Conta.nome, Responsavel.papel).join(Conta).where(
    Responsavel.contratante == contratante_id).tuples())
_ORDEM = {p: i for i, p in enumerate(papeis.PAPEIS)}


def _na_ordem(papel, nome):
    """Gestores first, then by name."""
    return _ORDEM.get(papel, 9), nome


def listar(contratante_id):
    """The responsáveis with their accounts, Gestores first, then by name; each knows
    whether it is the last Gestor (`.ultimo_gestor`: not removable, papel fixed)."""
    lista = sorted(_LISTA(contratante_id), key=lambda r: _na_ordem(r.papel, r.conta.nome))
    gestores = sum(r.papel == papeis.GESTOR for r in lista)
    for r in lista:
        r.ultimo_gestor = r.papel == papeis.GESTOR and gestores == 1
        r.nome_do_papel = papeis.nome(r.papel)
    return lista


def pessoas(contratante_id):
    """[(conta id, nome)] of the responsáveis, in the order of `listar`."""
    linhas = sorted(_PESSOAS(contratante_id), key=lambda linha: _na_ordem(linha[2], linha[1]))
    return [(conta_id, nome) for conta_id, nome, _ in linhas]


def _travar(conta, contratante_id):
    """Serialise the membership changes of one contratante (see the module's docstring), then
    check again that `conta` is its Gestor: removed or lowered by a change that held the lock
    first, they may no longer act."""
    Contratante.update(tipo=Contratante.tipo).where(Contratante.id == contratante_id).execute()
    papeis.exigir(Responsavel.get_or_none((Responsavel.contratante == contratante_id)
                                          & (Responsavel.conta == conta.id)), "gerir")


def _responsavel(contratante_id, responsavel_id):
    responsavel = (Responsavel.select(Responsavel, Conta).join(Conta)
                   .where((Responsavel.id == responsavel_id)
                          & (Responsavel.contratante == contratante_id)).first())
    if responsavel is None:
        raise NaoEncontrado()
    return responsavel


def _outros_gestores(contratante_id, responsavel_id):
    return (Responsavel.select().where((Responsavel.contratante == contratante_id)
                                       & (Responsavel.papel == papeis.GESTOR)
                                       & (Responsavel.id != responsavel_id)).count())


def mudar_papel(conta, responsavel_id, papel, ator):
    """The Gestor `conta` gives responsável `responsavel_id` of the active contratante the
    papel `papel`. Counts from that person's next request."""
    papeis.exigir(conta.vinculo, "gerir")
    papel = papeis.ler_papel(papel)
    contratante_id = conta.vinculo.contratante_id
    with db.atomic():
        _travar(conta, contratante_id)
        responsavel = _responsavel(contratante_id, responsavel_id)
        if responsavel.papel == papel:
            return responsavel
        if responsavel.papel == papeis.GESTOR and _outros_gestores(contratante_id,
                                                                   responsavel.id) == 0:
            raise Recusa(ULTIMO_GESTOR, "papel")
        Responsavel.update(papel=papel).where(Responsavel.id == responsavel.id).execute()
        registrar_evento(None, "responsavel.papel", ator, contratante_id=contratante_id,
                         detalhes=f"{responsavel.conta.nome}: de {papeis.nome(responsavel.papel)} "
                                  f"para {papeis.nome(papel)}")
        responsavel.papel = papel
    return responsavel


def remover(conta, responsavel_id, ator):
    """The Gestor `conta` removes responsável `responsavel_id` from the active contratante:
    their open sessions lose access to it on their next request."""
    papeis.exigir(conta.vinculo, "gerir")
    contratante_id = conta.vinculo.contratante_id
    with db.atomic():
        _travar(conta, contratante_id)
        responsavel = _responsavel(contratante_id, responsavel_id)
        if responsavel.papel == papeis.GESTOR and _outros_gestores(contratante_id,
                                                                   responsavel.id) == 0:
            raise Recusa(ULTIMO_GESTOR)
        Responsavel.delete().where(Responsavel.id == responsavel.id).execute()
        registrar_evento(None, "responsavel.removido", ator, contratante_id=contratante_id,
                         detalhes=f"{responsavel.conta.nome} ({papeis.nome(responsavel.papel)})")
    return responsavel
