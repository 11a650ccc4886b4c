"""Load test of the REST service: `ctscreen serve` on loopback, wrk against POST /screen.

    .venv/bin/python -m bench.service_load                  # 2 workers, 30 s per run (about 2 minutes)
    .venv/bin/python -m bench.service_load --duration 10 --workers 1 --out result.json

1. Imports the lists the matching benchmark uses for the service (UN consolidated XML, OFAC SDN 2024-05-03,
   UK OFSI ConList.xlsx, from CTSCREEN_DATA, default ../shared/data) into a SQLite store under a scratch
   CTSCREEN_HOME (`--home`; kept, so a second run skips the import), and creates a screener key.
2. Starts `ctscreen serve --workers N` on 127.0.0.1 (the `serve` command through `cli_serve.register`, so
   it runs before cli.py wires it in) and waits for /health.
3. Writes a realistic mix of 2,000 request bodies (fixed seed): 30 % listed names as customers type them
   (reading order, lower case, a dropped middle name, a common spelling variant), 70 % names of people and
   companies that are not listed, drawn from given names and surnames of the regions screening sees most
   (Arabic, Persian, Pakistani, Russian, Chinese, Turkish, Western); a third of the people with a date of
   birth, a quarter with a country. A wrk Lua script cycles through them.
4. Runs wrk twice after a warm-up: closed loop (`--connections` connections, as fast as the service
   answers: the throughput ceiling) and paced (each connection waits `--pace-ms` between requests, about
   200-250 requests/s: the target load). Prints requests/s, p50/p90/p99 latency, errors, and the exact
   wrk commands; `--out` writes them as JSON.

Needs wrk (`apt-get install wrk`). wrk's latency is measured from when each request is sent; the closed loop
run has no coordinated-omission correction (wrk2 would add one), which is why the paced run is reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = 20240503
LISTS = ("un/consolidated.xml", "ofac/sdn_2024-05-03/sdn.csv", "uk/ConList.xlsx")
SERVE = """
import typer
from ctscreen.cli_serve import register
app = typer.Typer()
@app.callback()
def main() -> None:
    pass
