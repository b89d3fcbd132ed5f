from jospar.documents import export_views, import_views, job_views

app_name = "documents"
P = "<int:body_id>/operational-plans/<int:plan_id>/"
urlpatterns = [
    *export_views.urlpatterns(P),
    *job_views.urlpatterns("<int:body_id>/"),
    *import_views.urlpatterns(),
]
