"""How long an e-CPF A1 issued now lasts: one year, never past the day the A1 ends.

Res. CG ICP-Brasil 211/2024 extinguishes the A1; it is issued and used on the V5 chain until
02/03/2029. That date is one setting, A1_FIM (docs/certificado.md, "Validade"), and the
certificate ends as that day starts in Brasília, so it never outlives the chain.
"""
from datetime import datetime, time, timezone

import relogio
from services.nucleo.formatacao import format_date
from services.certificacao import perfil_ecpf


def limite(config):
    """The A1's last instant (aware UTC): 00:00 in Brasília of A1_FIM."""
    return datetime.combine(config["A1_FIM"], time(0), relogio.TZ).astimezone(timezone.utc)


def fim(inicio, config):
    """The end of a certificate issued at `inicio` (aware)."""
    return perfil_ecpf.fim_da_validade(inicio, limite(config))


def encerrado(config, agora=None):
    """The refusal when the A1 end date has passed (nothing can be issued), else None."""
    if (agora or relogio.agora()) < limite(config):
        return None
    return (f"O e-CPF A1 não pode mais ser emitido: pela Resolução CG ICP-Brasil 211/2024, ele "
            f"só vale até {format_date(config['A1_FIM'])}.")


def fim_encurtado(config, fim_fixo=None, agora=None):
    """The day (in Brasília) the certificate ends when the A1 end date cuts its year short,
    else None: what "Solicite agora", the holder's page and the e-mail announce before
    purchase and emission. `fim_fixo` (naive UTC) is the end an issued one already keeps."""
    teto = limite(config)
    if fim_fixo is not None:
        encurtado = fim_fixo.replace(tzinfo=timezone.utc) >= teto
    else:
        inicio = agora or relogio.agora()
        encurtado = perfil_ecpf.fim_da_validade(inicio) > teto
    return config["A1_FIM"] if encurtado else None
