"""The client's address, read through the reverse proxies the settings trust, and only through them.

Behind a proxy every request comes from the proxy's address; the client's own is in `X-Forwarded-For`, which each
proxy extends with the address it received the request from. Anyone can send that header, so it is read only when
the request comes from a trusted proxy (`PROXYS_DE_CONFIANCE`), from the right: the first address that is not a
trusted proxy is the client's. What the client wrote on the left of it is never believed.
"""

import ipaddress

from django.conf import settings


def reseaux_de_confiance() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The trusted proxies (checked when the settings load, see config/settings.py)."""
    return [ipaddress.ip_network(reseau, strict=False) for reseau in settings.PROXYS_DE_CONFIANCE]


def _adresse(texte: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(texte.strip())
    except ValueError:
        return None


def adresse_client(request) -> str:
    """The client's IP address (django-axes reads it through AXES_CLIENT_IP_CALLABLE)."""
    distante = request.META.get("REMOTE_ADDR", "")
    reseaux = reseaux_de_confiance()

    def de_confiance(adresse) -> bool:
        return any(adresse in reseau for reseau in reseaux)

    adresse = _adresse(distante)
    if adresse is None or not de_confiance(adresse):
        return distante
    for maillon in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        adresse = _adresse(maillon)
        if adresse is None:
            break  # a trusted proxy writes addresses only: the rest of the header is not to be read
        if not de_confiance(adresse):
            return str(adresse)
    return distante
