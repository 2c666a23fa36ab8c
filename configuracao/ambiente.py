"""Configuration read from the environment, with defaults that are safe to run as-is.

Every variable here is documented in README.md ("Configuração").
"""
import os
import re
from datetime import date

# Flask's instance folder for this app; filas/tarefas.py needs it before any app exists.
INSTANCE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "instance")


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "sim"}


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def database_url(instance_path):
    return os.environ.get("DATABASE_URL", f"sqlite:///{os.path.join(instance_path, 'portal.db')}")


def huey_sqlite_path(instance_path):
    """The SQLite queue file (no Redis), tied to the database: two instances started from one
    checkout with different DATABASE_URLs must never take each other's jobs."""
    if os.environ.get("HUEY_SQLITE_PATH"):
        return os.environ["HUEY_SQLITE_PATH"]
    url = database_url(instance_path)
    if url.startswith("sqlite:///"):
        # Next to the database file: portal.db -> portal.huey.db
        return os.path.splitext(url.removeprefix("sqlite:///"))[0] + ".huey.db"
    # A server database: named from its host, port and name, inside instance/.
    nome = re.sub(r"[^A-Za-z0-9]+", "-", url.split("@")[-1].split("?")[0]).strip("-")
    return os.path.join(instance_path, f"huey-{nome}.db")


