from django.urls import path

from sijcoach.web.sharing import views

urlpatterns = [
    path("share/", views.share, name="share"),
    path("share/handout.pdf", views.handout, name="handout"),
    path("share/calendar.ics", views.calendar_download, name="calendar_download"),
    path("share/calendar/new/", views.new_feed, name="new_feed"),
    path("share/calendar/stop/", views.stop_feeds, name="stop_feeds"),
    path("share/fhir.json", views.fhir, name="fhir"),
    path("calendar/<str:key>.ics", views.calendar_feed, name="calendar_feed"),
]
