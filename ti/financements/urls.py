"""Routes of the Fonds vert part, one view module per concern."""

from django.urls import path

from ti.financements.views import (
    aides,
    avis_attendus,
    depot,
    dispositifs,
    documents,
    donnees_ouvertes,
    import_fonds_vert,
    instruction,
    pieces,
    tableau,
)

app_name = "financements"
urlpatterns = [
    # Public aid pages and the eligibility check before sign-up.
    path("aides/", aides.liste, name="aides"),
    path("aides/<slug:code>/", aides.aide, name="aide"),
    path("aides/<slug:code>/eligibilite/", aides.verifier_eligibilite, name="verifier_eligibilite"),
    # Dispositifs and envelopes (national team).
    path("dispositifs/", dispositifs.liste, name="dispositifs"),
    path("dispositifs/<slug:code>/", dispositifs.detail, name="dispositif"),
    path("dispositifs/<slug:code>/enveloppes/", dispositifs.repartir, name="repartir"),
    path("dispositifs/<slug:code>/transfert/", dispositifs.transferer, name="transferer"),
    path("dispositifs/<slug:code>/references/", dispositifs.references_juridiques, name="references_juridiques"),
    path("enveloppes/<int:pk>/signataire/", dispositifs.signataire, name="signataire"),
    # Porteur: eligibility, dossier, filing, follow-up.
    path("mes-dossiers/", depot.mes_dossiers, name="mes_dossiers"),
    path("dispositifs/<slug:code>/eligibilite/", depot.eligibilite, name="eligibilite"),
    path("dossiers/<str:reference>/modifier/", depot.modifier, name="modifier"),
    path("dossiers/<str:reference>/pieces/", pieces.deposer_piece, name="deposer_piece"),
    path("dossiers/<str:reference>/pieces/<int:piece_pk>/", pieces.telecharger_piece, name="piece"),
    path("dossiers/<str:reference>/retirer-piece/<int:piece_pk>/", pieces.retirer_piece, name="retirer_piece"),
    path("dossiers/<str:reference>/confirmer/", depot.confirmer_depot, name="confirmer_depot"),
    path("dossiers/<str:reference>/deposer/", depot.deposer, name="deposer"),
    # Dossier page (every role in scope), thread, instruction steps.
    path("dossiers/<str:reference>/", instruction.dossier, name="dossier"),
    path("dossiers/<str:reference>/messages/", instruction.envoyer_message, name="message"),
    path("dossiers/<str:reference>/etape/", instruction.etape, name="etape"),
    path("dossiers/<str:reference>/avis/<int:avis_pk>/", instruction.rendre_avis, name="rendre_avis"),
    path("dossiers/<str:reference>/avis/<int:avis_pk>/piece/", instruction.piece_avis, name="piece_avis"),
    path("dossiers/<str:reference>/annotations/", instruction.annoter, name="annoter"),
    path("dossiers/<str:reference>/suivi/", instruction.suivre, name="suivre"),
    path("dossiers/<str:reference>/decision.docx", documents.lettre_decision, name="lettre_decision"),
    path("dossiers/<str:reference>/decision.pdf", documents.lettre_decision_pdf, name="lettre_decision_pdf"),
    path("dossiers/<str:reference>/recepisse.pdf", documents.recepisse_depot, name="recepisse"),
    # Instructor workspace.
    path("instruction/", tableau.file, name="file"),
    path("instruction/avis-attendus/", avis_attendus.avis_attendus, name="avis_attendus"),
    path("instruction/enveloppes/<int:pk>/", tableau.enveloppe, name="enveloppe"),
    path("instruction/enveloppes/<int:pk>/programme.<str:format>", tableau.programme, name="programme"),
    # Open data and past awards.
    path("donnees/subventions/", donnees_ouvertes.subventions, name="subventions"),
    path("donnees/fonds-vert/", donnees_ouvertes.fonds_vert, name="fonds_vert"),
    path("donnees/fonds-vert/dossiers/", donnees_ouvertes.dossiers_fonds_vert, name="dossiers_fonds_vert"),
    # The national list of awards, loaded by the national team.
    path("donnees/fonds-vert/imports/", import_fonds_vert.deposer, name="import_fonds_vert_depot"),
    path("donnees/fonds-vert/imports/<int:pk>/", import_fonds_vert.detail, name="import_fonds_vert"),
    path(
        "donnees/fonds-vert/imports/<int:pk>/confirmer/",
        import_fonds_vert.confirmer,
        name="import_fonds_vert_confirmer",
    ),
    path(
        "donnees/fonds-vert/imports/<int:pk>/progression/",
        import_fonds_vert.progression,
        name="import_fonds_vert_progression",
    ),
]
