"""A real gunicorn process serving the test database, and raw HTTP requests to it.

Django's test client and its development server normalise a request line such as
``GET //evil.com/de/ HTTP/1.1`` and answer only the methods they know; gunicorn passes both
on to the application as they are, the way production sees them. So what depends on the
raw request (hostile paths, TRACE) is tested here.

The fixture needs committed data (``transactional_db``): on SQLite's in-memory test database
the database is copied into a file for the server, on PostgreSQL the server uses the test
database itself.
"""

import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass
class RawResponse:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name):
        return self.headers.get(name)


@dataclass
class GunicornServer:
    host: str
    port: int

    def request(self, method, target, headers=None):
        """Send ``method target`` exactly as given (no normalisation of the path)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", f"{self.host}:{self.port}")
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read().decode("utf-8", errors="replace")
            return RawResponse(response.status, response.headers, body)
        finally:
            connection.close()


def database_url(connection, tmp_path):
    if connection.vendor == "sqlite":
        path = tmp_path / "gunicorn.sqlite3"
        with closing(sqlite3.connect(path)) as target:
            connection.ensure_connection()
            connection.connection.backup(target)
        return f"sqlite:///{path}"
    params = connection.settings_dict
    user = params["USER"] or ""
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    host = params["HOST"] or "127.0.0.1"
    port = params["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def wait_until_serving(server, process):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {process.stderr.read()[-3000:]}")
        try:
            server.request("GET", "/admin/login/")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


@pytest.fixture
def gunicorn_server(transactional_db, tmp_path):
    """gunicorn serving the portal (with the test settings) from the test database."""
    connection = connections[DEFAULT_DB_ALIAS]
    # A socket bound to a free port, handed to gunicorn as an open file descriptor: no race
    # for the port between choosing and binding it.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(connection, tmp_path),
        "DATABASE_CONN_MAX_AGE": "0",
        # As in production: the portal's own error pages, not Django's debug pages.
        "DEBUG": "false",
        "PORTAL_VAR_DIR": str(settings.VAR_DIR),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "integration_portal.wsgi",
            "--bind",
            f"fd://{listener.fileno()}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_DIR,
        env=env,
        pass_fds=[listener.fileno()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    listener.close()
    server = GunicornServer("127.0.0.1", port)
    try:
        wait_until_serving(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()
