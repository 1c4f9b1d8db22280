from rest_framework.routers import SimpleRouter

from sanctions.api.views import DesignationViewSet, RegimeViewSet

router = SimpleRouter()
router.register("regimes", RegimeViewSet, basename="regime")
router.register("designations", DesignationViewSet, basename="designation")

urlpatterns = router.urls
