from django.urls import path

from register.api.list_versions import ListChangesView
from register.api.views import RelationsView

urlpatterns = [
    path(
        "parties/<str:id>/relations/<str:other>/", RelationsView.as_view(), name="party-relations"
    ),
    path("sources/<str:id>/changes/", ListChangesView.as_view(), name="source-changes"),
]
