"""Peewee models of the whole domain, bound at start-up through a DatabaseProxy.

Datetimes are stored naive in UTC (`relogio.utcnow()`); templates show them in
America/Sao_Paulo.
State columns are only ever changed through `services.lifecycle`.
"""
from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from relogio import utcnow

db = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class Contratante(BaseModel):
    """Who buys: an organisation (CNPJ, razão social) or a person buying for themself (CPF).
    Purchases, certificates, boletos and batches belong to it, never to one login."""

    ORGANIZACAO = "cnpj"
    PESSOA = "cpf"

    tipo = CharField(max_length=4)
    # Digits only: 14 for a CNPJ, 11 for a CPF, so the two never collide.
    documento = CharField(max_length=14, unique=True)
    nome = CharField(max_length=150)  # razão social, or the person's name
    # The boleto's pagador address (an organisation's; a person's may stay empty).
    cep = CharField(max_length=8, default="")
    logradouro = CharField(max_length=120, default="")
    numero = CharField(max_length=20, default="")
    complemento = CharField(max_length=60, default="")
    bairro = CharField(max_length=60, default="")
    cidade = CharField(max_length=60, default="")
    uf = CharField(max_length=2, default="")
    criado_em = DateTimeField(default=utcnow)
    # ISO week ("2026-W49", Brasília) of the last Vencimentos digest sent to its Gestores:
    # a conditional UPDATE on it sends one per week, however often the job runs.
    resumo_vencimentos = CharField(max_length=8, default="")

    @property
    def e_organizacao(self):
        return self.tipo == self.ORGANIZACAO


class Conta(BaseModel):
    """A person's login: a buyer ("responsável pela contratação") or a registration agent."""

    COMPRADOR = "comprador"
    AGENTE = "agente"

    cpf = CharField(max_length=11, unique=True)
    nome = CharField(max_length=120)
    email = CharField(max_length=254)
    telefone = CharField(max_length=20, default="")
    senha_hash = CharField(max_length=255, default="")
    papel = CharField(max_length=20, default=COMPRADOR)
    criado_em = DateTimeField(default=utcnow)
    # Copied into the session at sign-in; bumping it ends every session of the account.
    sessao_geracao = IntegerField(default=1)
    # The contratante this person last worked for: active again after the next sign-in.
    contratante_ativo = ForeignKeyField(Contratante, null=True, index=False)

    @property
    def is_agente(self):
        return self.papel == self.AGENTE


class Responsavel(BaseModel):
    """A person's membership of a contratante, with their papel (services.contratantes.papeis).
    Read with the account on every request, so a change counts from the next one."""

    contratante = ForeignKeyField(Contratante, backref="responsaveis")
    conta = ForeignKeyField(Conta, backref="vinculos", index=True)
    papel = CharField(max_length=20)
    desde = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("contratante", "conta"), True),)


class Convite(BaseModel):
    """An invitation to become a responsável: bound to a CPF, single use, only its hash kept."""

    contratante = ForeignKeyField(Contratante, backref="convites", index=True)
    cpf = CharField(max_length=11)
    email = CharField(max_length=254)
    papel = CharField(max_length=20)
    token_hash = CharField(max_length=64, unique=True)
    nonce = CharField(max_length=64, default="")  # as TokenConta.nonce
    convidado_por = ForeignKeyField(Conta, null=True)
    criado_em = DateTimeField(default=utcnow)
    expira_em = DateTimeField()
    aceito_em = DateTimeField(null=True)
    cancelado_em = DateTimeField(null=True)
    # "<contratante>:<cpf>" while open, so one CPF has one open invitation per contratante.
    aberto = CharField(max_length=30, null=True, unique=True)


