from django.urls import path

from . import views

app_name = "edition_migration"
urlpatterns = [
    path("", views.index, name="index"),
]
