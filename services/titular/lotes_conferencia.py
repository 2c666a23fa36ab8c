"""Atribuir em lote's preview, line by line: the person (CPF, e-mail, once per file), then
the certificate the line names (model sheet) or the one it is given (CPF + e-mail list),
each refusal in words the buyer can act on."""
from dataclasses import dataclass

from models import Certificado, ProcessoCompra
from services.contratantes import posse
from services.nucleo import ciclo_de_vida
from services.nucleo.ciclo_de_vida import CERTIFICADO_SITUACOES, pode
from services.titular.pessoa import clean_cpf, clean_email
from services.titular.planilhas import MODELO

LOTE_SQL = 500  # keeps IN (...) lists under SQLite's variable limit


def blocos(itens, tamanho=LOTE_SQL):
    itens = list(itens)
    for inicio in range(0, len(itens), tamanho):
        yield itens[inicio:inicio + tamanho]


def cpf_da_planilha(texto):
    """The CPF of a cell, cleaned (ValueError with the reason)."""
    texto = (texto or "").strip()
    if texto.isdigit() and 8 <= len(texto) < 11:
        texto = texto.zfill(11)  # a spreadsheet dropped the leading zeros of a number
    return clean_cpf(texto)


def _titulares(processo_ids):
    """{processo id: {holder CPF: certificate number}} of certificates still in use."""
    titulares = {}
    for bloco in blocos(processo_ids):
        for processo_id, cpf, numero in (
                Certificado.select(Certificado.processo, Certificado.titular_cpf,
                                   Certificado.numero)
                .where(Certificado.processo.in_(bloco) & Certificado.titular_cpf.is_null(False)
                       & (Certificado.situacao != ciclo_de_vida.CANCELADO)).tuples()):
            titulares.setdefault(processo_id, {})[cpf] = numero
    return titulares


def _certificados(numeros):
    """{number: Certificado with its purchase} for the numbers that exist (anyone's)."""
    encontrados = {}
    for bloco in blocos(set(numeros)):
        for c in (Certificado.select(Certificado, ProcessoCompra).join(ProcessoCompra)
                  .where(Certificado.numero.in_(bloco))):
            encontrados[c.numero] = c
    return encontrados


def situacao_recusada(certificado, acao):
    rotulo = CERTIFICADO_SITUACOES.get(certificado.situacao, certificado.situacao)
    if acao == "reatribuir":
        if ciclo_de_vida.ja_solicitado(certificado.situacao):
            return (f"O certificado {certificado.numero} não pode ser reatribuído: a emissão "
                    f"já foi solicitada (situação: {rotulo}).")
        return (f"O certificado {certificado.numero} não está atribuído a ninguém "
                f"(situação: {rotulo}). Use “Atribuir em lote”.")
    return (f"O certificado {certificado.numero} não está pendente de atribuição "
            f"(situação: {rotulo}).")


@dataclass
class Linha:
    numero: int
    valores: dict
    cpf: str = ""
    email: str = ""
    erro: str = ""
    certificado: Certificado = None


def _conferir_pessoa(linha, colunas, cpfs_vistos):
    valores = linha.valores
    try:
        linha.cpf = cpf_da_planilha(valores.get("cpf"))
    except ValueError as error:
        return f"CPF: {error}"
    try:
        linha.email = clean_email(valores.get("email")).lower()
    except ValueError as error:
        return f"E-mail: {error}"
    if "email_confirmacao" in colunas and \
            (valores.get("email_confirmacao") or "").strip().lower() != linha.email:
        return "Os e-mails não são iguais: “E-mail” e “Confirme o e-mail” devem ser o mesmo."
    if linha.cpf in cpfs_vistos:
        return (f"CPF repetido no arquivo (já está na linha {cpfs_vistos[linha.cpf]}): cada "
                "pessoa usa um certificado.")
    cpfs_vistos[linha.cpf] = linha.numero
    return ""


