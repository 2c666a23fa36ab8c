"""Flask extensions, created unbound and initialised in create_app."""
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_mailman import Mail
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx

csrf = CSRFProtect()
compress = Compress()
htmx = Htmx()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
mail = Mail()
