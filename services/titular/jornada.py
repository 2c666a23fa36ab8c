"""The request wizard's journey and its words: the steps in order ("Etapa N de M"), why
each step asks what it asks (EXPLICACOES, beside every step of "Ajuda Interativa") and how
to fill it in (AJUDA)."""
from services.titular.solicitacoes import ETAPAS


def jornada(guia=False):
    """Names of the steps the person goes through, in order; the guided journey ("Ajuda
    Interativa") adds assigning the certificate before and booking after."""
    etapas = [*ETAPAS, "documentos", "confira", "termo"]
    if guia:
        etapas = ["atribuir", *etapas, "agendar"]
    return etapas


def passo(nome, guia=False):
    """(N, M) for "Etapa N de M", or None for a page outside the journey."""
    etapas = jornada(guia)
    return (etapas.index(nome) + 1, len(etapas)) if nome in etapas else None


# Beside every step of "Ajuda Interativa": why we ask, in plain words.
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
    "documentos": "O agente de registro confere o documento antes da videoconferência: "
                  "assim a chamada é mais curta. Só você e os agentes podem abrir o arquivo.",
    "confira": "Confira tudo com calma. Se algo estiver errado, use “Alterar”.",
    "termo": "O termo de titularidade é a sua declaração de responsabilidade pelo "
             "certificado. Leia e aceite para pedir a emissão.",
    "agendar": "Falta só a validação cadastral: uma videoconferência curta com um agente de "
               "registro, que confere o seu documento e o seu rosto.",
}

AJUDA = {
    "dados": "Escreva o nome completo, sem abreviações, como aparece no CPF. Se o nome mudou "
             "por casamento ou divórcio, use o nome atual; a mudança é comprovada na "
             "validação. A data de nascimento vai em três campos: dia, mês e ano (4 números).",
    "contato": "Use um e-mail que você acessa sempre: as instruções chegam por ele. O celular "
               "deve ter DDD, como (11) 98765-4321.",
    "endereco": "O CEP tem 8 números. Se a casa não tiver número, escreva S/N. Complemento "
                "é opcional (apartamento, bloco, casa).",
    "documento": "Use um documento oficial com foto: RG, CNH, passaporte, carteira de "
                 "conselho profissional ou CNE/CRNM. O órgão emissor está impresso no "
                 "documento (por exemplo SSP, DETRAN).",
}
