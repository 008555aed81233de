from django.contrib.admin.apps import AdminConfig


class AdministrationConfig(AdminConfig):
    """Django's admin app, whose `admin.site` is the OTP-guarded site of ti/comptes/admin_site.py."""

    default_site = "ti.comptes.admin_site.AdministrationTechnique"
