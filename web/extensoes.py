"""Flask extensions, created unbound and initialised in create_app."""
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_mailman import Mail
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx



class LimitesNasRotas(Limiter):
    """Flask-Limiter checks before every request (for default, application and blueprint
    limits) and again inside each route that declares its own limit. Ours are all declared on
    routes, so the check before every request found nothing to count, at about 0.1 ms of
    every page (a sixth of /saude, bench/RESULTS.md). It runs again as soon as a limit that
    is not a route's exists."""

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        gerente = self.limit_manager
        if in_middleware and not (gerente.default_limits or gerente.application_limits
                                  or gerente._blueprint_limits):
            return
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)


csrf = CSRFProtect()
compress = Compress()
htmx = Htmx()
limiter = LimitesNasRotas(key_func=get_remote_address, default_limits=[])
mail = Mail()