register(app)
app()
"""


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.split(",")]


GIVEN = {
    "arabic": _words(
        "Ahmed, Mohammed, Omar, Khalid, Youssef, Fatima, Aisha, Hassan, Ibrahim, Layla, Mariam, Tariq, Samir, Nadia, Karim, Rania, Walid, Huda, Bilal, Salma"
    ),
    "persian": _words(
        "Reza, Mehdi, Ali, Hossein, Maryam, Zahra, Amir, Sara, Parisa, Dariush, Shirin, Babak, Farhad, Leila, Kian, Nasrin"
    ),
    "pakistani": _words(
        "Imran, Asad, Usman, Ayesha, Hina, Faisal, Zainab, Hamza, Sana, Adnan, Bushra, Kamran, Shahid, Nida, Waqas, Sadia"
    ),
    "russian": _words(
        "Sergei, Dmitri, Olga, Natalia, Ivan, Alexei, Svetlana, Mikhail, Yelena, Andrei, Tatiana, Pavel, Irina, Nikolai"
    ),
    "chinese": _words("Wei, Fang, Li Na, Jun, Xiaoming, Mei, Hao, Jing, Lei, Yan, Qiang, Ling"),
    "turkish": _words("Mehmet, Ayse, Mustafa, Emine, Ahmet, Fatma, Emre, Zeynep, Burak, Elif"),
    "western": _words(
        "James, Mary, John, Patricia, Robert, Jennifer, Michael, Linda, David, Elizabeth, Thomas, Sarah, Peter, Anna, Lukas, Sophie, Pierre, Marie"
    ),
}
FAMILY = {
    "arabic": _words(
        "Al-Masri, Haddad, Khoury, Mansour, Nasser, Saleh, Hamdan, Aziz, Farouk, El-Sayed, Barakat, Qasim, Darwish, Shaheen, Tahan"
    ),
    "persian": _words(
        "Hosseini, Mohammadi, Rezaei, Karimi, Ahmadi, Jafari, Moradi, Rahimi, Tehrani, Sadeghi, Ebrahimi, Ghorbani"
    ),
    "pakistani": _words(
        "Khan, Malik, Butt, Qureshi, Chaudhry, Siddiqui, Sheikh, Hussain, Raza, Mirza, Abbasi, Awan, Iqbal"
    ),
    "russian": _words(
        "Ivanov, Smirnova, Kuznetsov, Popova, Sokolov, Lebedeva, Kozlov, Novikova, Morozov, Volkova, Pavlov, Fedorov"
    ),
    "chinese": _words("Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun"),
    "turkish": _words("Yilmaz, Kaya, Demir, Sahin, Celik, Yildiz, Aydin, Ozturk, Arslan, Dogan"),
    "western": _words(
        "Smith, Johnson, Williams, Brown, Miller, Garcia, Muller, Schmidt, Martin, Bernard, Rossi, Jansen, Kowalski, Novak"
    ),
}
COUNTRIES = {
    "arabic": _words("Egypt, Jordan, Lebanon, Saudi Arabia, SY, IQ, AE"),
    "persian": _words("Iran, IR, Afghanistan"),
    "pakistani": _words("Pakistan, PK, AF"),
    "russian": _words("Russia, RU, Belarus, UA"),
    "chinese": _words("China, CN, HK"),
    "turkish": _words("Turkey, TR"),
    "western": _words("US, GB, Germany, France, NL"),
}
COMPANY_WORDS = _words(
    "Global, Trading, Logistics, Holdings, Petro, Marine, Star, Green, United, Pacific, Capital, Textile, Agro, Tech, Orient, Crescent, Northern, Delta"
)
COMPANY_FORMS = _words("LLC, Ltd, GmbH, FZE, Co., S.A., Trading Company, Group, Industries")
VARIANTS = {
    "mohammed": "Muhammad",
    "muhammad": "Mohammad",
    "mohammad": "Mohamed",
    "usama": "Osama",
    "hussein": "Husain",
    "yusuf": "Youssef",
    "abdul": "Abdel",
    "abd": "Abdul",
    "al": "el",
}


def _percent(value: str) -> float:
    """wrk's latency text (`812.00us`, `3.45ms`, `1.02s`) in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not match:
        return float("nan")
    number, unit = float(match.group(1)), match.group(2)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> dict[str, Any]:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    latencies = {p: _percent(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M)}
    return {
        "requests_per_second": float(rate.group(1)) if rate else None,
        "requests": int(total.group(1)) if total else None,
        "p50_ms": latencies.get("50"),
        "p75_ms": latencies.get("75"),
        "p90_ms": latencies.get("90"),
        "p99_ms": latencies.get("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else None,
    }


def listed_names(env: dict[str, str]) -> list[tuple[str, str]]:
    """(name, schema) of every listed primary name and strong alias, from the store the service reads."""
    code = (
        "import json\n"
        "from ctscreen.store import ListStore\n"
        "out = []\n"
        "for e in ListStore().active_entities():\n"
        "    for n in e.names:\n"
        "        if n.kind.value in ('primary', 'alias') and n.full.isascii():\n"
        "            out.append((n.full, e.schema.value))\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return [tuple(x) for x in json.loads(done.stdout)]


def _customer_spelling(name: str, rng: random.Random) -> str:
    """A listed name as a customer record would carry it."""
    if "," in name:  # OFAC's "SURNAME, Given" in reading order
        family, _, given = name.partition(",")
        name = f"{given.strip()} {family.strip()}"
    words = name.split()
    roll = rng.random()
    if roll < 0.3 and len(words) >= 3:
        del words[rng.randrange(1, len(words) - 1)]  # a dropped middle name
    elif roll < 0.6:
        words = [VARIANTS.get(w.lower(), w) for w in words]
    text = " ".join(words)
    return text.lower() if rng.random() < 0.3 else text.title()


def build_bodies(listed: list[tuple[str, str]], count: int = 2000, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    bodies: list[dict[str, Any]] = []
    regions = list(GIVEN)
    for _ in range(count):
        if rng.random() < 0.3 and listed:
            name, schema = rng.choice(listed)
            body: dict[str, Any] = {"name": _customer_spelling(name, rng)}
            if schema in ("person", "organization"):
                body["schema"] = schema
        else:
            region = rng.choice(regions)
            if rng.random() < 0.25:
                words = rng.sample(COMPANY_WORDS, 2)
                body = {
                    "name": f"{rng.choice(FAMILY[region])} {' '.join(words)} {rng.choice(COMPANY_FORMS)}",
                    "schema": "organization",
                }
            else:
                given = rng.choice(GIVEN[region])
                middle = f" {rng.choice(GIVEN[region])}" if rng.random() < 0.3 else ""
                body = {"name": f"{given}{middle} {rng.choice(FAMILY[region])}", "schema": "person"}
                if rng.random() < 0.33:
                    body["dob"] = (
                        f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    )
            if rng.random() < 0.25:
                body["country"] = rng.choice(COUNTRIES[region])
        bodies.append(body)
    return bodies


LUA = """
local bodies = {}
local index = 0
local pace = %(pace)d
for line in io.lines("%(bodies)s") do
  bodies[#bodies + 1] = line
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CTSCREEN_BENCH_KEY")
function request()
  index = index %% #bodies + 1
  return wrk.format(nil, nil, nil, bodies[index])
end
function delay()
  return pace
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(home: Path, data: Path) -> tuple[dict[str, str], str]:
    """Import the lists (once) and create a screener key; returns the environment and the key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CTSCREEN_API_", "PROMETHEUS_"))}
    env |= {"CTSCREEN_HOME": str(home), "PYTHONPATH": str(REPO / "src")}
    env.pop("CTSCREEN_DB", None)
    paths = [str(data / "lists" / relative) for relative in LISTS]
    subprocess.run([sys.executable, "-m", "ctscreen.cli", "lists", "import", *paths], env=env, check=True)
    code = (
        "from ctscreen.workflow import Workflow, local_principal\n"
        "info, token = Workflow().create_key(local_principal(), 'Load Test', 'screener')\n"
        "print(token)\n"
    )
    token = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return env, token.stdout.strip()


def run_wrk(args: list[str], env: dict[str, str]) -> tuple[str, dict[str, Any]]:
    done = subprocess.run(args, env=env, check=True, capture_output=True, text=True)
    return done.stdout, parse_wrk(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "ctscreen-service-bench")
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("CTSCREEN_DATA", REPO.parent / "shared" / "data"))
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--pace-ms", type=int, default=20, help="Wait between requests per connection (paced run)."
    )
    parser.add_argument("--pace-connections", type=int, default=5)
    parser.add_argument("--duration", type=int, default=30, help="Seconds per measured run.")
    parser.add_argument("--out", type=Path, help="Write the figures as JSON here.")
    args = parser.parse_args(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    args.home.mkdir(parents=True, exist_ok=True)
    env, key = prepare(args.home, args.data)
    listed = listed_names(env)
    bodies = build_bodies(listed)
    body_file = args.home / "bodies.jsonl"
    body_file.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in bodies), encoding="utf-8")
    port = _free_port()
    log = (args.home / "serve.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVE,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {"workers": args.workers, "bodies": len(bodies), "lists": list(LISTS)}
    try:
        import httpx

        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code in (200,):
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                print((args.home / "serve.log").read_text(), file=sys.stderr)
                return 1
            time.sleep(0.5)
        health = httpx.get(f"{url}/health", timeout=5).json()
        results["list_versions"] = health["index"]["list_versions"]
        wrk_env = env | {"CTSCREEN_BENCH_KEY": key}
        scripts = {}
        for name, pace in (("closed", 0), ("paced", args.pace_ms)):
            script = args.home / f"screen-{name}.lua"
            script.write_text(LUA % {"bodies": body_file, "pace": pace}, encoding="utf-8")
            scripts[name] = script
        warm = [wrk, "-t1", f"-c{args.connections}", "-d5s", "-s", str(scripts["closed"]), f"{url}/screen"]
        run_wrk(warm, wrk_env)
        runs = {
            "closed": [
                wrk,
                "-t1",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--latency",
                "-s",
                str(scripts["closed"]),
                f"{url}/screen",
            ],
            "paced": [
                wrk,
                "-t1",
                f"-c{args.pace_connections}",
                f"-d{args.duration}s",
                "--latency",
                "-s",
                str(scripts["paced"]),
                f"{url}/screen",
            ],
        }
        for name, command in runs.items():
            text, figures = run_wrk(command, wrk_env)
            results[name] = figures | {"command": " ".join(command)}
            print(text)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    print("| run | connections | requests/s | p50 ms | p90 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|---|")
    for name, connections in (("closed", args.connections), ("paced", args.pace_connections)):
        r = results[name]
        print(
            f"| {name} | {connections} | {r['requests_per_second']:.0f} | {r['p50_ms']:.2f} | {r['p90_ms']:.2f} | "
            f"{r['p99_ms']:.2f} | {r['non_2xx']} |"
        )
    for name in ("closed", "paced"):
        print(f"{name}: {results[name]['command']}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    ok = all(results[n]["non_2xx"] == 0 for n in ("closed", "paced"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
