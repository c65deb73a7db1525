from django.db.models import Prefetch
from django.views.generic import DetailView

from offers.models import Offer

from .models import Provider


class ProviderDetailView(DetailView):
    queryset = Provider.objects.select_related("city").prefetch_related(
        "contact_persons",
        Prefetch(
            "offers",
            queryset=Offer.objects.published().select_related("city"),
            to_attr="published_offers",
        ),
    )
