app_name = "service_quality"
urlpatterns = []
