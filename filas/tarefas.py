"""Background jobs (Huey) and e-mail dispatch. With REDIS_URL the queue lives on Redis and
`huey_consumer filas.consumidor.huey` runs it as its own process (filas/consumidor.py builds
the app there); without it, SQLite storage in instance/ and a consumer thread inside the web process, so `make run`
needs nothing else. With HUEY_IMMEDIATE (tests) jobs run inline, in memory.
"""
import logging
import os
import threading
from datetime import timedelta

from flask import current_app
from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from huey.exceptions import RetryTask
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from models import ChaveIdempotencia, Email, db
from services.certificacao import ac
from services.agendamento import horarios
from services.agendamento import lembretes
from services.pagamento import compras
from services.titular import documentos
from services.titular import lotes
from services.nucleo import correio
import relogio
from services.certificacao import renovacao
from services.contratantes import resumo_vencimentos
from services.nucleo import segredos
from services.nucleo.formatacao import mask_email
from services.nucleo.ciclo_de_vida import EMAIL_PENDENTE, SISTEMA, email_enviado, registrar_evento

log = logging.getLogger(__name__)

MAX_TENTATIVAS = 6


def _make_huey(config):
    if config["REDIS_URL"]:
        return RedisHuey("area-cliente", url=config["REDIS_URL"])
    os.makedirs(os.path.dirname(os.path.abspath(config["HUEY_SQLITE_PATH"])), exist_ok=True)
    return SqliteHuey("area-cliente", filename=config["HUEY_SQLITE_PATH"])


# The queue is built from the app's configuration (init_app), so each app, and each test,
# gets the queue its own settings name. Until then the jobs are only listed here.
huey = None
_app = None
_TAREFAS = []  # (function, periodic crontab or None, Huey options), in declaration order


def tarefa(validade=None, **opcoes):
    """Declare a job (periodic when `validade` is a crontab); init_app puts it on the queue."""
    def declarar(funcao):
        _TAREFAS.append((funcao, validade, opcoes))
        return funcao
    return declarar


def init_app(app):
    """Run jobs in `app` on a queue built from its settings; hand each request's queued
    e-mails to the queue once it ended."""
    global _app, huey
    _app = app
    huey = _make_huey(app.config)
    huey.immediate = app.config["HUEY_IMMEDIATE"]
    for funcao, periodicidade, opcoes in _TAREFAS:
        decorador = (huey.periodic_task(periodicidade, **opcoes) if periodicidade
                     else huey.task(**opcoes))
        # The module name now calls through the queue (`enviar_email(id)` enqueues it).
        globals()[funcao.__name__] = decorador(funcao)

    @app.before_request
    def _start_consumer():
        if app.config["JOBS_EMBUTIDOS"] and not huey.immediate:
            start_embedded_consumer()

    @app.teardown_request
    def _dispatch_mail(exc):
        # Runs after the request's transaction ended: queued messages now exist, or not.
        if exc is None:
            despachar()
        else:
            correio.descartar()


def app_context():
    if _app is None:
        raise RuntimeError("Nenhum app para as tarefas: rode o consumidor com "
                           "`huey_consumer filas.consumidor.huey` (veja README.md).")
    return _app.app_context()


def despachar(atraso=None):
    """Hand the messages this thread queued to the job queue (call after commit).

    `atraso()`, when given, says how many seconds each next message waits (a sending rate).
    """
    for email_id in correio.retirar_fila():
        segundos = atraso() if atraso else 0
        try:
            if segundos > 0:
                # Recorded so the safety net (reenviar_pendentes) does not send it early; the
                # queue gets the same instant, not one read from its own clock.
                enviar_apos = relogio.utcnow() + timedelta(seconds=segundos)
                Email.update(enviar_apos=enviar_apos).where(Email.id == email_id).execute()
                enviar_email.schedule(args=(email_id,), eta=enviar_apos)
            else:
                enviar_email(email_id)
        except (RedisConnectionError, RedisTimeoutError) as error:
            # The queue is down; the row stays pending and `reenviar_pendentes` sends it.
            log.warning("fila indisponível; e-mail %s fica pendente: %s", email_id,
                        error.__class__.__name__)


def _backoff(tentativas):
    return min(3600, 30 * 2 ** tentativas)


@tarefa(context=False)
def enviar_email(email_id):
    with app_context(), db.connection_context():
        email = Email.get_or_none(Email.id == email_id)
        if email is None or email_enviado(email.situacao):
            return  # rolled back with its transaction, or already delivered
        # The links are rendered only now, from their nonces (services.segredos).
        mensagem = correio.Mensagem(email.assunto, segredos.revelar(email.texto),
                                 to=[email.destinatario])
        if email.html:
            mensagem.attach_alternative(segredos.revelar(email.html), "text/html")
        for nome, tipo, dados in correio.anexos(email):
            mensagem.attach(nome, dados, tipo)
        try:
            mensagem.send()
        except Exception as error:  # any delivery failure is retried, never raised to users
            tentativas = email.tentativas + 1
            falhou = tentativas >= MAX_TENTATIVAS
            Email.update(tentativas=tentativas, erro=str(error)[:500],
                         situacao="falhou" if falhou else "pendente").where(
                Email.id == email.id).execute()
            log.warning("e-mail %s não enviado (tentativa %s): %s", email.id, tentativas,
                        error.__class__.__name__)
            if email.processo_id and (falhou or tentativas == 1):
                registrar_evento(email.processo_id, "email.falhou", SISTEMA,
                                 email.certificado_id,
                                 detalhes=f"“{email.assunto}” para "
                                          f"{mask_email(email.destinatario)} — "
                                          + ("sem novas tentativas." if falhou
                                             else "nova tentativa em instantes."))
            if not falhou:
                raise RetryTask(delay=_backoff(tentativas)) from None
            return
        with db.atomic():
            Email.update(situacao="enviado", enviado_em=relogio.utcnow(),
                         tentativas=email.tentativas + 1, erro="").where(
                Email.id == email.id).execute()
            if email.processo_id:
                registrar_evento(email.processo_id, "email.enviado", SISTEMA,
                                 email.certificado_id,
                                 detalhes=f"“{email.assunto}” para "
                                          f"{mask_email(email.destinatario)}")


