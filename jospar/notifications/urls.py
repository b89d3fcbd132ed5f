from django.urls import path

from jospar.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int64:notification_id>/", views.notification_open, name="open"),
    path("<int64:notification_id>/read/", views.notification_mark_read, name="read"),
    path("read-all/", views.notifications_mark_all_read, name="read_all"),
    path("count/", views.unread_count_fragment, name="count"),
]
