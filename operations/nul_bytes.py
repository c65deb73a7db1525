"""Refuse requests that carry a NUL character anywhere the portal reads text from.

PostgreSQL cannot store or compare text containing NUL ("\\x00"): a query with such a value
fails with an error, which became a 500 on every path that looked a parameter up in the
database (the thank-you page's ``offer``, the admin's autocomplete ``term``, change list
filters and searches, a session cookie). Nothing legitimate contains one, so this one
middleware answers 400 (templates/400.html, in the page's language) for a NUL in the path,
in a query parameter's name or value, in a cookie or in a form field of a POST. Uploaded
files are not looked at: their content may well contain NUL bytes. The engines' own
parameter reading (content/params.py) stays forgiving as a second line.
"""

from django.http import JsonResponse
from django.shortcuts import render

NUL = "\x00"
# The addresses of the open-data API (opendata/), whose errors are JSON.
API_PREFIX = "/api/"


def carries_nul(query_dict):
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


def request_carries_nul(request):
    if NUL in request.path or NUL in request.path_info:
        return True
    if carries_nul(request.GET):
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    # Only the text fields of a form: request.POST holds no files (those are in
    # request.FILES, whose content is none of our business here).
    return request.method == "POST" and carries_nul(request.POST)


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_carries_nul(request):
            # The 400 page itself must not load a session from such a cookie.
            request.COOKIES = {
                key: value
                for key, value in request.COOKIES.items()
                if NUL not in key and NUL not in value
            }
            if request.path.startswith(API_PREFIX):
                # Machines reading the open-data API get an answer they can parse.
                return JsonResponse({"error": "invalid_parameter", "status": 400}, status=400)
            return render(request, "400.html", status=400)
        return self.get_response(request)
