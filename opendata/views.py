"""The Open Referral HSDS 3.0 API under /api/hsds/ (README, "Open-data API").

Thin views: the shapes are in hsds.py, the parameters in filters.py, the download's files
in export.py and downloads.py. Every answer is JSON, errors included (400 with the
parameters' errors, 404 for an unknown id or page, 429 over the rate limit, 503 while the
download's first files are made), may be read from any origin (CORS), carries an ETag and
a Last-Modified (304 for a matching If-None-Match or If-Modified-Since) and sets no cookie.
The language is ``?lang=`` or else the browser's (LocaleMiddleware reads Accept-Language
for addresses without a language prefix), German where a text has no translation.
"""

import functools
import hashlib
import math
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DataError, transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from content import generation
from offers.models import Offer
from operations import page_cache, ratelimit
from providers.models import Provider

from . import downloads, export, hsds
from .filters import PageForm, ServiceAtLocationFilter, ServiceFilter, TaxonomyTermForm
from .openapi import openapi_document

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
PAGE_PARAMETERS = ("page", "per_page")
# At most this many unknown parameter names, and this much of each, are named in a 400.
MAX_NAMES = 10
MAX_NAME = 40
# How long a client or proxy may reuse an answer without asking again (as the page cache's
# public pages: no invalidation reaches them).
MAX_AGE = 60
RATE_WINDOW = timedelta(minutes=1)
# How long a generation's first-seen time is kept. Should it expire while nothing changes,
# the next answer gets a later Last-Modified: a client's copy is sent again once, no harm.
GENERATION_TIME_SECONDS = 7 * 24 * 3600
RATE_SCOPE = "hsds"


class BadRequest(Exception):
    def __init__(self, errors):
        self.errors = errors


def error(status, code, **details):
    return JsonResponse({"error": code, "status": status, **details}, status=status)


def form_errors(form):
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def api(parameters=(), kept=True):
    """Wraps an API view: checks the rate limit and the parameters' names (``lang`` and
    ``parameters``; any other answers 400, rather than a list the client did not ask for),
    picks the language, and adds the headers every answer has. ``kept``: the answer is
    kept in the cache per content generation (not for files, which downloads.py keeps)."""
    allowed = {"lang", *parameters}

    def decorator(view):
        # Read-only: a POST answers 405 like any other method, not the CSRF check's 403.
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "OPTIONS":
                return finish(request, HttpResponse(status=204))
            if not within_rate_limit(request):
                return finish(request, too_many_requests())
            if request.method not in ("GET", "HEAD"):
                response = error(405, "method_not_allowed")
                response["Allow"] = "GET, HEAD, OPTIONS"
                return finish(request, response)
            # Named back to the client, but no more of them than an address of ours has.
            unknown = sorted(name[:MAX_NAME] for name in set(request.GET) - allowed)[:MAX_NAMES]
            language = request.GET.get("lang") or translation.get_language()
            if unknown:
                response = error(
                    400, "unknown_parameter", parameters=unknown, allowed=sorted(allowed)
                )
            elif language not in LANGUAGE_CODES:
                response = error(400, "unknown_language", languages=sorted(LANGUAGE_CODES))
            else:
                with translation.override(language):
                    response = empty_parameters(request)
                    if response is None and kept:
                        response = kept_per_generation(request, language, view, args, kwargs)
                    elif response is None:
                        response = answer(request, view, args, kwargs)
                response.setdefault("Content-Language", language)
            return finish(request, response)

        return wrapper

    return decorator


def empty_parameters(request):
    """A 400 naming the parameters given without a value, or None. The description gives
    each parameter a type (a UUID, a date, a number) that an empty value is not; taken as
    "not given", it would widen a list the client meant to narrow."""
    empty = sorted(name[:MAX_NAME] for name, values in request.GET.lists() if "" in values)
    if not empty:
        return None
    message = gettext("Give a value, or leave the parameter out.")
    return error(400, "invalid_parameter", errors={name: [message] for name in empty[:MAX_NAMES]})


def within_rate_limit(request):
    """Whether the client may send this request: OPEN_DATA_REQUESTS_PER_MINUTE per address,
    counted in the shared cache (operations/ratelimit.py). The preflight is not counted."""
    limit = settings.OPEN_DATA_REQUESTS_PER_MINUTE
    if limit <= 0:
        return True
    return ratelimit.take_in_cache(RATE_SCOPE, ratelimit.client_hash(request), limit, RATE_WINDOW)


def too_many_requests():
    response = error(
        429,
        "too_many_requests",
        limit_per_minute=settings.OPEN_DATA_REQUESTS_PER_MINUTE,
    )
    response["Retry-After"] = str(ratelimit.retry_after(RATE_WINDOW))
    return response


