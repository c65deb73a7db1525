"""deploy/: the nginx site is valid, and nginx in front of two gunicorn instances spreads
the requests over both and goes on when one of them stops."""

import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.servers import PROJECT_DIR, Gunicorn, get

NGINX = Path("/usr/sbin/nginx")
RENDER = PROJECT_DIR / "deploy" / "render-nginx.sh"


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render(prefix, site, port, media_root, upstreams, env=None):
    subprocess.run(
        [str(RENDER), str(prefix), site, str(port), str(media_root), *upstreams],
        check=True,
        env=env,
    )


def nginx_check(prefix):
    return subprocess.run(
        [str(NGINX), "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
    )


def test_the_nginx_sites_are_valid(tmp_path):
    render(tmp_path / "http", "portal-http.conf", free_port(), tmp_path, ["127.0.0.1:8001"])
    result = nginx_check(tmp_path / "http")
    assert result.returncode == 0, result.stderr
    # The HTTPS site, with a throwaway certificate in place of the real one.
    certificate, key = tmp_path / "portal.pem", tmp_path / "portal.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=portal.example.org", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    env = {
        "PATH": "/usr/bin:/bin",
        "SERVER_NAME": "portal.example.org",
        "TLS_CERTIFICATE": str(certificate),
        "TLS_CERTIFICATE_KEY": str(key),
    }
    render(tmp_path / "https", "portal-https.conf", 0, tmp_path, ["127.0.0.1:8001"], env)
    result = nginx_check(tmp_path / "https")
    assert result.returncode == 0, result.stderr


@pytest.fixture
def two_app_servers_behind_nginx(tmp_path):
    servers = [
        Gunicorn(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                "PORTAL_VAR_DIR": str(tmp_path),
                "WEB_CONCURRENCY": "1",
            },
            tmp_path / f"gunicorn-{number}.log",
        )
        for number in (1, 2)
    ]
    media = tmp_path / "media"
    (media / "events").mkdir(parents=True)
    (media / "events" / "programm.txt").write_text("Programm\n")
    prefix = tmp_path / "nginx"
    port = free_port()
    nginx = None
    try:
        for server in servers:
            server.start()
        render(prefix, "portal-http.conf", port, media, [f"127.0.0.1:{s.port}" for s in servers])
        nginx = subprocess.Popen(
            [str(NGINX), "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while get(f"{base}/healthz").status != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        yield base, servers
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        for server in servers:
            server.stop()


def requests_answered(server):
    return len(re.findall(r'"GET /healthz ', server.log_path.read_text()))


def test_nginx_spreads_requests_over_both_app_servers_and_skips_a_stopped_one(
    two_app_servers_behind_nginx,
):
    base, servers = two_app_servers_behind_nginx
    before = [requests_answered(server) for server in servers]
    answers = [get(f"{base}/healthz") for _ in range(10)]
    assert [answer.status for answer in answers] == [200] * 10
    assert answers[0].headers["Server"] == "nginx"
    assert all(
        requests_answered(server) > count for server, count in zip(servers, before, strict=True)
    )

    servers[0].stop()
    assert [get(f"{base}/healthz").status for _ in range(6)] == [200] * 6


def test_nginx_serves_uploads_itself_with_nosniff(two_app_servers_behind_nginx):
    base, _servers = two_app_servers_behind_nginx
    answer = get(f"{base}/media/events/programm.txt")
    assert answer.status == 200
    assert answer.text == "Programm\n"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
