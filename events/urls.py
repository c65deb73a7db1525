from django.urls import path

from . import views
from .feeds import EventFeed

app_name = "events"
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("past/", views.PastEventListView.as_view(), name="past"),
    # Before the event patterns: "feed" and "past" are reserved, no event may have them.
    path("feed.ics", views.feed, name="feed"),
    path("feed.atom", EventFeed(), name="atom"),
    path("<slug:slug>.ics", views.EventCalendarView.as_view(), name="ics"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
]
