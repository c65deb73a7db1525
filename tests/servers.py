"""Real server processes for tests: gunicorn with the repository's deploy/gunicorn.conf.py,
on a port the operating system picks."""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


class Gunicorn:
    def __init__(self, env, log_path):
        self.env = env
        self.log_path = Path(log_path)
        self.process = None
        self.port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        env = {**os.environ, **self.env}
        env.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
        env.setdefault("DEBUG", "false")
        env.setdefault("WEB_CONCURRENCY", "2")
        env["GUNICORN_BIND"] = "127.0.0.1:0"  # a free port; read back from the log
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(GUNICORN), "--config", "deploy/gunicorn.conf.py"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log_path.read_text())
            if match:
                self.port = int(match.group(1))
                if get(f"{self.url}/healthz").status == 200:
                    return self
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start:\n{self.log_path.read_text()}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()


class Answer:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def get(url, data=None, headers=None, timeout=30):
    """The answer to a request, whatever its status (urllib raises for 4xx and 5xx)."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(
                response.status, response.headers, response.read(), time.monotonic() - started
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read(), time.monotonic() - started)
    except (urllib.error.URLError, ConnectionError):
        return Answer(0, {}, b"", time.monotonic() - started)
