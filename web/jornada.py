"""The journey through the holder's request: "Etapa N de M", and beside every step of
"Ajuda Interativa", why we ask, in plain words."""
from flask import g

from services.titular.solicitacoes import ETAPAS


def jornada():
    """Names of the steps the person goes through, in order."""
    etapas = [*ETAPAS, "confira", "termo"]
    if g.get("guia"):
        etapas = ["atribuir", *etapas, "agendar"]
    return etapas


def passo(nome):
    etapas = jornada()
    return (etapas.index(nome) + 1, len(etapas)) if nome in etapas else None


EXPLICACOES = {
    "atribuir": "Cada certificado pertence a uma pessoa, o titular. Informe o CPF e o e-mail "
                "de quem vai usar o certificado. Se for você, deixe os seus dados.",
    "dados": "O certificado leva o seu nome e a sua data de nascimento. Eles precisam ser "
             "iguais aos do cadastro do CPF na Receita Federal.",
    "contato": "Usamos o e-mail e o celular para mandar as instruções da videoconferência e "
               "avisar quando o certificado for emitido.",
    "endereco": "O endereço faz parte do seu cadastro na Autoridade de Registro.",
    "documento": "Na videoconferência você mostra este documento original com foto. Ele "
                 "comprova que você é o titular.",
    "confira": "Confira tudo com calma. Se algo estiver errado, use “Alterar”.",
    "termo": "O termo de titularidade é a sua declaração de responsabilidade pelo "
             "certificado. Leia e aceite para pedir a emissão.",
    "agendar": "Falta só a validação cadastral: uma videoconferência curta com um agente de "
               "registro, que confere o seu documento e o seu rosto.",
}
