"""The security headers django-csp and Django's SecurityMiddleware do not write, the methods
the portal answers, and the opt-in for views that other sites may frame.

Which header comes from where (settings.py, "Security headers"):

* Content-Security-Policy: django-csp (``CONTENT_SECURITY_POLICY``),
* X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy, HSTS:
  django.middleware.security.SecurityMiddleware,
* X-Frame-Options: django.middleware.clickjacking.XFrameOptionsMiddleware (DENY),
* Permissions-Policy and the 405 for other methods: SecurityHeadersMiddleware here.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpResponseNotAllowed


def permissions_policy(features):
    """``geolocation=(self), camera=()`` from ``{"geolocation": ["self"], "camera": []}``."""
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class SecurityHeadersMiddleware:
    """Answers 405 to methods the portal does not use, before any view or WhiteNoise sees
    them: function views would answer a TRACE or PUT like a GET. Adds the
    Permissions-Policy to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed_methods = list(settings.PORTAL_ALLOWED_METHODS)
        self.permissions_policy = permissions_policy(settings.PORTAL_PERMISSIONS_POLICY)

    def __call__(self, request):
        if request.method not in self.allowed_methods:
            response = HttpResponseNotAllowed(self.allowed_methods)
        else:
            response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


def allow_framing(ancestors=("*",)):
    """Let other sites show this view in a frame (an embeddable widget, nothing else):
    no X-Frame-Options, and CSP ``frame-ancestors`` set to ``ancestors`` (``*`` by default,
    or the origins allowed to embed it, e.g. ``("https://www.unna.de",)``).

    Usage on a function view: ``@allow_framing()``; on a class-based view:
    ``path("widget/", allow_framing()(WidgetView.as_view()))``.
    """
    ancestors = list(ancestors)

    def decorator(view):
        @wraps(view)
        def framed_view(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.xframe_options_exempt = True
            # django-csp merges this over CONTENT_SECURITY_POLICY for this response only.
            response._csp_replace = {"frame-ancestors": ancestors}
            return response

        return framed_view

    return decorator
