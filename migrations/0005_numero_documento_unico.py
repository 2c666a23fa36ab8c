"""Boleto: each purchase numbers its own boletos (…-1, …-2), so the document number is
unique on its own (two boletos issued at once for one purchase cannot share a number)."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("boleto", ("numero_documento",), unique=True))
