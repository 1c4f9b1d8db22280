from rest_framework.routers import SimpleRouter

from treaties.api.views import PartyViewSet, TreatyViewSet

router = SimpleRouter()
router.register("parties", PartyViewSet, basename="party")
router.register("treaties", TreatyViewSet, basename="treaty")

urlpatterns = router.urls
