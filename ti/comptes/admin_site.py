"""The technical administration (/admin/): django-otp's OTPAdminSite, whose pages need a session verified by the
second factor. Login goes through the platform's own pages (password or ProConnect, then the code), never through
a second login form."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class AdministrationTechnique(OTPAdminSite):
    site_header = "Territoires d’industrie — administration technique"
    site_title = "Administration technique"

    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("comptes:connexion"))
