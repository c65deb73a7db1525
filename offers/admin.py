from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from editorial import history
from editorial.content_admin import ScopedAdminMixin
from editorial.spreadsheets_admin import SpreadsheetContentAdmin
from vocabularies.models import MigrationBackground

from . import suggestions
from .admin_forms import SAME_NAME_CONFIRMATION, OfferAdminForm
from .models import Offer, Suggestion, SuggestionKind, SuggestionStatus
from .resources import OfferResource

history.register(Offer)


@admin.register(Offer)
class OfferAdmin(SpreadsheetContentAdmin):
    scope_city_lookup = "city"
    scope_provider_lookup = "provider"
    form = OfferAdminForm
    resource_classes = [OfferResource]
    list_display = [
        "name",
        "provider",
        "city",
        "publication_status",
        "valid_until",
        "last_reviewed",
        "updated",
    ]
    list_filter = [
        "publication_status",
        "city__district",
        "city",
        "categories",
        "migration_background",
        "last_reviewed",
    ]
    list_select_related = ["provider", "city"]
    search_fields = [
        "name_de",
        "name_en",
        "slug",
        "provider__name",
        "venue__name",
        "venue__quarter",
        "contact_name",
    ]
    prepopulated_fields = {"slug": ("name_de",)}
    autocomplete_fields = ["provider", "city", "venue"]
    readonly_fields = ["created", "updated"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["name", "slug", "short_description", "description", "categories"]}),
        (_("Provider and place"), {"fields": ["provider", "city", "venue"]}),
        (
            _("Target group"),
            {"fields": ["languages", "genders", "migration_background", "age_groups"]},
        ),
        (
            _("Taking part"),
            {
                "fields": [
                    "schedule",
                    "is_free",
                    "costs",
                    "registration_required",
                    "wheelchair_access",
                ]
            },
        ),
        (
            _("Contact"),
            {"fields": ["contact_name", "contact_phone", "contact_email", "homepage"]},
        ),
        (
            _("Publication"),
            {
                "fields": [
                    "publication_status",
                    "valid_from",
                    "valid_until",
                    "last_reviewed",
                    "created",
                    "updated",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.method == "POST":
            # The "same name" confirmation appears only once the form was sent and the name
            # turned out to be taken by another offer of the provider (see OfferAdminForm).
            first_name, first_options = fieldsets[0]
            first_options = {
                **first_options,
                "fields": [*first_options["fields"], SAME_NAME_CONFIRMATION],
            }
            fieldsets = [(first_name, first_options), *fieldsets[1:]]
        return fieldsets

    # --- An offer made from a suggestion --------------------------------------------------
    # The "add offer" form opened from a suggestion (``?suggestion=<pk>``, see
    # SuggestionAdmin.accept_new_offer) starts filled in from it, and saving it accepts the
    # suggestion. Only the number travels in the address: the texts may be long.

    def suggestion_to_accept(self, request):
        pk = request.GET.get("suggestion", "")
        if not pk.isdigit():
            return None
        queue = self.admin_site.get_model_admin(Suggestion).get_queryset(request)
        return queue.open().filter(pk=pk, kind=SuggestionKind.NEW_OFFER).first()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        suggestion = self.suggestion_to_accept(request)
        if suggestion is not None:
            initial.update(suggestions.offer_form_initial(suggestion))
        # Most offers are open to everybody; start new ones from that instead of a blank.
        open_to_all = MigrationBackground.objects.filter(slug="open-to-all").first()
        if open_to_all:
            initial.setdefault("migration_background", open_to_all.pk)
        return initial

    def after_save(self, request, obj, change):
        suggestion = None if change else self.suggestion_to_accept(request)
        if suggestion is not None:
            suggestion.handle(SuggestionStatus.ACCEPTED, request.user, offer=obj)


SUBMITTED_FIELDS = [
    "kind",
    "language",
    "created",
    "offer",
    "reason",
    "name",
    "provider_name",
    "city",
    "description",
    "where_when",
    "languages",
    "contact",
    "homepage",
    "message",
    "email",
]


@admin.register(Suggestion)
class SuggestionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The moderation queue. Everything the public sent is read-only; "Accept" and "Reject"
    handle a suggestion (README, "Suggestions from the public"). City editors see the
    suggestions for their cities and their cities' offers, provider accounts the reports
    on their offers."""

    scope_city_lookup = "city"
    scope_provider_lookup = None

    def scope_q(self, scope):
        return scope.q("city", None) | scope.q("offer__city", "offer__provider")

    list_display = ["__str__", "status", "kind", "reason", "city", "created", "handled_by"]
    list_filter = ["status", "kind", "reason", "city__district", "city"]
    list_select_related = ["offer", "city", "handled_by"]
    search_fields = ["name", "provider_name", "offer__name", "message", "description"]
    date_hierarchy = "created"
    readonly_fields = [*SUBMITTED_FIELDS, "status", "handled_by", "handled_at"]
    fieldsets = [
        (_("Submitted"), {"fields": SUBMITTED_FIELDS}),
        (_("Handling"), {"fields": ["status", "handled_by", "handled_at"]}),
    ]
    actions = ["reject_selected"]

    def has_add_permission(self, request):
        return False  # suggestions only come from the public forms

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/accept/",
                view(require_POST(self.accept_view)),
                name="offers_suggestion_accept",
            ),
            path(
                "<path:object_id>/reject/",
                view(require_POST(self.reject_view)),
                name="offers_suggestion_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing to save here: the form is only the frame for "Accept" and "Reject".
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def open_suggestion_for(self, request, object_id):
        """The suggestion, if this user may handle it and it is still open."""
        suggestion = self.get_object(request, object_id)
        if suggestion is None:
            raise Http404
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        return suggestion

    def redirect_to(self, suggestion):
        return HttpResponseRedirect(reverse("admin:offers_suggestion_change", args=[suggestion.pk]))

    def accept_view(self, request, object_id):
        suggestion = self.open_suggestion_for(request, object_id)
        # Locked, so that a double click or two editors at once make one draft, not two.
        with transaction.atomic():
            suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
            if not suggestion.is_open:
                messages.warning(request, gettext("This suggestion has already been handled."))
                return self.redirect_to(suggestion)
            if suggestion.kind == SuggestionKind.REPORT:
                return self.accept_report(request, suggestion)
            return self.accept_new_offer(request, suggestion)

    def accept_report(self, request, suggestion):
        """The editor corrects the offer in its own form; nothing is changed automatically,
        not even a report that the offer has ended (the editor checks and archives it)."""
        offer = suggestion.offer
        offer_admin = self.admin_site.get_model_admin(Offer)
        if offer is None:
            messages.error(request, gettext("The reported offer no longer exists."))
            return self.redirect_to(suggestion)
        if not offer_admin.has_change_permission(request, offer):
            raise PermissionDenied
        suggestion.handle(SuggestionStatus.ACCEPTED, request.user)
        self.log_change(request, suggestion, gettext("Accepted"))
        messages.warning(
            request,
            gettext(
                "Report accepted. Reason: %(reason)s. Message: “%(message)s”. Please correct "
                "the offer here, or archive it if it no longer exists."
            )
            % {"reason": suggestion.get_reason_display(), "message": suggestion.message},
        )
        return HttpResponseRedirect(reverse("admin:offers_offer_change", args=[offer.pk]))

    def accept_new_offer(self, request, suggestion):
        """A draft offer when the provider is known; otherwise the "add offer" form, filled
        in, so that the editor chooses the provider (saving it accepts the suggestion)."""
        if not self.admin_site.get_model_admin(Offer).has_add_permission(request):
            raise PermissionDenied
        with history.record_change(request.user, gettext("Draft made from a suggestion.")):
            offer = suggestions.draft_offer_from(suggestion)
        if offer is None:
            if suggestions.matching_provider(suggestion) is None:
                note = gettext(
                    "No provider is called “%(provider)s”. Choose or add the provider, "
                    "check the texts and save: saving accepts the suggestion."
                ) % {"provider": suggestion.provider_name}
            else:
                note = gettext("Complete the form and save: saving accepts the suggestion.")
            messages.info(request, note)
            add_url = reverse("admin:offers_offer_add")
            return HttpResponseRedirect(f"{add_url}?{urlencode({'suggestion': suggestion.pk})}")
        suggestion.handle(SuggestionStatus.ACCEPTED, request.user, offer=offer)
        self.log_change(request, suggestion, gettext("Accepted"))
        messages.success(
            request,
            gettext(
                "A draft offer was made from the suggestion. Add categories, languages and "
                "target groups, check the texts, then publish it. Languages named by the "
                "sender: “%(languages)s”."
            )
            % {"languages": suggestion.languages},
        )
        return HttpResponseRedirect(reverse("admin:offers_offer_change", args=[offer.pk]))

    def reject_view(self, request, object_id):
        suggestion = self.open_suggestion_for(request, object_id)
        if suggestion.is_open:
            suggestion.handle(SuggestionStatus.REJECTED, request.user)
            self.log_change(request, suggestion, gettext("Rejected"))
            messages.success(request, gettext("The suggestion was rejected."))
        return HttpResponseRedirect(reverse("admin:offers_suggestion_changelist"))

    @admin.action(description=_("Reject selected suggestions"), permissions=["change"])
    def reject_selected(self, request, queryset):
        count = 0
        for suggestion in queryset.open():
            suggestion.handle(SuggestionStatus.REJECTED, request.user)
            self.log_change(request, suggestion, gettext("Rejected"))
            count += 1
        messages.success(request, gettext("Suggestions rejected: %(count)d") % {"count": count})
