"""Does a slow client hold a worker that others need? The production serving setup (decision 0061) against gunicorn
alone, on this machine, in a few seconds.

    .venv/bin/python bench/client_lent.py [--lents 2] [--octets-par-seconde 1]

It starts gunicorn (`config.wsgi`, sync workers, BENCH=1 for the floor `/bench/plancher`, which reads no database)
with as many workers as there are slow clients — the worst case: every worker can be taken — and, when `nginx` is on
the PATH (Debian package `nginx-light`), nginx in front of it with the buffering configuration of
docs/exploitation.md (`bench/nginx-client-lent.conf`). Then, for each way in (gunicorn directly, through nginx):
`--lents` clients each send a request at `--octets-par-seconde`, one header line at a time, and one ordinary client
asks for the floor: its response time says whether it had to wait for a worker. Nothing is written anywhere but a
temporary directory; everything listens on 127.0.0.1 and is stopped at the end.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
MODELE_NGINX = Path(__file__).with_name("nginx-client-lent.conf")
DELAI = 10.0  # seconds the ordinary client waits before giving up


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attendre(port: int) -> None:
    limite = time.monotonic() + 30
    while time.monotonic() < limite:
        try:
            if requete(port, DELAI) is not None:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"rien n’écoute sur le port {port}")


def requete(port: int, delai: float) -> float | None:
    """An ordinary GET of the floor; its duration in seconds, or None if it got no answer within `delai`."""
    debut = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=delai) as s:
        s.sendall(b"GET /bench/plancher HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        try:
            premier = s.recv(64)
        except TimeoutError:
            return None
    return time.monotonic() - debut if premier.startswith(b"HTTP/1.1 200") else None


def client_lent(port: int, debit: float, arret: threading.Event) -> None:
    """A request sent at `debit` bytes per second (a phone at the edge of the network, or someone on purpose)."""
    texte = b"GET /bench/plancher HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: " + b"a" * 200 + b"\r\n\r\n"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
            for octet in texte:
                if arret.is_set():
                    return
                s.sendall(bytes([octet]))
                time.sleep(1 / debit)
    except OSError:  # closed by the server's timeout
        return


def mesurer(port: int, lents: int, debit: float) -> float | None:
    arret = threading.Event()
    fils = [threading.Thread(target=client_lent, args=(port, debit, arret), daemon=True) for _ in range(lents)]
    for fil in fils:
        fil.start()
    time.sleep(2)  # the slow clients are connected and sending
    duree = requete(port, DELAI)
    arret.set()
    return duree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lents", type=int, default=2, help="clients lents simultanés (= workers gunicorn)")
    parser.add_argument("--octets-par-seconde", type=float, default=1.0)
    args = parser.parse_args()

    env = os.environ | {
        "DEBUG": "0",
        "BENCH": "1",
        "SECRET_KEY": "client-lent-cle-locale-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
    }
    port_gunicorn = port_libre()
    processus = []
    with tempfile.TemporaryDirectory() as temporaire:
        try:
            gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port_gunicorn}"]
            gunicorn += ["--workers", str(args.lents), "--timeout", "30"]
            processus.append(
                subprocess.Popen(gunicorn, cwd=RACINE, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
            )
            attendre(port_gunicorn)
            entrees = [("gunicorn seul (workers sync)", port_gunicorn)]
            if shutil.which("nginx"):
                port_nginx = port_libre()
                conf = Path(temporaire) / "nginx.conf"
                conf.write_text(
                    MODELE_NGINX.read_text()
                    .replace("@TEMP@", temporaire)
                    .replace("@PORT@", str(port_nginx))
                    .replace("@AMONT@", f"127.0.0.1:{port_gunicorn}")
                )
                nginx = ["nginx", "-p", temporaire, "-c", str(conf), "-g", "daemon off;"]
                processus.append(subprocess.Popen(nginx, stderr=subprocess.DEVNULL, start_new_session=True))
                attendre(port_nginx)
                entrees.append(("nginx (tampons) puis gunicorn", port_nginx))
            else:
                print("nginx absent (paquet Debian nginx-light) : seule la mesure sans tampon est faite.")
            print(f"{args.lents} client(s) à {args.octets_par_seconde:g} octet/s, puis une requête ordinaire :")
            for nom, port in entrees:
                duree = mesurer(port, args.lents, args.octets_par_seconde)
                texte = f"{duree * 1000:.1f} ms" if duree is not None else f"pas de réponse en {DELAI:g} s"
                print(f"  {nom:<34} {texte}")
        finally:
            for p in reversed(processus):
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(15)


if __name__ == "__main__":
    main()
