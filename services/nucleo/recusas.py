"""Typed refusals: a business rule says no.

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