class TokenConta(BaseModel):
    """Single-use link to define or reset a password ("Definir minha senha")."""

    conta = ForeignKeyField(Conta, backref="tokens", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    # The token is HMAC(SECRET_KEY, nonce): useless without the key (services.segredos).
    nonce = CharField(max_length=64, default="")
    finalidade = CharField(max_length=20)  # primeiro_acesso | recuperar_senha
    criado_em = DateTimeField(default=utcnow)
    expira_em = DateTimeField()
    usado_em = DateTimeField(null=True)


class Produto(BaseModel):
    codigo = CharField(max_length=40, unique=True)
    nome = CharField(max_length=120)
    descricao = TextField(default="")
    preco_centavos = IntegerField()
    validade_meses = IntegerField(default=12)


class ProcessoCompra(BaseModel):
    """A purchase, shown to users as "ID Processo Compra (Contrato)" (`numero`)."""

    numero = CharField(max_length=20, unique=True)
    contratante = ForeignKeyField(Contratante, backref="processos", index=False)
    # The person who bought it, for "who did what" (the purchase is the contratante's).
    comprador = ForeignKeyField(Conta, backref="processos", index=True)
    produto = ForeignKeyField(Produto)
    quantidade = IntegerField()
    valor_unitario_centavos = IntegerField()
    total_centavos = IntegerField()
    situacao = CharField(max_length=30, index=True)
    criado_em = DateTimeField(default=utcnow, index=True)
    pago_em = DateTimeField(null=True)
    # The client's idempotency key, so a double-submitted "Confirmar" buys once.
    chave_idempotencia = CharField(max_length=64, null=True, unique=True)
    # "Renovar": the certificate this purchase renews; once paid, same holder (ID, not FK:
    # Certificado is declared below and a renewal never deletes anything).
    renova_id = IntegerField(null=True)
    # The buyer's nota de empenho (a public body's commitment of the money), when given.
    empenho = CharField(max_length=30, default="")

    class Meta:
        # "Consulta Processos de Compra": newest first, and the search by number (prefix).
        indexes = ((("contratante", "id"), False), (("contratante", "numero"), False))


class Proposta(BaseModel):
    """A proposta comercial addressed to an organisation, valid for 30 days; contracting it
    makes the purchase (`processo`) at its price. Whom it names is copied, as printed."""

    numero = CharField(max_length=20, unique=True)
    contratante = ForeignKeyField(Contratante, index=False)
    autor = ForeignKeyField(Conta)
    codigo_verificacao = CharField(max_length=19)
    quantidade = IntegerField()
    valor_unitario_centavos = IntegerField()
    total_centavos = IntegerField()
    destinatario_nome = CharField(max_length=150)
    destinatario_documento = CharField(max_length=30)
    destinatario_endereco = CharField(max_length=300, default="")
    criada_em = DateTimeField(default=utcnow)
    valida_ate = DateField()
    situacao = CharField(max_length=20)
    processo = ForeignKeyField(ProcessoCompra, null=True, unique=True)

    class Meta:
        indexes = ((("contratante", "id"), False),)


class EmpenhoPdf(BaseModel):
    """The nota de empenho's PDF a buyer uploaded with a purchase (checked to be a PDF)."""

    processo = ForeignKeyField(ProcessoCompra, unique=True)
    nome = CharField(max_length=120)
    sha256 = CharField(max_length=64)
    pdf = BlobField()
    enviado_em = DateTimeField(default=utcnow)


class Boleto(BaseModel):
    processo = ForeignKeyField(ProcessoCompra, backref="boletos", index=True)
    # The purchase's contratante, copied (it never changes) so "Financeiro" pages on one index.
    contratante = ForeignKeyField(Contratante, index=False)
    sequencia = IntegerField(unique=True)  # the "nosso número" sequence
    nosso_numero = CharField(max_length=20, unique=True)
    # "<purchase>-<n>": n counts the purchase's own boletos, 1, 2, 3.
    numero_documento = CharField(max_length=20, unique=True)
    valor_centavos = IntegerField()
    vencimento = DateField()
    # Due date of the first boleto of the purchase: the new-boleto window counts from it.
    vencimento_original = DateField()
    codigo_barras = CharField(max_length=44)
    linha_digitavel = CharField(max_length=47)
    pix_copia_e_cola = TextField(default="")
    situacao = CharField(max_length=20, index=True)
    # Unique: a boleto can be replaced once, so a double submit yields one new boleto.
    substitui = ForeignKeyField("self", null=True, unique=True, backref="substituto")
    criado_em = DateTimeField(default=utcnow)
    pago_em = DateTimeField(null=True)

    class Meta:
        indexes = ((("contratante", "id"), False),)


class Pagamento(BaseModel):
    """A payment seen by the bank, however it arrived (agent, CLI, bank notification)."""

    boleto = ForeignKeyField(Boleto, backref="pagamentos")
    processo = ForeignKeyField(ProcessoCompra, backref="pagamentos")
    valor_centavos = IntegerField()
    data_pagamento = DateField()
    origem = CharField(max_length=20)  # agente | cli | notificacao
    # The bank's own id of the event: a replayed notification is recognised by it.
    referencia = CharField(max_length=80, unique=True)
    creditado = BooleanField(default=False)
    sinalizado = BooleanField(default=False)  # needs refund / attention in the back office
    motivo = CharField(max_length=200, default="")
    criado_em = DateTimeField(default=utcnow)


# The agents' "Pagamentos sinalizados": few rows among all payments, newest first.
Pagamento.add_index(Pagamento.id, where=Pagamento.sinalizado == True,  # noqa: E712
                    name="pagamento_sinalizado")


class NotaFiscal(BaseModel):
    """The NFS-e of a paid purchase, attached by the back office (PDF and/or XML). A
    replacement is a new row; the old one stays, marked `substituida_em`, as history."""

    processo = ForeignKeyField(ProcessoCompra, backref="notas_fiscais", index=True)
    numero = CharField(max_length=15)  # nNFSe, or the DPS number, as the XML has it
    pdf = BlobField(null=True)
    xml = BlobField(null=True)
    enviada_em = DateTimeField(default=utcnow)
    enviada_por = ForeignKeyField(Conta)
    substituida_em = DateTimeField(null=True)
    # The purchase's id while this is its current nota: one current nota per purchase,
    # even when two agents attach at the same moment (unique index).
    vigente_processo = IntegerField(null=True, unique=True)


class Certificado(BaseModel):
    # States in which the buyer still has something to follow (the default "Situação" filter).
    EM_ANDAMENTO = ("aguardando_pagamento", "disponivel", "atribuido", "solicitado", "agendado",
                    "pendente_correcao")

    processo = ForeignKeyField(ProcessoCompra, backref="certificados", index=True)
    # The purchase's contratante, copied (it never changes) so "Gerenciar Certificados" reads
    # one index in order, whatever the volume, instead of sorting across a join.
    contratante = ForeignKeyField(Contratante, index=False)
    numero = CharField(max_length=30, unique=True)
    situacao = CharField(max_length=30, index=True)
    titular_cpf = CharField(max_length=11, null=True, index=True)
    titular_email = CharField(max_length=254, null=True)
    # Bumped by every state move: a conditional UPDATE on it detects concurrent changes.
    versao = IntegerField(default=1)
    atualizado_em = DateTimeField(default=utcnow)

    class Meta:
        # One index per "Situação" filter, each in the list's order (newest first).
        indexes = ((("contratante", "id"), False), (("contratante", "situacao", "id"), False))


Certificado.add_index(Certificado.contratante, Certificado.id,
                      where=Certificado.situacao.in_(Certificado.EM_ANDAMENTO),
                      name="certificado_em_andamento")


class Atribuicao(BaseModel):
    """One assignment of a certificate to a holder; reassignment ends it (`encerrada_em`)."""

    certificado = ForeignKeyField(Certificado, backref="atribuicoes", index=True)
    cpf = CharField(max_length=11)
    email = CharField(max_length=254)
    atribuido_por = ForeignKeyField(Conta, null=True)
    criado_em = DateTimeField(default=utcnow)
    encerrada_em = DateTimeField(null=True)


class LinkTitular(BaseModel):
    """The holder's personal link: only the SHA-256 of the token is kept."""

    atribuicao = ForeignKeyField(Atribuicao, backref="links", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    nonce = CharField(max_length=64, default="")  # as TokenConta.nonce
    criado_em = DateTimeField(default=utcnow)
    expira_em = DateTimeField()
    revogado_em = DateTimeField(null=True)


class Solicitacao(BaseModel):
    """The holder's request (draft until `enviada_em`), one per assignment."""

    atribuicao = ForeignKeyField(Atribuicao, backref="solicitacoes", unique=True, on_delete="CASCADE")
    certificado = ForeignKeyField(Certificado, backref="solicitacoes", index=True)
    nome = CharField(max_length=120, default="")
    data_nascimento = DateField(null=True)
    email = CharField(max_length=254, default="")
    celular = CharField(max_length=11, default="")
    cep = CharField(max_length=8, default="")
    logradouro = CharField(max_length=120, default="")
    numero = CharField(max_length=20, default="")
    complemento = CharField(max_length=60, default="")
    bairro = CharField(max_length=60, default="")
    cidade = CharField(max_length=60, default="")
    uf = CharField(max_length=2, default="")
    doc_tipo = CharField(max_length=40, default="")
    doc_numero = CharField(max_length=30, default="")
    doc_emissor = CharField(max_length=30, default="")
    doc_uf = CharField(max_length=2, default="")
    doc_data_emissao = DateField(null=True)
    # Optional, written into the certificate's ICP-Brasil otherNames (zero-filled when empty).
    nis = CharField(max_length=11, default="")
    titulo_eleitor = CharField(max_length=12, default="")
    titulo_zona = CharField(max_length=3, default="")
    titulo_secao = CharField(max_length=4, default="")
    # Video-conference eligibility answer (CNH from 2017 or earlier biometric certificate).
    elegivel_video = BooleanField(null=True)
    versao = IntegerField(default=1)  # optimistic lock: two tabs never overwrite silently
    atualizado_em = DateTimeField(default=utcnow)
    enviada_em = DateTimeField(null=True)


class Termo(BaseModel):
    """A generated "termo de titularidade"; each correction makes a new version."""

    certificado = ForeignKeyField(Certificado, backref="termos", index=True)
    solicitacao = ForeignKeyField(Solicitacao, backref="termos", on_delete="CASCADE")
    versao = IntegerField()
    codigo_verificacao = CharField(max_length=40)
    sha256 = CharField(max_length=64)
    pdf = BlobField()
    gerado_em = DateTimeField(default=utcnow)
    aceito_em = DateTimeField(null=True)
    aceito_ip = CharField(max_length=45, default="")
    aceito_user_agent = CharField(max_length=300, default="")

    class Meta:
        indexes = ((("certificado", "versao"), True),)


class EnvioDocumento(BaseModel):
    """One sending of the holder's identity document (front and back photos, or one PDF),
    checked by an agent before the videoconference; its files are ArquivoDocumento rows.
    Tied to the assignment: a holder who takes over never sees the previous one's."""

    certificado = ForeignKeyField(Certificado, backref="envios_documento", index=False)
    atribuicao = ForeignKeyField(Atribuicao, index=False)
    situacao = CharField(max_length=10, default="enviado")  # enviado | aprovado | recusado
    motivo = CharField(max_length=500, default="")  # the agent's reason for a refusal
    enviado_em = DateTimeField(default=utcnow)
    decidido_em = DateTimeField(null=True)

    class Meta:
        # The agent's list per certificate; the holder's latest per assignment.
        indexes = ((("certificado", "id"), False), (("atribuicao", "id"), False))


class ArquivoDocumento(BaseModel):
    """One file of a sending, re-encoded and AES-GCM encrypted (services.titular.documentos)."""

    envio = ForeignKeyField(EnvioDocumento, backref="arquivos", index=True, on_delete="CASCADE")
    parte = CharField(max_length=10)  # frente | verso | pdf
    tipo = CharField(max_length=20)  # image/jpeg | application/pdf
    tamanho = IntegerField()  # bytes before encryption
    cifrado = BlobField()  # nonce + ciphertext + tag


class PontoAtendimento(BaseModel):
    """A place of in-person validation, managed by the back office (services.agendamento.pontos).
    Business days from `abre` to `fecha` (Brasília, "HH:MM"); `feriados` one ISO date a line
    ("2026-12-24 Véspera de Natal"), besides the national ones. Removed ones keep their rows
    (`removido_em`): past bookings still name them."""

    nome = CharField(max_length=80)
    endereco = CharField(max_length=160)
    cidade = CharField(max_length=60)
    uf = CharField(max_length=2)
    abre = CharField(max_length=5)
    fecha = CharField(max_length=5)
    capacidade = IntegerField()
    feriados = TextField(default="")
    removido_em = DateTimeField(null=True)


class Horario(BaseModel):
    """A slot, by videoconference (`ponto` NULL) or at a ponto de atendimento; `ocupados`
    never exceeds `capacidade` (conditional UPDATE)."""

    inicio = DateTimeField()  # UTC
    ponto = ForeignKeyField(PontoAtendimento, null=True, index=False)
    capacidade = IntegerField()
    ocupados = IntegerField(default=0)


# One row per start: of the videoconference, and of each ponto (NULLs are distinct in a
# unique index, hence two partial ones). INSERT … ON CONFLICT DO NOTHING relies on them.
Horario.add_index(Horario.inicio, unique=True, where=Horario.ponto.is_null())
Horario.add_index(Horario.ponto, Horario.inicio, unique=True, where=Horario.ponto.is_null(False))


class Agendamento(BaseModel):
    ATIVO = "ativo"

    certificado = ForeignKeyField(Certificado, backref="agendamentos", index=True)
    horario = ForeignKeyField(Horario, backref="agendamentos", index=True)
    situacao = CharField(max_length=20, default=ATIVO)  # ativo|cancelado|reagendado|realizado|nao_compareceu
    link_reuniao = CharField(max_length=200, default="")
    criado_em = DateTimeField(default=utcnow)
    lembrete_enviado_em = DateTimeField(null=True)
    compareceu_em = DateTimeField(null=True)  # in person: the agent saw the holder arrive
    # Set only while active, so the unique index allows one active booking per certificate.
    ativo_certificado = IntegerField(null=True, unique=True)


class CertificadoX509(BaseModel):
    """One X.509 certificate the AC issued for a Certificado (a reissue adds another row).

    Only the public certificate is kept: the holder's key and password never reach the database.
    """

    certificado = ForeignKeyField(Certificado, backref="emissoes", index=True)
    # The certificate's contratante, copied (it never changes): "Vencimentos" counts and
    # lists on one index (certificado_x509_vencimento), whatever the volume.
    contratante = ForeignKeyField(Contratante, index=False)
    serial = CharField(max_length=40, unique=True)  # hexadecimal
    pem = TextField()
    origem = CharField(max_length=10)  # navegador (page) | csr (OpenSSL) | servidor (old rows)
    emitido_em = DateTimeField()
    valido_ate = DateTimeField(index=True)
    revogado_em = DateTimeField(null=True)
    motivo_revogacao = CharField(max_length=30, default="")
    # Set while not revoked, so the unique index allows one valid X.509 per certificate
    # (two downloads at once cannot both issue).
    ativo_certificado = IntegerField(null=True, unique=True)
    # Renewal reminders already sent (days before expiry: 30, 7).
    avisos_renovacao = CharField(max_length=20, default="")


# "Vencimentos": a contratante's valid X.509s by end of validity (contratantes.vencimentos).
CertificadoX509.add_index(CertificadoX509.contratante, CertificadoX509.valido_ate,
                          CertificadoX509.id,
                          where=CertificadoX509.ativo_certificado.is_null(False),
                          name="certificado_x509_vencimento")


class Lcr(BaseModel):
    """The demo AC's certificate revocation lists; /ac/lcr.crl serves the newest."""

    numero = IntegerField(unique=True)
    der = BlobField()
    emitida_em = DateTimeField(default=utcnow)


class Evento(BaseModel):
    """Audit trail: every state move and notable action; the "andamento" is read from it."""

    # None for what concerns the contratante itself (an invitation, a papel changed).
    processo = ForeignKeyField(ProcessoCompra, null=True, backref="eventos", index=True)
    certificado = ForeignKeyField(Certificado, null=True, backref="eventos", index=True)
    # The purchase's contratante, copied: its "Atividades" page reads one index.
    contratante = ForeignKeyField(Contratante, null=True, index=False)
    ator = CharField(max_length=160)
    conta = ForeignKeyField(Conta, null=True)
    tipo = CharField(max_length=40)
    de = CharField(max_length=30, default="")
    para = CharField(max_length=30, default="")
    detalhes = TextField(default="")
    criado_em = DateTimeField(default=utcnow, index=True)

    class Meta:
        # A purchase's or a certificate's andamento, paged by id.
        indexes = ((("processo", "id"), False), (("certificado", "id"), False),
                   (("contratante", "id"), False), (("contratante", "conta", "id"), False))


class Email(BaseModel):
    """Outbox: written in the same transaction as the change that causes it."""

    destinatario = CharField(max_length=254)
    assunto = CharField(max_length=200)
    texto = TextField()
    html = TextField(default="")
    anexos = TextField(default="")  # JSON list of attachments, see services.mail
    situacao = CharField(max_length=20, default="pendente", index=True)  # pendente|enviado|falhou
    tentativas = IntegerField(default=0)
    erro = TextField(default="")
    processo = ForeignKeyField(ProcessoCompra, null=True, backref="emails")
    certificado = ForeignKeyField(Certificado, null=True, backref="emails")
    criado_em = DateTimeField(default=utcnow)
    enviado_em = DateTimeField(null=True)
    # Held back until then by a sending rate (MAIL_MAX_POR_MINUTO); null: send at once.
    enviar_apos = DateTimeField(null=True)


class ChaveIdempotencia(BaseModel):
    """Remembers a form submission so a double click acts once."""

    chave = CharField(max_length=64, unique=True)
    resultado = CharField(max_length=200, default="")
    criado_em = DateTimeField(default=utcnow)


class Lote(BaseModel):
    """An uploaded spreadsheet of assignments ("Atribuir em lote"): previewed, then applied
    line by line by a background job. Kept in the database so any worker can show it."""

    contratante = ForeignKeyField(Contratante, backref="lotes", index=True)
    conta = ForeignKeyField(Conta, backref="lotes", index=True)  # who uploaded it
    acao = CharField(max_length=20, default="atribuir")  # atribuir | reatribuir
    formato = CharField(max_length=10)  # modelo | lista (see services.planilhas)
    nome_arquivo = CharField(max_length=200, default="")
    situacao = CharField(max_length=20, default="previa")  # previa|aplicando|concluido
    total = IntegerField(default=0)
    validas = IntegerField(default=0)
    erros = IntegerField(default=0)
    criado_em = DateTimeField(default=utcnow)
    confirmado_em = DateTimeField(null=True)
    concluido_em = DateTimeField(null=True)


class LoteLinha(BaseModel):
    """One line of a batch, as typed (so an errors file gives it back unchanged)."""

    lote = ForeignKeyField(Lote, backref="linhas", on_delete="CASCADE")
    linha = IntegerField()  # line number in the uploaded file
    processo_numero = CharField(max_length=300, default="")
    certificado_numero = CharField(max_length=300, default="")
    cpf = CharField(max_length=300, default="")
    email = CharField(max_length=300, default="")
    email_confirmacao = CharField(max_length=300, default="")
    nome = CharField(max_length=300, default="")
    # The certificate the line will assign (for a CPF + e-mail list: the one chosen for it).
    certificado = ForeignKeyField(Certificado, null=True)
    situacao = CharField(max_length=20)  # valida | erro | aplicada | falhou
    erro = CharField(max_length=300, default="")
    aplicada_em = DateTimeField(null=True)

    class Meta:
        indexes = ((("lote", "situacao", "linha"), False), (("lote", "linha"), False))


ALL_MODELS = [
    Contratante, Conta, Responsavel, Convite, TokenConta, Produto, ProcessoCompra, Proposta,
    EmpenhoPdf, Boleto, Pagamento, NotaFiscal, Certificado, Atribuicao,
    LinkTitular, Solicitacao, Termo, PontoAtendimento, Horario, Agendamento, CertificadoX509,
    Lcr, Evento, Email, ChaveIdempotencia, Lote, LoteLinha, EnvioDocumento, ArquivoDocumento,
]
