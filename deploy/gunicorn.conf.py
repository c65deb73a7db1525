"""gunicorn's configuration for the portal: `make run`, the systemd units in deploy/ and
deploy/try-on-this-machine.sh all start gunicorn with this file.

Every value can be overridden from the environment (README, "Configuration"), so one file
serves a laptop and a server: WEB_CONCURRENCY (workers), GUNICORN_THREADS,
GUNICORN_TIMEOUT, GUNICORN_BIND (or HOST and PORT), GUNICORN_MAX_REQUESTS.
"""

import multiprocessing
import os

wsgi_app = "integration_portal.wsgi:application"

bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)

# Sync workers: each request is mostly the database's and the template engine's work, so the
# usual rule of two workers per core plus one keeps the cores busy while some wait for the
# database.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# A request that takes longer than this is killed with its worker (a new one starts): far
# above any page's time, below a proxy's typical 60 s, so the proxy never waits for nothing.
# The database's statement timeout (DATABASE_STATEMENT_TIMEOUT) stops the query first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "45"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Behind nginx with keep-alive to the upstream.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Restarting each worker after some thousand requests caps slow memory growth; the jitter
# keeps all workers from restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# Logs to stdout/stderr: systemd's journal or the terminal collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Trust X-Forwarded-* only from the proxy in front (nginx on the same machine by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Load the application before forking: a broken setting stops the start at once with its
# message, instead of every worker failing on its own; workers share the loaded code's memory.
preload_app = True


def post_fork(server, worker):
    # Connections opened while preloading (none, normally) must not be shared by workers.
    from django.db import connections

    connections.close_all()


# gunicorn's control socket would sit at one fixed path per user: several instances on one
# machine (deploy/portal@.service) would take it from each other. The portal does not use it.
control_socket_disable = True
