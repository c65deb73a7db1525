"""What residents and staff see while the database cannot be reached, and the portal's own
error pages in the visitor's language.

A database outage is not a bug of the portal: it gets its own page (503, ``Retry-After``)
instead of the 500 page. Two ways lead there:

* ``DatabaseOutageMiddleware.process_exception`` for failures in a view or in rendering its
  template (most of them), without logging a traceback per request;
* ``server_error`` (handler500) for failures elsewhere, e.g. a middleware reading the session.

Both error pages render without the database and without a request context: the footer's
page list and the language switcher would query or fail exactly when the page is needed.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Seconds after which a browser or crawler may try again; a short outage (a database
# restart, a failover) is over by then.
RETRY_AFTER_SECONDS = 30

# Connection-type failures: the database refused or dropped the connection, did not answer
# within the connect timeout, or cancelled a statement at the statement timeout.
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(exception):
    return isinstance(exception, OUTAGE_ERRORS)


def visitor_language(request):
    """The language of the address's prefix, else the one the browser asks for."""
    language = translation.get_language_from_path(request.path_info)
    if language is None:
        language = translation.get_language_from_request(request)
    return language or settings.LANGUAGE_CODE


def render_error_page(request, template_name, status, context=None):
    language = visitor_language(request)
    with translation.override(language):
        page_context = {
            "LANGUAGE_CODE": language,
            "text_direction": "rtl" if language in settings.RTL_LANGUAGES else "ltr",
            "portal_name": settings.PORTAL_NAME,
            **(context or {}),
        }
        try:
            body = loader.get_template(template_name).render(page_context)
            content_type = "text/html; charset=utf-8"
        except Exception:  # the error page itself must never fail
            logger.exception("rendering %s failed", template_name)
            body = f"{status}\n"
            content_type = "text/plain; charset=utf-8"
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Content-Language"] = language
    add_never_cache_headers(response)
    return response


def outage_response(request):
    response = render_error_page(
        request,
        "503.html",
        503,
        # A form sent during the outage was not saved: say so, so that nobody believes it was.
        {"not_saved": request.method not in {"GET", "HEAD", "OPTIONS"}},
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        # The view's transaction (the admin saves in one) was rolled back: nothing half
        # written. A warning, not a traceback per request: the cause is outside the portal.
        logger.warning(
            "database unavailable for %s %s: %s", request.method, request.path, exception
        )
        return outage_response(request)


def server_error(request):
    """handler500: the outage page for a database failure, otherwise the portal's 500 page."""
    # Called while the exception is being handled, so it is still at hand.
    exception = sys.exc_info()[1]
    if is_database_outage(exception):
        return outage_response(request)
    return render_error_page(request, "500.html", 500)
