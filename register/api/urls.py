from django.urls import path

from register.api.views import RelationsView

urlpatterns = [
    path(
        "parties/<str:id>/relations/<str:other>/", RelationsView.as_view(), name="party-relations"
    ),
]
