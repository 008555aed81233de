from django import template

from ti.animation.texte_riche import en_html

register = template.Library()


@register.filter
def markdown(texte: str):
    """A message's Markdown, as sanitised HTML."""
    return en_html(texte or "")
