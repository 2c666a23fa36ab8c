from services.titular.ajuda import PERGUNTAS, buscar, normalizar


def test_search_ignores_accents_and_case():
    assert normalizar("Atribuição ÉTICA") == "atribuicao etica"
    achadas = [p.id for p in buscar("ATRIBUICAO")]
    assert achadas == [p.id for p in buscar("atribuição")]


def test_search_needs_every_word():
    assert [p.id for p in buscar("boleto segunda via")] == ["boleto"]
    assert buscar("boleto xyzzy") == []


def test_empty_search_lists_everything():
    assert buscar("   ") == list(PERGUNTAS)


def test_the_manual_answers_are_all_there():
    textos = " ".join(" ".join((p.pergunta, *p.passos)) for p in PERGUNTAS)
    for nome in ("Meus Pedidos", "Consulta Processos de Compra", "ID Processo Compra (Contrato)",
                 "Solicitação de Certificado Digital", "Gerenciar Certificados", "Todos",
                 "Gerenciar", "Atribuir Certificado", "Solicitar Certificado", "Financeiro",
                 "Ações", "Gerar novo Boleto", "Ajuda Interativa"):
        assert nome in textos, nome
