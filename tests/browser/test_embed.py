"""The widget on another site: framed across origins, sized to its content by embed.js,
its links opening the portal in a new tab."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from pages.embedding import embed_snippet

pytestmark = pytest.mark.usefixtures("live_demo_data")


@contextmanager
def host_server(body):
    """Serves ``body`` as the one page of another site, on a port of its own."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class FakeRequest:
    """What embed_snippet needs of a request: the live server's address."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def build_absolute_uri(self, path):
        return self.base + path


def test_a_municipalitys_page_shows_the_widget_at_its_full_height(page, live_server, browser_log):
    snippet = embed_snippet(FakeRequest(live_server.url), "/de/embed/cities/unna/", "Angebote")
    host_page = f"<!DOCTYPE html><html lang='de'><title>Stadt</title><h1>Stadt</h1>{snippet}</html>"
    # The municipality's site: a server of its own on another port (another origin).
    with host_server(host_page.encode()) as host:
        page.goto(host)
        frame = page.frame_locator("iframe[data-integration-portal]")
        expect(frame.locator("h1")).to_have_text("Angebote in Unna")
        iframe = page.locator("iframe[data-integration-portal]")
        page.wait_for_function(
            "() => document.querySelector('iframe[data-integration-portal]').style.height !== ''"
        )
        content_height = frame.locator("html").evaluate(
            "element => Math.ceil(element.getBoundingClientRect().height)"
        )
        assert content_height > 640  # ten offers and the events: taller than the default
        assert iframe.evaluate("element => element.style.height") == f"{content_height}px"
        link = frame.locator("a", has_text="Eltern-Kind-Turnen").first
        assert link.get_attribute("target") == "_blank"
        browser_log.assert_clean()
