from django.conf import settings


def plateforme(request):
    """What the DSFR layout needs on every page, without a database query."""
    return {"PROCONNECT_ENABLED": settings.PROCONNECT_ENABLED}
