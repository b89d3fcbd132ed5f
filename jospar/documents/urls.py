from jospar.documents import export_views, import_views

app_name = "documents"
P = "<int:body_id>/operational-plans/<int:plan_id>/"
urlpatterns = [
    *export_views.urlpatterns(P),
    *import_views.urlpatterns(),
]
