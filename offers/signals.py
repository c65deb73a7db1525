"""Keep Offer.search_text current whatever changes a text it contains.

Raw saves (loaddata) are skipped: they come in bulk, and load_demo refreshes all offers
once at the end.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from places.models import City, Venue
from providers.models import Provider
from vocabularies.models import Category

from .models import Offer


@receiver(post_save, sender=Offer)
def offer_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        Offer.objects.filter(pk=instance.pk).refresh_search_text()


@receiver(m2m_changed, sender=Offer.categories.through)
def offer_categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # category.offers.add(...): instance is the category
        affected = Offer.objects.filter(pk__in=pk_set) if pk_set else instance.offers.all()
    else:
        affected = Offer.objects.filter(pk=instance.pk)
    affected.refresh_search_text()


@receiver(post_save, sender=Provider)
@receiver(post_save, sender=Venue)
@receiver(post_save, sender=City)
@receiver(post_save, sender=Category)
def shown_text_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return  # a new provider, venue, city or category has no offers yet
    lookup = {Provider: "provider", Venue: "venue", City: "city", Category: "categories"}[sender]
    Offer.objects.filter(**{lookup: instance}).refresh_search_text()
