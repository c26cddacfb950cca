"""The action server (rasa_sdk 3.6) as GongYou runs it: `python -m bot.runtime.action_server --actions actions`.

rasa_sdk's own command listens on every interface (SANIC_HOST, default 0.0.0.0) without any
authentication, and its /webhook runs any action with the bot's service token. Here:
- it listens on the loopback interface unless GONGYOU_ACTIONS_HOST says otherwise (a Kubernetes
  pod sets 0.0.0.0, where the NetworkPolicy in deploy/k8s/ keeps everyone but Rasa out);
- when GONGYOU_ACTION_SECRET is set (`make run` and production make one up; Kubernetes reads it
  from its Secret), every call but /health must carry it in the X-GongYou-Action-Secret header,
  which Rasa sends from endpoints.yml's `action_endpoint.headers`.
"""

from __future__ import annotations

import hmac
import logging
from typing import Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings

HEADER = "X-GongYou-Action-Secret"
OPEN_PATHS = ("/health",)


def require_secret(app: Sanic, secret: str) -> None:
    """Refuse (403) every request but the health check that does not carry `secret`."""
    expected = secret.encode()

    @app.middleware("request")
    async def _check(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        presented = (request.headers.get(HEADER) or "").encode()
        if not hmac.compare_digest(presented, expected):
            return response.json({"error": "forbidden"}, status=403)
        return None


def main() -> None:
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_app, create_argument_parser
    from rasa_sdk.plugin import plugin_manager

    from bot.privacy import install_log_masking
    from bot.web.auth import refuse_weak_secrets

    parser = create_argument_parser()
    parser.add_argument(
        "--host", default=settings.actions_host(), help="interface to listen on (default: loopback only)"
    )
    args = parser.parse_args()
    refuse_weak_secrets()
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file
    )
    utils.update_sanic_log_level()
    install_log_masking()
    # No CORS: only Rasa calls this server, never a browser.
    app = create_app(args.actions, cors_origins=args.cors, auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    secret = settings.action_secret()
    if secret:
        require_secret(app, secret)
    app.run(args.host, args.port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