def generation_time():
    """When the current content generation was first seen, as a timestamp: the answers'
    Last-Modified. Content changes at or before it (every change starts a generation), so a
    client's If-Modified-Since is answered 304 only when nothing changed since. Each
    generation's time is later than its predecessor's by a second at least: HTTP dates count
    whole seconds, and two generations within one must not look alike."""
    current = generation.current()
    key = f"hsds:generation-time:{current}"
    stamp = cache.get(key)
    if stamp is None:
        previous = cache.get("hsds:generation-time:latest") or 0
        cache.add(key, max(math.ceil(time.time()), previous + 1), GENERATION_TIME_SECONDS)
        stamp = cache.get(key)
        if stamp is None:  # the cache is unreachable: no 304 by date then
            return None
        cache.set("hsds:generation-time:latest", stamp, None)
    return stamp


def answer(request, view, args, kwargs):
    try:
        # In a savepoint: a value the form accepts but the database cannot hold fails the
        # query, which leaves the connection's transaction usable only after a rollback.
        # (Time zone offsets beyond PostgreSQL's 15:59 were one: filters.py now reads them
        # in UTC.)
        with transaction.atomic():
            return view(request, *args, **kwargs)
    except DataError:
        return error(400, "invalid_parameter")
    except BadRequest as bad:
        return error(400, "invalid_parameter", errors=bad.errors)
    except Http404:
        return error(404, "not_found")


def kept_per_generation(request, language, view, args, kwargs):
    """The view's answer, kept in the cache for the current content generation, as the
    page cache keeps pages (operations/page_cache.py; that one leaves these answers out,
    since they vary on Accept-Language): the key holds the address and the language, and a
    change to any content starts a new generation. A search over thousands of offers is
    then computed once per change, not once per client."""
    if not page_cache.enabled():
        return answer(request, view, args, kwargs)
    address = f"{request.build_absolute_uri()}\n{language}"
    key = f"hsds:{generation.current()}:{hashlib.sha256(address.encode()).hexdigest()}"
    content = cache.get(key)
    if content is not None:
        return HttpResponse(content, content_type="application/json")
    response = answer(request, view, args, kwargs)
    if response.status_code == 200:
        cache.set(key, response.content, page_cache.timeout())
    return response


def finish(request, response):
    """The headers of every answer; 304 where the client's copy is still current. A file of
    the download comes with its own ETag and Last-Modified; an answer of the API gets the
    hash of its content and the content generation's time."""
    cors(request, response)
    if request.method == "OPTIONS":
        return response
    patch_vary_headers(response, ("Accept-Language",))
    if response.status_code != 200:
        response["Cache-Control"] = "no-cache"
        return response
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        modified = generation_time()
        if modified is not None:
            response["Last-Modified"] = http_date(modified)
    conditional = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=last_modified_of(response),
        response=response,
    )
    if conditional is not response:
        # A file's handle is closed; not the response itself, whose close() would send
        # request_finished in the middle of the request (and close the database connection).
        stream = getattr(response, "file_to_stream", None)
        if stream is not None:
            stream.close()
        cors(request, conditional)
    return conditional


def last_modified_of(response):
    return parse_http_date_safe(response.get("Last-Modified", ""))


def cors(request, response):
    response["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = (
            "Accept-Language, If-None-Match, If-Modified-Since"
        )
        response["Access-Control-Max-Age"] = "86400"
    else:
        response["Access-Control-Expose-Headers"] = (
            "ETag, Last-Modified, Content-Language, Content-Disposition, Retry-After"
        )


def json(data):
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def read_page(request):
    form = PageForm(request.GET)
    if not form.is_valid():
        raise BadRequest(form_errors(form))
    return form.cleaned_data["page"], form.cleaned_data["per_page"]


def page_of(request, total, page_number, per_page, contents_of):
    """The HSDS Page envelope. ``contents_of(start, stop)`` gives that slice of the list;
    a page past the last is a 404 (page 1 of an empty list is an empty page)."""
    total_pages = max(1, math.ceil(total / per_page))
    if page_number > total_pages:
        raise Http404
    start = (page_number - 1) * per_page
    contents = contents_of(start, start + per_page) if total else []
    return json(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page_number,
            "size": len(contents),
            "first_page": page_number == 1,
            "last_page": page_number == total_pages,
            "empty": total == 0,
            "contents": contents,
        }
    )


def absolute(request):
    return request.build_absolute_uri


# --- The views -----------------------------------------------------------------------------


@api()
def root(request):
    return json(
        {
            "version": hsds.HSDS_VERSION,
            "profile": hsds.PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("opendata:openapi")),
        }
    )


@api()
def openapi(request):
    return json(openapi_document(request.build_absolute_uri(reverse("opendata:root"))))


def filtered_offers(request, filter_class, queryset):
    filters = filter_class(request.GET, queryset=queryset, language=translation.get_language())
    if not filters.is_valid():
        raise BadRequest(form_errors(filters.form))
    return filters.qs


