from jospar.documents import export_views, import_views, job_views

app_name = "documents"
P = "<int64:body_id>/operational-plans/<int64:plan_id>/"
urlpatterns = [
    *export_views.urlpatterns(P),
    *job_views.urlpatterns("<int64:body_id>/"),
    *import_views.urlpatterns(),
]
