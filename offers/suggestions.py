"""Suggestions from the public: who may send how many, and what an accepted one becomes.

Nothing a resident sends is ever shown publicly by itself. A new-offer suggestion becomes a
*draft* offer (or a prefilled "add offer" form) that an editor completes and publishes; a
report takes the editor to the offer's change form. See README, "Suggestions from the public".
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation

from content.publication import PublicationStatus
from content.text import german_slug
from operations import ratelimit
from providers.models import Provider
from vocabularies.models import MigrationBackground

from .models import Offer, Suggestion, SuggestionStatus

RATE_WINDOW = timedelta(hours=1)
RATE_SCOPE = "suggestions"


def take_slot(request):
    """Whether this client may still send a suggestion this hour; if so, the attempt is
    counted. The count lives in the shared database (operations/ratelimit.py), is taken
    atomically before anything is stored, and does not depend on what becomes of earlier
    suggestions: accepting or rejecting one frees no slot."""
    return ratelimit.take(
        RATE_SCOPE,
        ratelimit.client_hash(request),
        settings.PORTAL_SUGGESTIONS_PER_HOUR,
        RATE_WINDOW,
    )


def retry_after():
    return ratelimit.retry_after(RATE_WINDOW)


def forget_old_counts():
    """Delete the counters of past hours (run by store() and purge_suggestions)."""
    return ratelimit.forget_before(RATE_SCOPE, RATE_WINDOW)


def store(form, request, **fields):
    """Save a valid public form as an open suggestion of the page's language. Also forgets,
    on the way, what the privacy note promises to forget (in case no cron job runs purge)."""
    suggestion = form.save(commit=False)
    for name, value in fields.items():
        setattr(suggestion, name, value)
    suggestion.language = page_language()
    suggestion.client_hash = ratelimit.client_hash(request)
    suggestion.status = SuggestionStatus.OPEN
    suggestion.save()
    Suggestion.objects.purge()
    forget_old_counts()
    return suggestion


def page_language():
    language = translation.get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


# --- Turning a new-offer suggestion into an offer ----------------------------------------


def matching_provider(suggestion):
    """The provider of that name, if exactly one exists; else the editor has to choose."""
    providers = list(Provider.objects.filter(name__iexact=suggestion.provider_name.strip())[:2])
    return providers[0] if len(providers) == 1 else None


def contact_fields(contact):
    """The free-text contact, put where the offer keeps such a thing."""
    contact = contact.strip()
    if not contact:
        return {}
    try:
        validate_email(contact)
        return {"contact_email": contact}
    except ValidationError:
        pass
    if len(contact) <= 40 and all(char.isdigit() or char in " +-/()." for char in contact):
        return {"contact_phone": contact}
    return {"contact_name": contact[:200]}


def offer_texts(suggestion):
    """The submitted texts as offer fields. They go into the column of the language they
    were written in (so that nothing Arabic is taken for German); the name also into the
    German name, which every offer needs and the editor then translates."""
    language = suggestion.language or settings.LANGUAGE_CODE
    texts = {"name_de": suggestion.name[:200], f"name_{language}": suggestion.name[:200]}
    if suggestion.description:
        texts[f"description_{language}"] = suggestion.description
    if suggestion.where_when:
        texts[f"schedule_{language}"] = suggestion.where_when
    if suggestion.homepage:
        texts["homepage"] = suggestion.homepage
    texts.update(contact_fields(suggestion.contact))
    return texts


def unique_slug(name, fallback):
    base = german_slug(name)[:180] or fallback
    slug, number = base, 1
    while Offer.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def open_to_all():
    return (
        MigrationBackground.objects.filter(slug="open-to-all").first()
        or MigrationBackground.objects.first()
    )


def draft_offer_from(suggestion):
    """A draft offer made from the suggestion, or None when it cannot be made without the
    editor's choice (no provider of that name, no migration background vocabulary). Never
    published: an editor checks, completes (categories, target group) and publishes it."""
    provider = matching_provider(suggestion)
    migration_background = open_to_all()
    if provider is None or migration_background is None or suggestion.city is None:
        return None
    offer = Offer(
        slug=unique_slug(suggestion.name, f"suggestion-{suggestion.pk}"),
        provider=provider,
        city=suggestion.city,
        migration_background=migration_background,
        publication_status=PublicationStatus.DRAFT,
        **offer_texts(suggestion),
    )
    offer.save()
    return offer


def offer_form_initial(suggestion):
    """What the admin's "add offer" form starts with when opened from the suggestion."""
    initial = {**offer_texts(suggestion), "publication_status": PublicationStatus.DRAFT}
    if suggestion.city_id:
        initial["city"] = suggestion.city_id
    return initial