def _ja_titular(titulares, certificado, cpf):
    numero = titulares.get(certificado.processo_id, {}).get(cpf)
    if numero and numero != certificado.numero:
        return (f"Este CPF já é titular do certificado {numero} desta compra "
                f"({certificado.processo.numero}): informe o CPF de outra pessoa.")
    if numero and numero == certificado.numero:
        return (f"O certificado {certificado.numero} já está atribuído a este CPF. Para mandar "
                "um novo link ao titular, use “Reenviar link”.")
    return ""


def _preparar_modelo(conta, acao, linhas):
    certificados = _certificados(l.valores.get("certificado", "").strip() for l in linhas)
    titulares = _titulares({c.processo_id for c in certificados.values()})
    numeros_vistos = {}
    for linha in linhas:
        if linha.erro:
            continue
        numero = linha.valores.get("certificado", "").strip()
        certificado = certificados.get(numero)
        if not numero:
            linha.erro = "Preencha o número do certificado (coluna “Certificado”)."
        elif certificado is None:
            linha.erro = f"Certificado {numero} não encontrado: confira o número."
        elif not posse.e_dele(conta, certificado.processo):
            linha.erro = f"O certificado {numero} não é de uma compra sua."
        elif (linha.valores.get("processo") or "").strip() not in ("", certificado.processo.numero):
            linha.erro = (f"O certificado {numero} não é da compra "
                          f"{linha.valores['processo'].strip()}, e sim da compra "
                          f"{certificado.processo.numero}.")
        elif numero in numeros_vistos:
            linha.erro = (f"Certificado repetido no arquivo (já está na linha "
                          f"{numeros_vistos[numero]}).")
        elif not pode(certificado.situacao, acao):
            linha.erro = situacao_recusada(certificado, acao)
        else:
            linha.erro = _ja_titular(titulares, certificado, linha.cpf)
        if not linha.erro:
            numeros_vistos[numero] = linha.numero
            linha.certificado = certificado


def _preparar_lista(livres, linhas):
    titulares = _titulares({c.processo_id for c in livres})
    usados = set()
    inicio = 0  # every certificate before it is taken: the scan stays linear
    for linha in linhas:
        if linha.erro:
            continue
        while inicio < len(livres) and livres[inicio].id in usados:
            inicio += 1
        # The oldest pending certificate of a purchase where this person holds none yet.
        escolhido = next((c for c in livres[inicio:] if c.id not in usados
                          and linha.cpf not in titulares.get(c.processo_id, {})), None)
        if escolhido is not None:
            usados.add(escolhido.id)
            titulares.setdefault(escolhido.processo_id, {})[linha.cpf] = escolhido.numero
            linha.certificado = escolhido
        elif len(usados) < len(livres):
            outro = next(c for c in livres if linha.cpf in titulares.get(c.processo_id, {}))
            linha.erro = _ja_titular(titulares, outro, linha.cpf) or \
                "Este CPF já é titular de um certificado de cada compra escolhida."
        else:
            linha.erro = ("Não há mais certificados pendentes de atribuição nas compras "
                          "escolhidas para esta linha.")


def preenchida(valores):
    """A model-sheet line left with no CPF and no e-mail is a certificate kept for later."""
    return any((valores.get(c) or "").strip() for c in ("cpf", "email", "email_confirmacao"))


def conferir(conta, acao, tabela, linhas, livres):
    """Set each line's `erro` (or "") and, when it passes, its `certificado`. `livres`: the
    buyer's certificates pending `acao` in the chosen purchases (a CPF + e-mail list)."""
    cpfs_vistos = {}
    for linha in linhas:
        linha.erro = _conferir_pessoa(linha, tabela.colunas, cpfs_vistos)
    if tabela.formato == MODELO:
        _preparar_modelo(conta, acao, linhas)
    else:
        _preparar_lista(livres, linhas)
