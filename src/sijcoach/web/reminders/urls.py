from django.urls import path

from sijcoach.web.reminders import views

urlpatterns = [
    path("reminders/stop/<str:token>/", views.unsubscribe, name="reminders_unsubscribe"),
]
