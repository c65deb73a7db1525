from django.views.generic import DetailView

from integration_portal.publishing import PublishedObjectMixin

from .models import Offer


class OfferDetailView(PublishedObjectMixin, DetailView):
    queryset = Offer.objects.select_related(
        "provider", "provider__city", "city", "venue", "venue__city", "migration_background"
    ).prefetch_related("categories", "languages", "genders", "age_groups")
