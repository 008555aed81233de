"""The figures kept from a Lighthouse report (bench/lighthouse.py), without running Lighthouse."""

from bench import lighthouse

RAPPORT = {
    "finalDisplayedUrl": "http://127.0.0.1:8099/",
    "categories": {"performance": {"score": 0.97}},
    "audits": {
        "largest-contentful-paint": {"numericValue": 1850.4},
        "first-contentful-paint": {"numericValue": 900.0},
        "total-byte-weight": {"numericValue": 144470},
        "network-requests": {
            "details": {
                "items": [
                    {"url": "http://127.0.0.1:8099/", "resourceType": "Document", "transferSize": 9000},
                    {"url": "http://x/dsfr.min.css", "resourceType": "Stylesheet", "transferSize": 61000},
                    {"url": "http://x/dsfr.module.min.js", "resourceType": "Script", "transferSize": 25000},
                    {"url": "http://x/marianne.woff2", "resourceType": "Font", "transferSize": 30000},
                ]
            }
        },
    },
}


def test_lcp_score_octets_et_seulement_feuilles_de_style_et_scripts():
    resume = lighthouse.resume(RAPPORT)
    assert (resume["score"], resume["lcp_ms"], resume["octets_transferes"]) == (97, 1850.4, 144470)
    assert [r["url"] for r in resume["ressources"]] == ["http://x/dsfr.min.css", "http://x/dsfr.module.min.js"]


def test_sans_lighthouse_installe_le_banc_le_dit(monkeypatch, tmp_path):
    monkeypatch.setattr(lighthouse, "LIGHTHOUSE", tmp_path / "absent")
    assert lighthouse.mesurer_pages("http://127.0.0.1:8099", ["/"]) == {
        "absent": "Lighthouse non installé (make bench-lighthouse-installer)",
        "pages": [],
    }
