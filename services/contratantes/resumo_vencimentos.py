"""The Gestores' weekly digest of "Vencimentos": once a week, each Gestor of an organisation
gets one e-mail per organisation with its counts (expired, within 30, 60 and 90 days) and the
link to the page — never one e-mail per certificate (the holder and the buyer still get the
renewal reminders of each). Nothing is sent when every count is zero.

The week (ISO, on Brasília's calendar) is written on the contratante by a conditional UPDATE
in the transaction that queues the e-mails, so a second run in the same week, or two at once,
send nothing more.
"""
from models import CertificadoX509, Contratante, db
from relogio import em_brasilia, utcnow
from services.contratantes import papeis, responsaveis, vencimentos
from services.nucleo import correio


def semana(agora):
    """"2026-W49": the ISO week of `agora` (naive UTC) in Brasília."""
    ano, numero, _ = em_brasilia(agora).isocalendar()
    return f"{ano}-W{numero:02d}"


def _marcar(contratante, marca):
    return (Contratante.update(resumo_vencimentos=marca)
            .where((Contratante.id == contratante.id)
                   & (Contratante.resumo_vencimentos != marca)).execute()) == 1


def enviar(agora=None):
    """Queue this week's digests not yet sent; returns how many e-mails were queued."""
    agora = agora or utcnow()
    marca = semana(agora)
    pendentes = list(Contratante.select().where(
        Contratante.id.in_(list(vencimentos.contratantes_com_vencimentos(agora)))
        & (Contratante.tipo == Contratante.ORGANIZACAO)
        & (Contratante.resumo_vencimentos != marca)))
    enviados = 0
    for contratante in pendentes:
        faixas = vencimentos.contagens(CertificadoX509.contratante == contratante.id, agora)
        if not any(f.total for f in faixas):
            continue
        with db.atomic():
            if not _marcar(contratante, marca):
                continue  # another run sent it just now
            for gestor in responsaveis.listar(contratante.id):
                if gestor.papel == papeis.GESTOR:
                    _enviar(gestor.conta, contratante, faixas)
                    enviados += 1
    return enviados


def _enviar(conta, contratante, faixas):
    correio.enfileirar(
        conta.email, f"Vencimentos de certificados: {contratante.nome}", "resumo_vencimentos",
        {"nome": conta.nome, "organizacao": contratante.nome, "faixas": faixas,
         "link": correio.url_externa("vencimentos.index")})
