"""Typed refusals: a business rule says no, or what was asked for is not there.

The service that performs an action is the only place its rules are checked; when one is
broken it raises a `Recusa` carrying the Portuguese message for the person and, when one
field is at fault, that field's name. Every door (page, command line, bank notification)
only renders it: next to the field, as a page notice, as a CLI error or as JSON.
"""


class Recusa(Exception):
    def __init__(self, mensagem, campo=None):
        super().__init__(mensagem)
        self.mensagem = mensagem
        self.campo = campo


class NaoEncontrado(Exception):
    """What was asked for does not exist for this person: missing and someone else's alike,
    so a foreign id tells nothing (the web answers 404)."""
