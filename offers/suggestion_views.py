"""The suggestion intake: the public forms that suggest a missing offer or report that a
published one is wrong. What is sent lands in the moderation queue, never on the site;
offers/suggestions.py has the rules (who may send how many, what an accepted one becomes)."""

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from content.params import clean_value

from . import suggestions
from .forms import NewOfferSuggestionForm, ReportForm
from .models import Offer, SuggestionKind


class SuggestionFormView(FormView):
    """A public form whose valid submissions land in the moderation queue, never on the site.

    Answers 429 (with the form and the visitor's entries kept) once a client has sent
    PORTAL_SUGGESTIONS_PER_HOUR suggestions this hour. Only a valid submission takes one of
    those slots (a resident correcting a typo is not locked out); it takes it before
    anything is stored, whatever later becomes of the suggestion. A filled honeypot is
    treated like a success, so that bots learn nothing, but nothing is stored.
    """

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_spam:
            return redirect(self.get_success_url())
        if not form.is_valid():
            return self.form_invalid(form)
        if not suggestions.take_slot(request):
            context = self.get_context_data(form=form, rate_limited=True)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(suggestions.retry_after())
            return response
        return self.form_valid(form)

    def get_success_url(self):
        return reverse("offers:suggest-thanks")


class SuggestOfferView(SuggestionFormView):
    template_name = "offers/suggest.html"
    form_class = NewOfferSuggestionForm

    def form_valid(self, form):
        suggestions.store(form, self.request, kind=SuggestionKind.NEW_OFFER)
        return super().form_valid(form)


class ReportOfferView(SuggestionFormView):
    template_name = "offers/report.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        # Only what the public can see can be reported; drafts answer 404, even for staff.
        self.offer = get_object_or_404(
            Offer.objects.published().select_related("city"), slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(offer=self.offer, **kwargs)

    def form_valid(self, form):
        suggestions.store(
            form,
            self.request,
            kind=SuggestionKind.REPORT,
            offer=self.offer,
            city=self.offer.city,
        )
        return super().form_valid(form)

    def get_success_url(self):
        return super().get_success_url() + "?" + urlencode({"offer": self.offer.slug})


class SuggestionThanksView(TemplateView):
    template_name = "offers/suggest_thanks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = clean_value(self.request.GET.get("offer", ""), 200)
        context["offer"] = Offer.objects.published().filter(slug=slug).first() if slug else None
        return context
