"""A Nominatim stand-in on 127.0.0.1 for the tests: no test asks a geocoder elsewhere.

    with FakeGeocoder({"Markt 1, 59423 Unna": (51.5372, 7.6893)}) as geocoder:
        settings.PORTAL_GEOCODER_URL = geocoder.url

Queries it does not know get an empty list (Nominatim's "nothing found"); ``status`` makes
every answer an HTTP error and ``delay`` makes it answer late (for timeouts).
"""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeGeocoder:
    def __init__(self, places=None):
        self.places = dict(places or {})
        self.requests = []  # (path, query parameters, headers) of each request
        self.status = 200
        self.delay = 0.0
        self.body = None  # raw answer instead of the found places
        self.server = None

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def answer_for(self, query):
        found = self.places.get(query)
        if found is None:
            return []
        latitude, longitude = found
        return [
            {
                "place_id": 1,
                "lat": str(latitude),
                "lon": str(longitude),
                "display_name": f"{query}, Nordrhein-Westfalen, Deutschland",
                "category": "building",
            }
        ]

    def __enter__(self):
        geocoder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                params = parse_qs(parts.query)
                geocoder.requests.append((parts.path, params, dict(self.headers)))
                if geocoder.delay:
                    time.sleep(geocoder.delay)
                if geocoder.status != 200:
                    self.send_error(geocoder.status)
                    return
                if parts.path != "/search" or params.get("format") != ["jsonv2"]:
                    self.send_error(400)
                    return
                body = geocoder.body
                if body is None:
                    body = json.dumps(geocoder.answer_for(params.get("q", [""])[0])).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # The client may have given up waiting (timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        """Stop listening (also to test a geocoder that is down); may be called twice."""
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)

    def __exit__(self, *exc):
        self.stop()
