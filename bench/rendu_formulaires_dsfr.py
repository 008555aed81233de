"""Times the rendering optimisations of decision 0023 against what they replaced, fragment by fragment.

    .venv/bin/python bench/rendu_formulaires_dsfr.py [--iterations 200]

- DSFR forms with the template engine shared per process (ti/core/rendu_dsfr.py) and with an engine of their own,
  django-dsfr 3.6's behaviour (a new engine per form, its templates compiled again);
- the <select> of the 102 départements written in Python (`ListeDeroulante`, ti/territoires/forms.py) and by
  Django's templates (`forms.Select`: one sub-template per option);
- the 183 territories' <option>s of the instruction queue written in an f-string (ti/financements/selectors_file.py)
  and with `format_html_join`.
Each is run `--iterations` times with and as many without, alternating by rounds of 20 so that a busy shared machine
weighs on both alike; the script prints the median CPU time of one render of each. Production settings (DEBUG
off), no database. Not part of the test suite.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

from django import forms  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.html import escape, format_html_join  # noqa: E402
from django.utils.safestring import mark_safe  # noqa: E402
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates  # noqa: E402

from ti.core import rendu_dsfr  # noqa: E402
from ti.financements.forms_dispositifs import MotifForm  # noqa: E402
from ti.projets.forms import NoteForm  # noqa: E402
from ti.territoires.forms import ListeDeroulante  # noqa: E402


class MoteurPropre(DsfrDjangoTemplates):
    """The package's behaviour: one engine per renderer, so per form."""

    engine = rendu_dsfr._moteur_par_instance


class RechercheDeCommune(DsfrBaseForm):
    """A form of the size of the pages' search forms: a text field, a choice, radios, an error."""

    q = forms.CharField(label="Nom de la commune", help_text="Par exemple : Châteauroux.", max_length=100)
    region = forms.ChoiceField(label="Région", choices=[("", "Toutes")] + [(str(n), f"R{n}") for n in range(18)])
    phase = forms.ChoiceField(label="Phase", choices=[("1", "Temps I"), ("2", "Temps II")], widget=forms.RadioSelect)


FORMULAIRES = {
    "recherche (3 champs, erreurs)": lambda: RechercheDeCommune({"q": "", "phase": "3"}),
    "note de fiche-action (1 champ)": lambda: NoteForm(),
    "motif de répartition (1 champ)": lambda: MotifForm(),
}
DEPARTEMENTS = [("", "Tous")] + [(f"{n:02}", f"{n:02} — Département n° {n}") for n in range(1, 102)]
TERRITOIRES = [(f"T{n:03}", f"Territoire d’industrie n° {n} & voisins") for n in range(183)]


def chrono(fonction) -> float:
    debut = time.process_time()
    fonction()
    return time.process_time() - debut


def formulaire(fabrique, propre: bool):
    """A DSFR form rendered with the shared engine, or with an engine of its own (`propre`)."""

    def rendre():
        instance = fabrique()
        if propre:
            instance.renderer = MoteurPropre()
        str(instance)

    return rendre


def liste_deroulante(widget):
    """The départements' <select> of the territories' list (ti/territoires/forms.py), rendered as the page does."""
    renderer = DsfrDjangoTemplates()
    return lambda: widget(choices=DEPARTEMENTS).render("departement", "36", {"id": "id_departement"}, renderer)


def options_f_string():
    """The territories' <option>s of the instruction queue (ti/financements/selectors_file.py), as written today."""
    return mark_safe(
        "".join(
            f'<option value="{escape(identifiant)}"{" selected" if identifiant == "T007" else ""}>{escape(nom)}'
            "</option>"
            for identifiant, nom in TERRITOIRES
        )
    )


def options_format_html():
    """The same <option>s written with format_html_join, as before."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((ident, mark_safe(" selected") if ident == "T007" else "", nom) for ident, nom in TERRITOIRES),
    )


MESURES = [
    *((f"formulaire DSFR : {nom}", formulaire(f, False), formulaire(f, True)) for nom, f in FORMULAIRES.items()),
    ("102 départements : ListeDeroulante / Select", liste_deroulante(ListeDeroulante), liste_deroulante(forms.Select)),
    ("183 territoires : f-string / format_html_join", options_f_string, options_format_html),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    translation.activate("fr")
    assert options_f_string() == options_format_html()
    for nom, avec, sans in MESURES:
        avec(), sans()  # first compilation of the templates, imports
        duree_avec, duree_sans = [], []
        for _ in range(args.iterations // 20):
            duree_avec += [chrono(avec) for _ in range(20)]
            duree_sans += [chrono(sans) for _ in range(20)]
        a, b = statistics.median(duree_avec) * 1000, statistics.median(duree_sans) * 1000
        print(f"{nom:52} avec {a:6.2f} ms   sans {b:6.2f} ms   gain {b - a:5.2f} ms")


if __name__ == "__main__":
    main()
