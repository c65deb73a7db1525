from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from editorial import history
from editorial.content_admin import TranslatedContentAdmin

from .models import AgeGroup, Category, Gender, MigrationBackground, OfferLanguage, TargetGroup

for model in (Category, OfferLanguage, Gender, MigrationBackground, AgeGroup, TargetGroup):
    history.register(model)


class VocabularyAdmin(TranslatedContentAdmin):
    list_display = ["label", "slug", "position", "usage_count"]
    list_editable = ["position"]
    search_fields = ["label_de", "label_en", "slug"]
    prepopulated_fields = {"slug": ("label_de",)}
    # The related name whose entries are counted in the list ("offers" or "events").
    usage_relation = "offers"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(usage=Count(self.usage_relation))

    @admin.display(description=_("number of uses"), ordering="usage")
    def usage_count(self, obj):
        return obj.usage


for model in (OfferLanguage, Gender, MigrationBackground):
    admin.site.register(model, VocabularyAdmin)


@admin.register(Category)
class CategoryAdmin(VocabularyAdmin):
    list_display = ["label", "slug", "icon", "position", "usage_count"]


@admin.register(AgeGroup)
class AgeGroupAdmin(VocabularyAdmin):
    list_display = ["label", "slug", "min_age", "max_age", "position", "usage_count"]


@admin.register(TargetGroup)
class TargetGroupAdmin(VocabularyAdmin):
    usage_relation = "events"
