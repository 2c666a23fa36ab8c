"""Organisations as contratantes: the CNPJ, the razão social and the address the boleto
names as pagador. Whoever registers one is its first Gestor."""
import re

from peewee import IntegrityError
from stdnum.br import cnpj as stdnum_cnpj
from stdnum.br import cpf as stdnum_cpf

from models import Contratante, db
from services.contratantes import papeis, vinculos
from services.nucleo.ciclo_de_vida import registrar_evento
from services.titular import pessoa
from services.nucleo.recusas import Recusa

RAZAO_SOCIAL_MAX = 150
# The address fields of Contratante, as the boleto's pagador shows them.
ENDERECO = ("cep", "logradouro", "numero", "complemento", "bairro", "cidade", "uf")
limpar_cep = pessoa.clean_cep
limpar_uf = pessoa.clean_uf
_CNPJ_DIGITADO = re.compile(r"[0-9]{2}\.?[0-9]{3}\.?[0-9]{3}/?[0-9]{4}-?[0-9]{2}")


def limpar_cnpj(texto):
    """The 14 digits of a valid CNPJ typed with or without punctuation; a ValueError says
    what is wrong, down to which check digit does not match."""
    texto = (texto or "").strip()
    if not texto:
        raise ValueError("Informe o CNPJ.")
    if len(texto) > 30 or not _CNPJ_DIGITADO.fullmatch(texto):
        raise ValueError("O CNPJ deve ter 14 dígitos, como 11.222.333/0001-81.")
    digitos = re.sub(r"[^0-9]", "", texto)
    if len(set(digitos)) == 1:
        raise ValueError("CNPJ inválido.")
    esperados = stdnum_cnpj.calc_check_digits(digitos[:12])
    if digitos[12] != esperados[0]:
        raise ValueError("CNPJ inválido: o primeiro dígito verificador (o 13º dígito) não "
                         "confere. Confira a digitação.")
    if digitos[13] != esperados[1]:
        raise ValueError("CNPJ inválido: o segundo dígito verificador (o último dígito) não "
                         "confere. Confira a digitação.")
    return digitos


def limpar_nome(texto):
    """The razão social with single spaces."""
    nome = " ".join((texto or "").split())
    if len(nome) < 3:
        raise ValueError("Informe a razão social, como está no cartão CNPJ.")
    if len(nome) > RAZAO_SOCIAL_MAX:
        raise ValueError(f"Use no máximo {RAZAO_SOCIAL_MAX} caracteres.")
    return nome


def obrigatorio(mensagem):
    """A cleaner for a required line of the address: `mensagem` when empty."""
    def limpar(texto):
        texto = " ".join((texto or "").split())
        if not texto:
            raise ValueError(mensagem)
        return texto
    return limpar


def opcional(texto):
    return " ".join((texto or "").split())


def formatar_cnpj(digitos):
    return stdnum_cnpj.format(digitos)


def cadastrar(conta, cnpj, razao_social, endereco, ator):
    """Register the organisation of CNPJ `cnpj` with `conta` as its Gestor, active from now.
    `endereco` is a dict of Contratante's address fields (cep, logradouro, …)."""
    with db.atomic():
        if Contratante.select().where(Contratante.documento == cnpj).exists():
            raise Recusa("Esta organização já está cadastrada. Peça a um Gestor dela que "
                         "convide você, na página Organização.", "cnpj")
        try:
            with db.atomic():
                contratante = Contratante.create(tipo=Contratante.ORGANIZACAO, documento=cnpj,
                                                 nome=razao_social, **endereco)
        except IntegrityError:
            raise Recusa("Esta organização acabou de ser cadastrada por outra pessoa. Peça a "
                         "um Gestor dela que convide você.", "cnpj") from None
        vinculos.entrar(conta, contratante, papeis.GESTOR)
        registrar_evento(None, "organizacao.cadastrada", ator, contratante_id=contratante.id,
                         detalhes=f"{razao_social}, CNPJ {formatar_cnpj(cnpj)}")
    return contratante


def documento_formatado(contratante):
    """"CNPJ 11.222.333/0001-81" or "CPF 123.456.789-09", as shown to people."""
    if contratante.e_organizacao:
        return f"CNPJ {formatar_cnpj(contratante.documento)}"
    return f"CPF {stdnum_cpf.format(contratante.documento)}"


def endereco_formatado(contratante):
    """The address on one line, as the boleto prints the pagador's: "Praça da Sé, 100 -
    Sé - São Paulo/SP - CEP 01001-000"; the parts left empty are left out."""
    rua = ", ".join(p for p in (contratante.logradouro, contratante.numero,
                                contratante.complemento) if p)
    cidade = "/".join(p for p in (contratante.cidade, contratante.uf) if p)
    cep = f"CEP {contratante.cep[:5]}-{contratante.cep[5:]}" if contratante.cep else ""
    return " - ".join(p for p in (rua, contratante.bairro, cidade, cep) if p)
