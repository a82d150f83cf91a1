"""Coach mode's pages (added to the top-level urlpatterns, so the persona tests see every name)."""

from django.urls import path

from sijcoach.web.coaching import message_views, template_views, views

urlpatterns = [
    path("coach/", views.clients, name="coach_clients"),
    path("coach/invite/", views.invite, name="coach_invite"),
    path("coach/clients/<int:client_id>/", views.client, name="coach_client"),
    path("coach/clients/<int:client_id>/change/", views.change, name="coach_change"),
    path("coach/clients/<int:client_id>/templates/", template_views.client_templates, name="coach_client_templates"),
    path("coach/templates/", template_views.template_list, name="coach_templates"),
    path("coach/templates/<int:template_id>/", template_views.template, name="coach_template"),
    path("coach/clients/<int:client_id>/messages/", message_views.coach_message, name="coach_message"),
    path("coach/clients/<int:client_id>/seen/", views.flag_seen, name="coach_flag_seen"),
    path("coach/clients/<int:client_id>/end/", views.end_link, name="coach_end_link"),
    path("coach/clients/<int:client_id>/review.pdf", views.review_pdf, name="coach_review_pdf"),
    path("coach/clients/<int:client_id>/health-record.json", views.client_record, name="coach_client_record"),
    path("my-coach/", views.my_coach, name="my_coach"),
    path("my-coach/messages/", message_views.my_messages, name="my_messages"),
    path("my-coach/join/<str:code>/", views.join, name="join_coach"),
]
