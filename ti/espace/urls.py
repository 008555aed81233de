from django.urls import path

from ti.espace import views

app_name = "espace"
urlpatterns = [
    path("", views.a_faire, name="a_faire"),
    path("<slug:code>/", views.genre, name="genre"),
]
