import pytest
from django.core.exceptions import ValidationError

from ti.core.texte import cle_recherche
from ti.core.validateurs import valider_siren, valider_siret


@pytest.mark.parametrize(
    "siret", ["73282932000074", "356 000 000 00048", "35600000000010", "732\u00a0829\u202f320 00074"]
)
def test_siret_valides(siret):
    assert valider_siret(siret) == "".join(c for c in siret if c.isdigit())


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("73282932000075", "La clé de contrôle de ce SIRET est fausse."),
        ("7328293200007", "Le SIRET doit compter 14 chiffres."),
        ("7328293200007A", "Le SIRET doit compter 14 chiffres."),
        ("", "Le SIRET doit compter 14 chiffres."),
    ],
)
def test_siret_invalides_avec_un_message_clair(siret, message):
    with pytest.raises(ValidationError) as erreur:
        valider_siret(siret)
    assert erreur.value.messages == [message]


# Digits that `str.isdigit()` accepts but a SIRET never holds: superscript, Arabic-Indic, full-width.
NON_ASCII = {
    "exposant": ("7328293200007²", "²"),
    "arabe": ("٧٣٢٨٢٩٣٢٠٠٠٠٧٤", "٠ ٢ ٣ ٤ ٧ ٨ ٩"),
    "pleine chasse": ("７３２８２９３２０００００７４", "０ ２ ３ ４ ７ ８ ９"),
}


@pytest.mark.parametrize(("siret", "caracteres"), NON_ASCII.values(), ids=NON_ASCII.keys())
def test_siret_en_chiffres_non_ascii_refuse_avec_un_message_clair(siret, caracteres):
    with pytest.raises(ValidationError) as erreur:
        valider_siret(siret)
    assert erreur.value.messages == [f"Le SIRET s’écrit avec les chiffres de 0 à 9 : « {caracteres} » n’en est pas un."]
    with pytest.raises(ValidationError):
        valider_siren(siret[-9:])


def test_siren():
    assert valider_siren("732829320") == "732829320"
    with pytest.raises(ValidationError):
        valider_siren("732829321")


def test_cle_de_recherche_sans_accents_ni_casse():
    assert cle_recherche("Saint-Étienne-du-Rouvray") == "saint etienne du rouvray"
    assert cle_recherche("L’Haÿ-les-Roses") == "l hay les roses"
