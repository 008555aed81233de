"""Tags of the page layout (templates/base.html) that spare every request the work whose result never changes.

- `{% une_fois %}…{% fin_une_fois %}` renders its content once per process and language, then serves the stored
  HTML: the DSFR style sheets, icons and scripts (a dozen `{% static %}` look-ups in the manifest), the header's
  brand and the footer. Its content must not depend on the request, the user or the page's context.
- `{% lien "nom" %}` is `{% url "nom" %}` for a route without argument, resolved once per process.

Both forget what they stored when a setting changes (tests that override the URLs or the static storage).
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_generation = 0  # bumped by a change of settings: every stored fragment is stale
_liens: dict[tuple[str, str], str] = {}


@receiver(setting_changed)
def _oublier(**kwargs) -> None:
    global _generation
    _generation += 1
    _liens.clear()


class UneFoisNode(template.Node):
    """Keeps its HTML on itself: with the cached template loader the node lives as long as the process, and a template
    reloaded in development is a new node. Two requests may render it at once: both store the same HTML."""

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.html = {}

    def render(self, context):
        cle = (_generation, get_language(), get_script_prefix())  # the prefix is part of every URL it may hold
        html = self.html.get(cle)
        if html is None:
            if any(ancienne[0] != _generation for ancienne in self.html):
                self.html = {}
            html = self.html[cle] = mark_safe(self.nodelist.render(context))
        return html


@register.tag
def une_fois(parser, token):
    nodelist = parser.parse(("fin_une_fois",))
    parser.delete_first_token()
    return UneFoisNode(nodelist)


@register.simple_tag
def lien(nom: str) -> str:
    cle = (get_script_prefix(), nom)
    url = _liens.get(cle)
    if url is None:
        url = _liens[cle] = reverse(nom)
    return url
