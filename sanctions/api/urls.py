from django.urls import path
from rest_framework.routers import SimpleRouter

from sanctions.api.views import DesignationViewSet, RegimeViewSet, RelationsView

router = SimpleRouter()
router.register("regimes", RegimeViewSet, basename="regime")
router.register("designations", DesignationViewSet, basename="designation")

urlpatterns = [
    path(
        "parties/<str:id>/relations/<str:other>/", RelationsView.as_view(), name="party-relations"
    ),
    *router.urls,
]
