from django.urls import path

from jospar.lib.views import page
from jospar.reminders import views

app_name = "reminders"
B = "<int64:body_id>/"
U = B + "operational-plans/<int64:plan_id>/quarters/<int64:quarter>/units/<int64:unit_id>/"
urlpatterns = [
    page(B + "reminders/", views.schedule),
    path(U + "remind/", views.unit_remind, name="unit_remind"),
]