@api(parameters=(*ServiceFilter.base_filters, *PAGE_PARAMETERS))
def service_list(request):
    page_number, per_page = read_page(request)
    queryset = filtered_offers(request, ServiceFilter, Offer.objects.published().order_by("pk"))
    to_service = functools.partial(hsds.service, absolute=absolute(request))

    def contents(start, stop):
        # Only the page's offers are read with their relations: a fixed number of queries.
        return [to_service(offer) for offer in hsds.services_queryset(queryset)[start:stop]]

    return page_of(request, queryset.count(), page_number, per_page, contents)


@api(parameters=(*ServiceAtLocationFilter.base_filters, *PAGE_PARAMETERS))
def service_at_location_list(request):
    page_number, per_page = read_page(request)
    queryset = filtered_offers(
        request,
        ServiceAtLocationFilter,
        Offer.objects.published().filter(venue__isnull=False).order_by("pk"),
    )

    def contents(start, stop):
        return [
            hsds.service_at_location(offer)
            for offer in hsds.services_queryset(queryset)[start:stop]
        ]

    return page_of(request, queryset.count(), page_number, per_page, contents)


@api()
def service_at_location_detail(request, id):
    offer_uuid = hsds.offer_uuid_of_service_at_location(public_id(id))
    offer = find(hsds.services_queryset().filter(venue__isnull=False), str(offer_uuid))
    return json(hsds.service_at_location(offer))


def public_id(id):
    """``id`` as a UUID; anything else names no entry (404)."""
    try:
        return uuid.UUID(id)
    except ValueError as malformed:
        raise Http404 from malformed


def find(queryset, id):
    """The entry with the public UUID ``id``, else 404."""
    try:
        return queryset.get(uuid=public_id(id))
    except queryset.model.DoesNotExist as missing:
        raise Http404 from missing


@api()
def service_detail(request, id):
    offer = find(hsds.services_queryset(), id)
    return json(hsds.service(offer, absolute(request), detail=True))


@api(parameters=PAGE_PARAMETERS)
def organization_list(request):
    page_number, per_page = read_page(request)
    queryset = Provider.objects.order_by("pk")
    to_organization = functools.partial(hsds.organization, absolute=absolute(request))

    def contents(start, stop):
        return [to_organization(provider) for provider in queryset[start:stop]]

    return page_of(request, queryset.count(), page_number, per_page, contents)


@api()
def organization_detail(request, id):
    provider = find(hsds.organizations_queryset(Provider.objects.all()), id)
    return json(hsds.organization(provider, absolute(request), detail=True))


@api(parameters=PAGE_PARAMETERS)
def taxonomy_list(request):
    page_number, per_page = read_page(request)
    taxonomies = [hsds.taxonomy(tax) for tax in hsds.TAXONOMIES]
    return page_of(
        request, len(taxonomies), page_number, per_page, lambda start, stop: taxonomies[start:stop]
    )


@api()
def taxonomy_detail(request, id):
    tax = hsds.TAXONOMIES_BY_ID.get(str(public_id(id)))
    if tax is None:
        raise Http404
    return json(hsds.taxonomy(tax))


@api(parameters=("taxonomy_id", *PAGE_PARAMETERS))
def taxonomy_term_list(request):
    page_number, per_page = read_page(request)
    form = TaxonomyTermForm(request.GET)
    if not form.is_valid():
        raise BadRequest(form_errors(form))
    terms = hsds.all_terms()
    if form.cleaned_data["taxonomy_id"]:
        wanted = hsds.TAXONOMIES_BY_ID.get(str(form.cleaned_data["taxonomy_id"]))
        terms = [term for term in terms if hsds.TAXONOMY_OF_MODEL[type(term)] is wanted]

    def contents(start, stop):
        return [hsds.taxonomy_term(term) for term in terms[start:stop]]

    return page_of(request, len(terms), page_number, per_page, contents)


@api()
def taxonomy_term_detail(request, id):
    for tax in hsds.TAXONOMIES:
        term = tax.model.objects.filter(uuid=public_id(id)).first()
        if term is not None:
            return json(hsds.taxonomy_term(term, detail=True))
    raise Http404


@api(kept=False)
def download(request, file_name):
    """A file of the open-data download (README, "Open-data download"), built for the
    current content (downloads.py), or while that is being built the previous build's; a
    503 while the very first build runs. Always German: the files are one for every
    language (the 503's message is in the client's)."""
    if file_name not in export.FILES:
        raise Http404
    build = downloads.current(request.build_absolute_uri("/"))
    if build is None:
        response = error(
            503,
            "being_built",
            message=gettext("The files are being made. Please try again in a minute."),
        )
        response["Retry-After"] = str(downloads.RETRY_AFTER)
        return response
    entry = build.files[file_name]
    response = FileResponse(
        build.open(file_name),
        as_attachment=True,
        filename=file_name,
        content_type=entry["content_type"],
    )
    response["ETag"] = f'"{entry["sha256"]}"'
    response["Last-Modified"] = http_date(build.created.timestamp())
    response["Content-Language"] = settings.LANGUAGE_CODE
    return response


@api()
def not_found(request, rest):
    raise Http404
