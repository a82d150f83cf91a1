from django.urls import path

from sijcoach.web.learn import views

urlpatterns = [
    path("learn/", views.learn, name="learn"),
    path("learn/pictures/<slug:name>.<slug:digest>.svg", views.picture, name="learn_picture"),
    path("learn/<slug:lesson>/", views.lesson, name="learn_lesson"),
    path("learn/<slug:lesson>/read/", views.mark_read, name="learn_read"),
]
