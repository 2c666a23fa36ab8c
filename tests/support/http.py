"""Speaking to the app as a browser would, through Flask's test client."""
import re


def login(client, cpf, senha):
    return client.post("/entrar", data={"cpf": cpf, "senha": senha})


def htmx_headers(**extra):
    return {"HX-Request": "true", **extra}


def text(response):
    """The visible text of an HTML response, tags dropped and spaces folded."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())
