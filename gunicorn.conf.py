"""gunicorn settings read from the environment (`gunicorn -c gunicorn.conf.py 'app:create_app()'`)."""
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# The access log never holds a usable holder or password link (see logs.py).
logger_class = "logs.AccessLogger"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
