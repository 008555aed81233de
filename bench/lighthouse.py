"""What a visitor downloads (issue 16, objective 4): Lighthouse on the running bench server, mobile, simulated 4G.

    make bench-lighthouse-installer          # once: npm ci in bench/lighthouse (Lighthouse pinned, lock file)
    .venv/bin/python bench/lighthouse.py --base http://127.0.0.1:8099 / /territoires/<identifiant>/

`make bench` calls it on the home page and a territory page while its gunicorn is up, when Lighthouse is installed.
Chromium is Debian's (`CHROME_PATH`, default /usr/bin/chromium), headless, without sandbox (root in a container).
Lighthouse's defaults are the mobile preset (Moto G Power screen) and simulated throttling (slow 4G: 150 ms RTT,
1.6 Mbit/s, CPU ×4): its figures are computed from a load on the local loop, not measured through a slowed link.
Kept per page: LCP, performance score, total transferred bytes and each stylesheet and script with its size.
"""

import argparse
import json
import os
import shutil
import subprocess
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
LIGHTHOUSE = RACINE / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"


def chromium() -> str | None:
    chemin = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return chemin if Path(chemin).exists() else None


def absent() -> str | None:
    """Why Lighthouse cannot run here, or None."""
    if not LIGHTHOUSE.exists():
        return "Lighthouse non installé (make bench-lighthouse-installer)"
    if not shutil.which("node"):
        return "node introuvable"
    if chromium() is None:
        return "Chromium introuvable (CHROME_PATH)"
    return None


def resume(rapport: dict) -> dict:
    """The figures kept from one Lighthouse JSON report."""
    audits = rapport["audits"]
    requetes = audits.get("network-requests", {}).get("details", {}).get("items", [])
    return {
        "url": rapport.get("finalDisplayedUrl") or rapport.get("finalUrl") or rapport.get("requestedUrl"),
        "score": round(rapport["categories"]["performance"]["score"] * 100)
        if rapport["categories"]["performance"].get("score") is not None
        else None,
        "lcp_ms": audits.get("largest-contentful-paint", {}).get("numericValue"),
        "fcp_ms": audits.get("first-contentful-paint", {}).get("numericValue"),
        "octets_transferes": audits.get("total-byte-weight", {}).get("numericValue"),
        "ressources": [
            {"url": r["url"], "type": r.get("resourceType"), "octets": r.get("transferSize")}
            for r in requetes
            if r.get("resourceType") in ("Stylesheet", "Script")
        ],
    }


def mesurer(url: str) -> dict:
    commande = [
        str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet", "--only-categories=performance",
        "--form-factor=mobile", "--throttling-method=simulate", "--chrome-flags=--headless=new --no-sandbox",
    ]  # fmt: skip
    sortie = subprocess.run(
        commande, env=os.environ | {"CHROME_PATH": chromium() or ""}, capture_output=True, text=True, timeout=300
    )
    if sortie.returncode != 0 or not sortie.stdout.strip():
        return {"url": url, "erreur": (sortie.stderr or sortie.stdout)[-500:]}
    page = resume(json.loads(sortie.stdout))
    page["url"] = url
    return page


def mesurer_pages(base: str, chemins: list[str]) -> dict:
    raison = absent()
    if raison:
        return {"absent": raison, "pages": []}
    return {"outil": "lighthouse (mobile, 4G simulée)", "pages": [mesurer(base + chemin) for chemin in chemins]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8099")
    parser.add_argument("chemins", nargs="*", default=["/"])
    args = parser.parse_args()
    print(json.dumps(mesurer_pages(args.base, args.chemins), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
