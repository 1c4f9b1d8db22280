from django.urls import path
from rest_framework.routers import SimpleRouter

from sanctions.api.views import DesignationViewSet, MatchView, RegimeViewSet

router = SimpleRouter()
router.register("regimes", RegimeViewSet, basename="regime")
router.register("designations", DesignationViewSet, basename="designation")

urlpatterns = [*router.urls, path("match/", MatchView.as_view(), name="match")]
