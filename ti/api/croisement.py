"""« Croiser un fichier avec les Territoires d’industrie » in the API: the same tool as the public page, in one call.

The file goes to the same temporary storage as the page's (`ti.croisement.depot`), is checked whole, and comes back
streamed (CSV) or written then sent (XLSX); the stored copy is removed once the answer is sent.
"""

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile

from ti.api.erreurs import ParametreInvalide
from ti.api.schemas import ErreurRequete
from ti.core.formats import nombre as _n
from ti.core.tableaux import TableauIllisible
from ti.core.tableaux_flux import LIGNES_MAX, LIGNES_MAX_XLSX, TAILLE_MAX
from ti.croisement import depot, service
from ti.croisement.placement import COLONNES_AJOUTEES

router = Router(tags=["Croisement"])

_BINAIRE = {"schema": {"type": "string", "format": "binary"}}
DESCRIPTION = f"""Le fichier envoyé (CSV ou XLSX, {TAILLE_MAX // 1024 // 1024} Mo au plus ; {_n(LIGNES_MAX)} lignes
en CSV, {_n(LIGNES_MAX_XLSX)} en XLSX),
rendu dans le même format, chaque ligne à sa place, avec ces colonnes ajoutées à droite :
{", ".join(f"`{colonne}`" for colonne in COLONNES_AJOUTEES)}.

La commune est désignée soit par `colonne_code` (code INSEE ; `1053` ou `1053.0` sont lus 01053 et signalés ;
ancien code d'une commune fusionnée, commune déléguée ou associée et arrondissement municipal mènent à la commune
actuelle), soit par `colonne_nom` et `colonne_departement` (code ou nom du département). Les noms de colonnes sont
ceux de la première ligne du fichier (casse ignorée).

Une ligne qui ne peut pas être placée est gardée : `ti_statut` vaut « non placée » et `ti_remarque` dit pourquoi.
CSV : UTF-8, UTF-8 avec BOM ou Windows-1252 ; séparateur `;`, `,` ou tabulation ; le résultat est en UTF-8 avec BOM,
avec le séparateur du fichier. Un fichier illisible, trop gros ou une colonne absente : erreur 400 en français.
"""


@router.post(
    "/croisement",
    response={400: ErreurRequete},
    url_name="croisement",
    operation_id="croiser_un_fichier",
    summary="Croiser un fichier avec les Territoires d’industrie",
    description=DESCRIPTION,
    openapi_extra={
        "responses": {
            200: {
                "description": "Le fichier croisé, en pièce jointe, au format du fichier envoyé.",
                "content": {"text/csv": _BINAIRE, service.TYPE_XLSX: _BINAIRE},
            }
        }
    },
)
def croiser(
    request: HttpRequest,
    fichier: File[UploadedFile],
    colonne_code: Form[str] = "",
    colonne_nom: Form[str] = "",
    colonne_departement: Form[str] = "",
):
    try:
        jeton, chemin, examen = service.recevoir(fichier)
    except TableauIllisible as refus:
        raise ParametreInvalide("fichier", service.phrase(refus)) from refus
    try:
        choix = service.choix_des_colonnes(examen, code=colonne_code, nom=colonne_nom, departement=colonne_departement)
        return service.reponse(jeton, chemin, examen, fichier.name or "fichier", choix)
    except TableauIllisible as refus:
        depot.retirer(jeton)
        parametre = "colonne_code" if colonne_code else "colonne_nom" if colonne_nom else "fichier"
        raise ParametreInvalide(parametre, service.phrase(refus)) from refus
