from django.urls import path

from jospar.lib.views import page
from jospar.reminders import views

app_name = "reminders"
B = "<int:body_id>/"
U = B + "operational-plans/<int:plan_id>/quarters/<int:quarter>/units/<int:unit_id>/"
urlpatterns = [
    page(B + "reminders/", views.schedule),
    path(U + "remind/", views.unit_remind, name="unit_remind"),
]
