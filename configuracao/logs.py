"""Logging that never writes a secret link: gunicorn's access log with the holder's link
(/t/<token>) and the password link (/definir-senha/<token>) masked. Set in gunicorn.conf.py
as `logger_class`."""
import re

from gunicorn.glogging import Logger

_LINK_SECRETO = re.compile(r"(/t/|/definir-senha/)[^/?#\s\"]+")


def mascarar(texto):
    """`texto` with the token of every secret link replaced by '***'."""
    return _LINK_SECRETO.sub(r"\1***", texto)


class AccessLogger(Logger):
    """Every field of an access-log line (request line, path, referer...) is masked."""

    def atoms(self, resp, req, environ, request_time):
        return {nome: mascarar(valor) if isinstance(valor, str) else valor
                for nome, valor in super().atoms(resp, req, environ, request_time).items()}