@tarefa(crontab(minute="*/5"), context=False)
def reenviar_pendentes():
    """Safety net: a message whose job was lost (crash after commit) is sent again."""
    with app_context(), db.connection_context():
        limite = relogio.utcnow() - timedelta(minutes=5)
        ids = [e.id for e in Email.select(Email.id).where(
            (Email.situacao == EMAIL_PENDENTE) & (Email.criado_em < limite)
            & (Email.tentativas == 0)
            & (Email.enviar_apos.is_null() | (Email.enviar_apos < limite)))]
    for email_id in ids:
        enviar_email(email_id)


@tarefa(context=False, retries=3, retry_delay=60)
def aplicar_lote(lote_id):
    """Atribuir em lote: apply a confirmed batch; a retry resumes at the first line left."""
    with app_context(), db.connection_context():
        config = current_app.config
        atraso = lotes.espacador(config["MAIL_MAX_POR_MINUTO"], lotes.ja_aplicadas(lote_id))
        return lotes.aplicar(lote_id, config["LINK_TITULAR_DIAS"],
                             lambda: despachar(atraso))


@tarefa(crontab(minute="*/10"), context=False)
def lembretes_videoconferencia():
    """Reminder e-mails 24 h before each videoconference; slot rows created ahead."""
    with app_context(), db.connection_context():
        agora = relogio.agora()
        enviados = lembretes.enviar_lembretes(agora, current_app.config)
        horarios.preparar_horizonte(agora, horarios.config_agenda(current_app.config))
    despachar()
    return enviados


@tarefa(crontab(minute="17", hour="3"), context=False)
def limpar_chaves_idempotencia():
    """One-time form keys only matter for minutes (a double click); keep a day of them."""
    with app_context(), db.connection_context():
        (ChaveIdempotencia.delete()
         .where(ChaveIdempotencia.criado_em < relogio.utcnow() - timedelta(days=1)).execute())


@tarefa(crontab(hour="9", minute="0"), context=False)  # 06:00 in Brasília (UTC-3)
def cancelar_compras_vencidas():
    """Daily: cancel purchases unpaid 10 days after the original due date, with an e-mail."""
    with app_context(), db.connection_context():
        cancelados = compras.cancelar_vencidos()
    despachar()  # after the connection closed, as a request's teardown does
    if cancelados:
        log.info("%s compra(s) cancelada(s) por falta de pagamento", len(cancelados))
    return [p.numero for p in cancelados]


@tarefa(crontab(hour="9", minute="10"), context=False)  # 06:10 in Brasília
def tarefas_diarias_certificados():
    """Daily: a fresh CRL from the demo AC (its nextUpdate is 36 h away) and the renewal
    reminders 30 and 7 days before a certificate expires."""
    with app_context(), db.connection_context():
        try:
            demo = ac.demonstracao(current_app.config)
        except ac.AcIndisponivel as erro:
            log.warning("LCR não publicada: %s", erro)
            demo = None
        if demo is not None:
            with db.atomic():
                ac.publicar_lcr(demo)
        avisados = renovacao.avisar(current_app.config)
    despachar()
    return avisados


@tarefa(crontab(day_of_week="1", hour="11", minute="0"), context=False)  # Mon 08:00 Brasília
def resumo_semanal_vencimentos():
    """Weekly: each organisation's Gestores get one e-mail with its Vencimentos counts
    (at most one per week, however often this runs)."""
    with app_context(), db.connection_context():
        enviados = resumo_vencimentos.enviar()
    despachar()
    return enviados


@tarefa(crontab(hour="6", minute="40"), context=False)  # 03:40 in Brasília
def expurgar_documentos():
    """Daily: delete the identity documents past their retention (DOCUMENTOS_RETENCAO_ANOS
    after the certificate ended), a batch at a time."""
    with app_context(), db.connection_context():
        apagados = documentos.expurgar(current_app.config, relogio.utcnow())
    if apagados:
        log.info("%s envio(s) de documento apagado(s) pelo prazo de guarda", apagados)
    return apagados


class _EmbeddedConsumer(Consumer):
    # The web server owns the process signals; the consumer's threads are daemons.
    def _set_signal_handlers(self):
        pass


_embedded = {}  # queue name and storage -> its consumer: one per queue in this process
_embedded_lock = threading.Lock()


def start_embedded_consumer():
    """Run the queue inside this process (no Redis): one worker thread plus the scheduler."""
    chave = (huey.name, repr(huey.storage_kwargs))
    with _embedded_lock:
        if chave not in _embedded:
            _embedded[chave] = _EmbeddedConsumer(huey, workers=1, worker_type="thread",
                                                 periodic=True, check_worker_health=False)
            _embedded[chave].start()
    return _embedded[chave]
