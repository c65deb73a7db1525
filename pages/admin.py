from django.contrib import admin

from editorial import history
from editorial.content_admin import TranslatedContentAdmin

from .models import Page

history.register(Page)


@admin.register(Page)
class PageAdmin(TranslatedContentAdmin):
    list_display = ["title", "parent", "position", "publication_status", "show_in_footer"]
    list_editable = ["position"]
    list_filter = ["publication_status", "show_in_footer"]
    list_select_related = ["parent"]
    search_fields = ["title_de", "title_en", "slug"]
    prepopulated_fields = {"slug": ("title_de",)}
    autocomplete_fields = ["parent"]
    readonly_fields = ["created", "updated"]
    fields = [
        "title",
        "slug",
        "summary",
        "body",
        "parent",
        "position",
        "show_in_footer",
        "publication_status",
        "created",
        "updated",
    ]
