"""The Markdown of the network's messages, turned into HTML that is safe to show (decision 0051).

`markdown` (Python-Markdown) writes the HTML, `nh3` (the Ammonia sanitiser) keeps only an allow-list of tags and
attributes: raw HTML typed in a message (a script, an `onerror`, a `javascript:` link) never reaches the page.
Mentions (« @camille.martin ») are found here too, so that the text and its notices agree."""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

BALISES = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTS = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
SCHEMAS_D_URL = {"http", "https", "mailto"}

# « @camille.martin » (the start of an e-mail address) or « @camille.martin@anct.gouv.fr » (a whole one); not the
# middle of an address written in the text (« ecrire@exemple.fr »): a mention follows a space or starts a line.
MENTION = re.compile(r"(?:(?<=\s)|^)@([a-z0-9][a-z0-9._+-]*[a-z0-9](?:@[a-z0-9-]+(?:\.[a-z0-9-]+)+)?)", re.I | re.M)


def en_html(texte: str) -> SafeString:
    """The message's Markdown as sanitised HTML; headings start at level 3, under the page's own."""
    html = markdown.markdown(texte, extensions=["sane_lists", "nl2br", "tables"], output_format="html")
    html = re.sub(r"<(/?)h([12])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}", html)
    propre = nh3.clean(
        html,
        tags=BALISES,
        attributes=ATTRIBUTS,
        url_schemes=SCHEMAS_D_URL,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(propre)  # sanitised by nh3 just above


def mentions(texte: str) -> set[str]:
    """The handles mentioned in the text, lower-cased, without the « @ »."""
    return {m.lower() for m in MENTION.findall(texte)}
