"""The framework's ceiling: a hello-world Flask app, served by the same gunicorn.conf.py."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!\n"
