"""Pontos de atendimento of the in-person validation: the back office creates, edits and
removes them; the holder picks one by UF and city. Each ponto has its own hours, capacity
per slot and holidays; its slots follow the videoconference's calendar rules otherwise.
"""
import dataclasses
import re
from datetime import time
from urllib.parse import quote_plus

from peewee import fn

from banco.consulta_pronta import ConsultaPronta
from models import Agendamento, Horario, PontoAtendimento
from services.agendamento.horarios import ajustar_capacidade
from services.nucleo import entrada
from services.nucleo.formatacao import format_date
from services.nucleo.recusas import NaoEncontrado, Recusa
from services.titular.pessoa import UFS
import relogio

MAX_CAPACIDADE = 50
MAX_FERIADOS = 60
_HORA = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclasses.dataclass
class DadosPonto:
    """What the agent typed, cleaned by `conferir`."""

    nome: str
    endereco: str
    cidade: str
    uf: str
    abre: str
    fecha: str
    capacidade: int | str
    feriados: str = ""


def _texto(valor, campo, rotulo, limite):
    valor = " ".join((valor or "").split())
    if not valor:
        raise Recusa(f"Informe {rotulo}.", campo)
    if len(valor) > limite:
        raise Recusa(f"Use no máximo {limite} caracteres.", campo)
    return valor


def _hora(valor, campo):
    valor = (valor or "").strip()
    if not _HORA.fullmatch(valor):
        raise Recusa("Informe a hora no formato hh:mm, por exemplo 08:00.", campo)
    return valor


def ler_feriados(texto):
    """'25/12/2026 Natal' lines (ISO dates too) → [(date, name)], sorted; Recusa on "feriados"
    naming the line at fault."""
    feriados = {}
    for n, linha in enumerate((texto or "").splitlines(), start=1):
        linha = linha.strip()
        if not linha:
            continue
        data_texto, _, nome = linha.partition(" ")
        try:
            dia = entrada.ler_data(data_texto)
        except ValueError as erro:
            raise Recusa(f"Linha {n}: {erro}", "feriados") from None
        feriados[dia] = " ".join(nome.split())[:60] or "Feriado local"
    if len(feriados) > MAX_FERIADOS:
        raise Recusa(f"Informe no máximo {MAX_FERIADOS} feriados.", "feriados")
    return sorted(feriados.items())


def _feriados_texto(feriados):
    return "\n".join(f"{dia.isoformat()} {nome}" for dia, nome in feriados)


def conferir(dados):
    """The cleaned DadosPonto, or Recusa(mensagem, campo) for the first field at fault."""
    nome = _texto(dados.nome, "nome", "o nome do ponto", 80)
    endereco = _texto(dados.endereco, "endereco", "o endereço (rua, número e bairro)", 160)
    cidade = _texto(dados.cidade, "cidade", "a cidade", 60)
    uf = (dados.uf or "").strip().upper()
    if uf not in UFS:
        raise Recusa("Escolha a UF.", "uf")
    abre = _hora(dados.abre, "abre")
    fecha = _hora(dados.fecha, "fecha")
    if fecha <= abre:
        raise Recusa("O horário de fechamento deve ser depois do de abertura.", "fecha")
    capacidade = str(dados.capacidade or "").strip()
    capacidade = int(capacidade) if capacidade.isdigit() and len(capacidade) < 4 else 0
    if not 1 <= capacidade <= MAX_CAPACIDADE:
        raise Recusa(f"Informe de 1 a {MAX_CAPACIDADE} atendimentos por horário.", "capacidade")
    feriados = _feriados_texto(ler_feriados(dados.feriados))
    return DadosPonto(nome, endereco, cidade, uf, abre, fecha, capacidade, feriados)


# --- reading -----------------------------------------------------------------------------

def _ativos():
    return PontoAtendimento.select().where(PontoAtendimento.removido_em.is_null())


# Read on every Agenda page (its filter): the SQL is written once (banco.consulta_pronta).
_TODOS = ConsultaPronta(lambda: _ativos().order_by(PontoAtendimento.uf, PontoAtendimento.cidade,
                                                   PontoAtendimento.nome))


def todos():
    return _TODOS()


def obter(ponto_id):
    """The ponto (not removed), or NaoEncontrado."""
    ponto = _ativos().where(PontoAtendimento.id == ponto_id).first() if ponto_id else None
    if ponto is None:
        raise NaoEncontrado()
    return ponto


def ufs():
    """[(sigla, nome)] of the UFs with some ponto."""
    siglas = {p.uf for p in _ativos().select(PontoAtendimento.uf)}
    return [(s, UFS[s]) for s in sorted(siglas)]


def cidades(uf):
    return sorted({p.cidade for p in _ativos().select(PontoAtendimento.cidade)
                   .where(PontoAtendimento.uf == uf)})


def da_cidade(uf, cidade):
    return list(_ativos().where((PontoAtendimento.uf == uf) & (PontoAtendimento.cidade == cidade))
                .order_by(PontoAtendimento.nome))


def endereco_completo(ponto):
    return f"{ponto.endereco}, {ponto.cidade} - {ponto.uf}"


def mapa_url(ponto):
    """An OpenStreetMap search for the address (a link, never an embed)."""
    return ("https://www.openstreetmap.org/search?query="
            + quote_plus(endereco_completo(ponto)))


def feriados(ponto):
    return [(entrada.data_iso(linha[:10]), linha[11:]) for linha in ponto.feriados.splitlines()
            if linha.strip()]


def feriados_texto(ponto):
    """The holidays as the agent types them: "25/12/2026 Natal" lines."""
    return "\n".join(f"{format_date(dia)} {nome}" for dia, nome in feriados(ponto))


def config(cfg, ponto):
    """The agenda's ConfigAgenda with the ponto's hours, capacity and holidays."""
    return dataclasses.replace(cfg, inicio=time.fromisoformat(ponto.abre),
                               fim=time.fromisoformat(ponto.fecha),
                               capacidade=ponto.capacidade,
                               feriados_locais=tuple(feriados(ponto)))


# --- managing ----------------------------------------------------------------------------

def criar(dados):
    return PontoAtendimento.create(**dataclasses.asdict(conferir(dados)))


def editar(ponto, dados):
    """Save the new data; the future slots already created follow the new capacity."""
    limpos = conferir(dados)
    for campo, valor in dataclasses.asdict(limpos).items():
        setattr(ponto, campo, valor)
    ponto.save()
    agora = relogio.agora()
    ajustar_capacidade(agora, agora.replace(year=agora.year + 1), limpos.capacidade,
                       ponto=ponto.id)
    return ponto


def _ativas(ponto):
    return (Agendamento.select().join(Horario)
            .where((Horario.ponto == ponto.id) & (Agendamento.situacao == Agendamento.ATIVO)))


def remover(ponto):
    """Remove the ponto from every list; refused while it has active bookings (the holders
    would lose their place without knowing). One conditional UPDATE, and a booking takes a
    seat only at a ponto not removed (reservas._ocupar). Past bookings keep naming it."""
    removidos = (PontoAtendimento.update(removido_em=relogio.utcnow())
                 .where((PontoAtendimento.id == ponto.id) & ~fn.EXISTS(_ativas(ponto)))
                 .execute())
    if removidos != 1:
        ativas = _ativas(ponto).count()
        raise Recusa(
            f"Este ponto tem {ativas} {'agendamento ativo' if ativas == 1 else 'agendamentos ativos'}."
            " Não é possível removê-lo enquanto houver agendamentos: peça aos titulares que "
            "reagendem em outro ponto ou aguarde os atendimentos.")
