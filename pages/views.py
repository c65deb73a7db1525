from django.db.models import Count, Q
from django.views.generic import DetailView, TemplateView

from integration_portal.publishing import PublicationStatus, PublishedObjectMixin
from offers.models import Offer
from vocabularies.models import Category

from .models import Page


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published_offers = Offer.objects.published()
        context["offer_count"] = published_offers.count()
        context["categories"] = Category.objects.annotate(
            offer_count=Count(
                "offers", filter=Q(offers__in=published_offers.values("pk")), distinct=True
            )
        )
        context["latest_offers"] = published_offers.select_related("city", "provider").order_by(
            "-created"
        )[:6]
        context["intro_page"] = Page.objects.published().filter(slug="ueber-uns").first()
        return context


class PageDetailView(PublishedObjectMixin, DetailView):
    queryset = Page.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = self.object.children.filter(
            publication_status=PublicationStatus.PUBLISHED
        )
        return context
