"""The files of the holder's identity document: what is accepted and how it is kept.

The type is read from the bytes, never from the name or the browser's word: JPEG, PNG or PDF.
Images are decoded and re-encoded by Pillow (EXIF, GPS and anything appended are dropped);
PDFs pass a structural check and may carry no JavaScript. What is stored is AES-GCM
encrypted under a key of its own (DOCUMENTOS_CHAVE) or one derived from SECRET_KEY.
"""
import io
import os
import re
import warnings
import zlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from PIL import Image, ImageOps

from services.nucleo.recusas import Recusa

LIMITE_BYTES = 5 * 1024 * 1024
LADO_MAXIMO = 1600  # px, the longest side kept (the browser reduces to the same)
# Pillow's own guard against decompression bombs: above it, refused before decoding.
LIMITE_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = LIMITE_PIXELS

JPEG, PDF = "image/jpeg", "application/pdf"
_ASSINATURAS = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"%PDF-", "PDF"))
# PDF names that run code or programs when the file opens (#xx escapes decoded first).
_NOMES_PROIBIDOS = {b"JS", b"JavaScript", b"Launch"}
_NOME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


class ArquivoRecusado(Recusa):
    """A file the document step cannot accept (the message names what to do)."""


@dataclass(frozen=True)
class Arquivo:
    dados: bytes
    tipo: str


def tipo_pelos_bytes(dados):
    """"JPEG", "PNG", "PDF" or None, from the file's first bytes."""
    return next((nome for assinatura, nome in _ASSINATURAS if dados.startswith(assinatura)),
                None)


def preparar(dados, campo):
    """The file as it will be stored (images re-encoded as JPEG), or ArquivoRecusado."""
    if not dados:
        raise ArquivoRecusado("O arquivo está vazio. Escolha a foto ou o PDF do documento.",
                              campo)
    if len(dados) > LIMITE_BYTES:
        raise ArquivoRecusado("O arquivo passa de 5 MB, o limite. Envie uma foto menor ou um "
                              "PDF mais leve.", campo)
    tipo = tipo_pelos_bytes(dados)
    if tipo is None:
        raise ArquivoRecusado("Este arquivo não é uma foto (JPEG ou PNG) nem um PDF. Envie a "
                              "foto ou o PDF do documento.", campo)
    if tipo == "PDF":
        _conferir_pdf(dados, campo)
        return Arquivo(dados, PDF)
    return Arquivo(_reencodar(dados, tipo, campo), JPEG)


def _reencodar(dados, formato, campo):
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it: both are refused here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(dados), formats=[formato]) as imagem:
                imagem.load()
                imagem = ImageOps.exif_transpose(imagem)  # upright, as the camera meant it
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ArquivoRecusado("A imagem é grande demais (mais de 50 milhões de pixels). Envie "
                              "uma foto comum do celular ou reduza a imagem.", campo) from None
    except (OSError, SyntaxError, ValueError):
        raise ArquivoRecusado("Não conseguimos ler esta imagem: o arquivo parece danificado. "
                              "Tire outra foto.", campo) from None
    if imagem.mode not in ("RGB", "L"):
        fundo = Image.new("RGB", imagem.size, "white")
        fundo.paste(imagem.convert("RGBA"), mask=imagem.convert("RGBA"))
        imagem = fundo
    imagem.thumbnail((LADO_MAXIMO, LADO_MAXIMO))
    saida = io.BytesIO()
    imagem.save(saida, "JPEG", quality=85, optimize=True)  # no EXIF: nothing is copied over
    return saida.getvalue()


def _nomes(trecho):
    for nome in _NOME.findall(trecho):
        yield re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), nome)


def _trechos(dados):
    """Where a PDF's dictionaries are: the file without its streams' bytes (images would match
    by chance), and each object stream inflated (bounded)."""
    yield _STREAM.sub(b"stream endstream", dados)
    for stream in _STREAM.finditer(dados):
        if b"/ObjStm" not in dados[max(0, stream.start() - 300):stream.start()]:
            continue
        try:
            yield zlib.decompressobj().decompress(stream.group(1), LIMITE_BYTES * 4)
        except zlib.error:
            continue


def _conferir_pdf(dados, campo):
    if b"%%EOF" not in dados[-2048:] or b"obj" not in dados:
        raise ArquivoRecusado("Este PDF está incompleto ou danificado. Gere o PDF de novo.",
                              campo)
    if any(nome in _NOMES_PROIBIDOS for trecho in _trechos(dados) for nome in _nomes(trecho)):
        raise ArquivoRecusado("Este PDF contém JavaScript ou ações automáticas, que não "
                              "aceitamos. Envie uma foto do documento ou um PDF simples.", campo)


# --- encryption at rest ------------------------------------------------------------------

def _chave(config):
    segredo = config.get("DOCUMENTOS_CHAVE") or config["SECRET_KEY"]
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"portal:documentos:v1").derive(segredo.encode())


def cifrar(dados, contexto, config):
    """nonce + ciphertext; `contexto` (the row it belongs to) is authenticated with it, so a
    blob copied onto another row does not open."""
    nonce = os.urandom(12)
    return nonce + AESGCM(_chave(config)).encrypt(nonce, dados, contexto.encode())


def decifrar(cifrado, contexto, config):
    cifrado = bytes(cifrado)
    return AESGCM(_chave(config)).decrypt(cifrado[:12], cifrado[12:], contexto.encode())

