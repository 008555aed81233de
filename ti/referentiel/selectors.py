"""Lookups in the référentiel: INSEE codes to communes actuelles, and the commune search."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Lookup, Q, Value, When

from ti.core.texte import cle_recherche

from .models import Commune, CommuneRattachee


@dataclass(frozen=True)
class Resolution:
    """What an INSEE code stands for today. `commune` is None when the référentiel does not know the code;
    `via_chef_lieu` is True when the code is a commune déléguée, associée or an arrondissement municipal."""

    code: str
    commune: Commune | None
    via_chef_lieu: bool = False

    @property
    def inconnue(self) -> bool:
        return self.commune is None


class _DansListe(Lookup):
    """`code__dans_liste=[...]`: one query parameter whatever the list's length (a JSON text on SQLite, an array on
    PostgreSQL), so that resolving 35 000 codes is one query, below every backend's limit on parameters."""

    lookup_name = "dans_liste"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        gauche, parametres = self.process_lhs(compiler, connection)
        valeurs = [str(valeur) for valeur in self.rhs]
        if connection.vendor == "postgresql":
            return f"{gauche} = ANY(%s::text[])", [*parametres, valeurs]
        if connection.vendor == "sqlite":
            return f"{gauche} IN (SELECT value FROM json_each(%s))", [*parametres, json.dumps(valeurs)]
        marques = ", ".join(["%s"] * len(valeurs)) or "NULL"
        return f"{gauche} IN ({marques})", [*parametres, *valeurs]


# Registered on these two fields only, not on every CharField of the project.
Commune._meta.get_field("code").register_lookup(_DansListe)
CommuneRattachee._meta.get_field("code").register_lookup(_DansListe)


def resoudre_communes(codes: Iterable[str]) -> dict[str, Resolution]:
    """Every code given → its `Resolution`, in two queries whatever the number of codes.

    A commune actuelle resolves to itself; a commune déléguée, associée or an arrondissement municipal to its
    chef-lieu (`via_chef_lieu=True`); an unknown code to `Resolution(code, None, False)`. So the result always has one
    entry per distinct code given, keyed as given (surrounding spaces are ignored for the lookup only).
    """
    codes = set(codes)
    if not codes:
        return {}
    cherches = {code.strip() for code in codes}
    communes = {commune.code: commune for commune in Commune.objects.filter(code__dans_liste=cherches)}
    # A déléguée that shares its code with its own chef-lieu (01015) changes nothing. One whose chef-lieu is another
    # commune wins over a commune actuelle of the same code: that commune can only be a row kept after a merger
    # because something still references it (see docs/decisions/0002-referentiel-cog.md).
    rattachees = (
        CommuneRattachee.objects.filter(code__dans_liste=cherches)
        .exclude(chef_lieu_id=F("code"))
        .select_related("chef_lieu")
        .order_by("code", "type")
    )
    chefs_lieux = {}
    for rattachee in rattachees:
        chefs_lieux.setdefault(rattachee.code, rattachee.chef_lieu)
    resolutions = {}
    for code in codes:
        cherche = code.strip()
        if cherche in chefs_lieux:
            resolutions[code] = Resolution(code, chefs_lieux[cherche], via_chef_lieu=True)
        else:
            resolutions[code] = Resolution(code, communes.get(cherche), via_chef_lieu=False)
    return resolutions


# The start of an INSEE code (2A/2B for Corsica) or a postal code, in ASCII digits.
_CODE = re.compile(r"^(\d[\dab]\d{0,3}|\d)$", re.ASCII)


def rechercher_communes(texte: str, limite: int = 20) -> list[Commune]:
    """Communes actuelles matching `texte`, in one query, with their département.

    By name, accent- and case-insensitively: exact name first, then names that start with the text, then names that
    contain it; the most populated first within each group. By code when the text looks like one: INSEE codes and
    postal codes that start with it, the exact INSEE code first.
    """
    texte = (texte or "").strip().lower()
    if _CODE.match(texte):
        code_postal = Q(codes_postaux__startswith=texte) | Q(codes_postaux__contains=f" {texte}")
        communes = Commune.objects.filter(Q(code__istartswith=texte) | code_postal).annotate(
            rang=Case(When(code__iexact=texte, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
    else:
        cle = cle_recherche(texte)
        if not cle:
            return []
        communes = Commune.objects.filter(nom_recherche__contains=cle).annotate(
            rang=Case(
                When(nom_recherche=cle, then=Value(0)),
                When(nom_recherche__startswith=cle, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    return list(communes.select_related("departement").order_by("rang", "-population", "nom", "code")[:limite])
