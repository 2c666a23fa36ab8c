"""Speaking to the app as a browser would, through Flask's test client."""
import re
from html.parser import HTMLParser


def login(client, cpf, senha):
    return client.post("/entrar", data={"cpf": cpf, "senha": senha})


def htmx_headers(**extra):
    return {"HX-Request": "true", **extra}


def text(response):
    """The visible text of an HTML response, tags dropped and spaces folded."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


class _Tabela(HTMLParser):
    """The first `table.tabela-lista` of a page: header texts and, per row, its cells' texts
    and checkbox."""

    def __init__(self):
        super().__init__()
        self.cabecalho, self.linhas = [], []
        self._dentro = self._fim = False
        self._celula = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "tabela-lista" in (attrs.get("class") or "") and not self._fim:
            self._dentro = True
        elif not self._dentro:
            return
        elif tag == "tr":
            self.linhas.append({"celulas": [], "caixa": None, "marcada": False})
        elif tag in ("th", "td"):
            self._celula = []
        elif tag == "input" and attrs.get("type") == "checkbox":
            self.linhas[-1]["caixa"] = (attrs.get("name"), attrs.get("value"))
            self.linhas[-1]["marcada"] = "checked" in attrs

    def handle_endtag(self, tag):
        if not self._dentro:
            return
        if tag == "table":
            self._dentro, self._fim = False, True
        elif tag in ("th", "td") and self._celula is not None:
            self.linhas[-1]["celulas"].append(" ".join("".join(self._celula).split()))
            self._celula = None

    def handle_data(self, data):
        if self._celula is not None:
            self._celula.append(data)


def tabela(response):
    """(header texts, data rows) of the page's list table; each row {"celulas", "caixa",
    "marcada"}, its checkbox as (name, value)."""
    leitor = _Tabela()
    leitor.feed(response.get_data(as_text=True))
    cabecalho, *linhas = leitor.linhas
    return cabecalho["celulas"], linhas
