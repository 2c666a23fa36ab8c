"""Ids read from the address: one converter, bounded to what the database can hold.

`<id:boleto_id>` matches 1 to 2^63 - 1 only; anything else (0, a sign, 19+ digits past the
range) is no route at all, so it answers 404 before any view or query runs.
"""
from werkzeug.routing import BaseConverter, ValidationError

from services.nucleo.entrada import ler_id


class IdConverter(BaseConverter):
    regex = r"[0-9]{1,19}"

    def to_python(self, value):
        valor = ler_id(value)
        if valor is None:
            raise ValidationError()
        return valor

    def to_url(self, value):
        return str(int(value))