def from_environment(instance_path, debug=False):
    """Build the config mapping the factory applies before any test overrides."""
    embed_origins = os.environ.get("EMBED_ORIGINS", "").split()
    secure_cookie = _bool("SESSION_COOKIE_SECURE", default=not debug)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "DATABASE_URL": database_url(instance_path),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "REDIS_URL": os.environ.get("REDIS_URL"),
        # PostgreSQL connections kept open per process (at least gunicorn's threads).
        "DB_POOL_MAX": _int("DB_POOL_MAX", 10),
        # Prepared statements on PostgreSQL (banco.consulta_pronta); off behind a pooler that
        # moves a session's statements between server connections (PgBouncer's transaction
        # mode before 1.21).
        "DB_COMANDOS_PREPARADOS": _bool("DB_COMANDOS_PREPARADOS", default=True),
        # Sites allowed to show the portal inside an <iframe> (CSP frame-ancestors).
        "EMBED_ORIGINS": embed_origins,
        # Login tries per client IP + CPF pair (one attacker cannot lock a shared office IP
        # out), under a softer ceiling per IP alone.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 60 per hour"),
        "LOGIN_IP_RATE_LIMIT": os.environ.get("LOGIN_IP_RATE_LIMIT",
                                              "100 per minute; 1000 per hour"),
        # "Definir minha senha" links e-mailed to one account per hour (the rest are not sent).
        "LINKS_SENHA_POR_HORA": _int("LINKS_SENHA_POR_HORA", 3),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # Redis down: rate limits fail open (logged) instead of failing every request.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Largest request body; bigger ones get a 413 page.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 1024 * 1024),
        "PAGE_SIZE": _int("PAGE_SIZE", 20),
        # Who receives the payments (printed on the boleto) and the bank agreement.
        "BENEFICIARIO_NOME": os.environ.get("BENEFICIARIO_NOME", "Autoridade de Registro Demonstração"),
        "BENEFICIARIO_CNPJ": os.environ.get("BENEFICIARIO_CNPJ", "33.683.111/0001-07"),
        "BOLETO_BANCO": os.environ.get("BOLETO_BANCO", "001"),
        "BOLETO_CONVENIO": os.environ.get("BOLETO_CONVENIO", "1234567"),
        "BOLETO_CARTEIRA": os.environ.get("BOLETO_CARTEIRA", "17"),
        # Unset: the Banco Central manual's sample key, so the demo shows PIX; set it empty
        # ("PIX_CHAVE=") to issue boletos without PIX.
        "PIX_CHAVE": os.environ.get("PIX_CHAVE", "123e4567-e12b-12d1-a456-426655440000"),
        "PIX_CIDADE": os.environ.get("PIX_CIDADE", "BRASILIA"),
        # The receiver name in the PIX code (25 letters at most); empty: BENEFICIARIO_NOME,
        # cut after the last whole word that fits.
        "PIX_NOME": os.environ.get("PIX_NOME", ""),
        "PRECO_CENTAVOS": _int("PRECO_CENTAVOS", 15000),
        # Shared with the bank: POST /api/pagamentos/notificacao must carry its HMAC-SHA256.
        # Empty: every notification is refused (401).
        "PAGAMENTOS_WEBHOOK_SECRET": os.environ.get("PAGAMENTOS_WEBHOOK_SECRET", ""),
        "LINK_TITULAR_DIAS": _int("LINK_TITULAR_DIAS", 30),
        # The holder's identity documents: kept this many years after the certificate ends
        # (ICP-Brasil: at least 10), under their own key or one derived from SECRET_KEY.
        "DOCUMENTOS_RETENCAO_ANOS": _int("DOCUMENTOS_RETENCAO_ANOS", 10),
        "DOCUMENTOS_CHAVE": os.environ.get("DOCUMENTOS_CHAVE", ""),
        # Videoconference agenda (docs/dominio.md §6): Brasília business hours, slot length,
        # agents per slot, booking horizon and notice periods.
        "AGENDA_INICIO": os.environ.get("AGENDA_INICIO", "08:00"),
        "AGENDA_FIM": os.environ.get("AGENDA_FIM", "18:00"),
        "AGENDA_SLOT_MINUTOS": _int("AGENDA_SLOT_MINUTOS", 30),
        "AGENDA_CAPACIDADE": _int("AGENDA_CAPACIDADE", 2),
        "AGENDA_HORIZONTE_DIAS_UTEIS": _int("AGENDA_HORIZONTE_DIAS_UTEIS", 15),
        "AGENDA_ANTECEDENCIA_MINIMA_HORAS": _int("AGENDA_ANTECEDENCIA_MINIMA_HORAS", 2),
        "AGENDA_ALTERACAO_HORAS": _int("AGENDA_ALTERACAO_HORAS", 1),
        "AGENDA_ACAO_AGENTE_MINUTOS": _int("AGENDA_ACAO_AGENTE_MINUTOS", 10),
        # Meeting room address; "{codigo}" is replaced by a random code per booking.
        "VIDEOCONFERENCIA_URL": os.environ.get("VIDEOCONFERENCIA_URL", ""),
        # Validity of the "Definir minha senha" link (Primeiro acesso, Esqueci minha senha).
        "TOKEN_SENHA_HORAS": _int("TOKEN_SENHA_HORAS", 24),
        # The AC (services/ac.py): the demo AC's folder and key password, or another Emissor.
        "AC_DIR": os.environ.get("AC_DIR", os.path.join(instance_path, "ac")),
        "AC_CHAVE_SENHA": os.environ.get("AC_CHAVE_SENHA", ""),
        "AC_EMISSOR": os.environ.get("AC_EMISSOR", "services.certificacao.ac:AcDemonstracao"),
        # The day the A1 ends (Res. CG ICP-Brasil 211/2024: issued and used on the V5 chain
        # until 02/03/2029): no certificate is valid past it (services/certificacao/validade.py).
        "A1_FIM": date.fromisoformat(os.environ.get("A1_FIM") or "2029-03-02"),
        # The second CRL distribution point; empty: BASE_URL/ac/lcr2.crl, served here.
        "LCR_URL_SECUNDARIA": os.environ.get("LCR_URL_SECUNDARIA", "").rstrip("/"),
        # E-mail: SMTP when MAIL_SERVER is set, else one .eml file per message in instance/outbox.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Área do Cliente <nao-responda@certificado.example>"),
        "MAIL_BACKEND": "smtp" if os.environ.get("MAIL_SERVER") else "services.nucleo.correio_eml.EmailBackend",
        "MAIL_FILE_PATH": os.path.join(instance_path, "outbox"),
        # At most this many e-mails a minute from one "Atribuir em lote" (the sender's limit).
        "MAIL_MAX_POR_MINUTO": _int("MAIL_MAX_POR_MINUTO", 60),
        # Job queue (filas/tarefas.py): on Redis with REDIS_URL, else in this SQLite file, with a
        # consumer thread in the web process. Immediate: jobs run inline, in memory (tests).
        "HUEY_SQLITE_PATH": huey_sqlite_path(instance_path),
        "JOBS_EMBUTIDOS": _bool("JOBS_EMBUTIDOS", default=not os.environ.get("REDIS_URL")),
        "HUEY_IMMEDIATE": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": secure_cookie,
        # A cross-site iframe only keeps its session with SameSite=None; Secure; Partitioned.
        "SESSION_COOKIE_SAMESITE": "None" if embed_origins else "Lax",
        "SESSION_COOKIE_PARTITIONED": bool(embed_origins),
        # A session ends after this long however active it is, and after SESSION_IDLE_MINUTES
        # without a request (see README, "Segurança").
        "PERMANENT_SESSION_LIFETIME": _int("SESSION_LIFETIME_MINUTES", 120) * 60,
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30),
        # The cookie is sent again only when the session changed (web/sessao.py writes "last
        # seen" once a minute), not re-signed on every response.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "WTF_CSRF_TIME_LIMIT": None,
        "COMPRESS_MIMETYPES": [
            "text/html", "text/css", "application/javascript", "text/javascript",
            "image/svg+xml", "application/json", "text/calendar",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 256,
    }
