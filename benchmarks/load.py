"""Throughput of the production server under load, next to /healthz in the same run.

    .venv/bin/python benchmarks/load.py [--offers 10000] [--duration 60] [--connections 50]
        [--modes cold warm] [--cut-database 20] [--output benchmarks/results.md]
    .venv/bin/python benchmarks/load.py --base-url http://127.0.0.1:8080 --modes as-is

Unless ``--base-url`` is given, the script builds a PostgreSQL database (``portal_load`` on
127.0.0.1:5432: migrate, load_demo, generate_offers up to ``--offers``; ``--keep-database``
reuses it on the next run) and starts gunicorn with ``deploy/gunicorn.conf.py`` once per
mode: *cold* with ``PORTAL_CACHE=off`` (every request does all its work), *warm* with the
page cache in Redis (every URL of the mix requested once before the clock starts).

Load comes from wrk (Debian's package ``wrk``), which is much lighter than any Python
client on the same two cores. Each mode measures ``/healthz`` (a view that does nothing) for
a third of ``--duration`` and then the mix for ``--duration``: the ratio of the two is the
figure to compare across machines and runs, since the machine is shared and noisy.

The mix (``mix_urls``) is what residents do: the home page in several languages, searches
with text, facets and pages, offer pages, city and provider pages, event lists and pages, the
JSON, GeoJSON and iCalendar feeds. wrk's Lua script picks a URL at random per request and
counts the answers by status, so the report can tell 200s from 503s from anything else.

``--cut-database SECONDS`` adds a fault run (cold): gunicorn talks to PostgreSQL through a
TCP proxy (tests/tcp_proxy.py); a third into the load the proxy is cut for SECONDS and then
restored, while a probe asks for one page every 100 ms and records the timeline. The goal:
503s during the cut and nothing else, and full recovery within 5 s of the database's return,
without restarting anything.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN_CONFIG = PROJECT_DIR / "deploy" / "gunicorn.conf.py"

WRK_SCRIPT = r"""
-- One URL list, a random pick per request, and the answers counted by status.
local urls = {}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(urls, line) end
  end
  math.randomseed(os.time() * 1000 + id)
  statuses = {}
end

function request()
  -- As every browser does: the portal compresses its pages (operations/compression.py).
  return wrk.format("GET", urls[math.random(#urls)], {["Accept-Encoding"] = "gzip, deflate, br"})
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "statuses": {%s}, "errors": {"connect": %d, "read": %d, "write": %d, '
    .. '"timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, table.concat(parts, ", "),
    errors.connect, errors.read, errors.write, errors.timeout))
end
"""


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment(**extra):
    """The shell's variables minus those that would change what is measured."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PORTAL_", "DATABASE_", "REDIS_", "DJANGO_"))
        and key not in {"DEBUG", "ALLOWED_HOSTS", "SECRET_KEY", "WEB_CONCURRENCY"}
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Database:
    """The PostgreSQL database the load runs against, built once per ``--offers``."""

    def __init__(self, args, var_dir):
        self.args = args
        self.name = args.pg_database
        self.url = f"postgres://{args.pg_user}@{args.pg_host}:{args.pg_port}/{self.name}"
        self.env = clean_environment(
            DATABASE_URL=self.url, PORTAL_VAR_DIR=var_dir, DEBUG="false", PORTAL_CACHE="off"
        )

    def psql(self, sql, database="postgres"):
        subprocess.run(
            ["psql", "-q", "-h", self.args.pg_host, "-p", str(self.args.pg_port), "-U",
             self.args.pg_user, "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def offer_count(self):
        result = subprocess.run(
            ["psql", "-qtA", "-h", self.args.pg_host, "-p", str(self.args.pg_port), "-U",
             self.args.pg_user, "-d", self.name, "-c", "SELECT count(*) FROM offers_offer"],
            capture_output=True, text=True,
        )  # fmt: skip
        return int(result.stdout.strip()) if result.returncode == 0 else None

    def manage(self, *arguments):
        subprocess.run(
            [PYTHON, "manage.py", *map(str, arguments)], cwd=PROJECT_DIR, env=self.env, check=True
        )

    def build(self):
        existing = self.offer_count() if self.args.keep_database else None
        if existing is not None and existing >= self.args.offers:
            log(f"reusing database {self.name} ({existing:,} offers)")
            return
        log(f"building database {self.name} with {self.args.offers:,} generated offers")
        self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{self.name}"')
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("load_demo")
        self.manage("generate_offers", "--count", self.args.offers, "--seed", 1)
        self.psql("VACUUM (ANALYZE)", database=self.name)

    def drop(self):
        if not self.args.keep_database:
            self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def mix_urls(env):
    """The URLs of the mix, read from the database by a child process with Django set up."""
    code = r"""
import json, random
from offers.models import Offer
from events.models import Event
from places.models import City
from providers.models import Provider
from vocabularies.models import Category, OfferLanguage
rng = random.Random(7)
offers = list(Offer.objects.published().values_list("slug", flat=True).order_by("pk")[:4000])
cities = list(City.objects.values_list("slug", flat=True))
providers = list(Provider.objects.values_list("slug", flat=True).order_by("pk")[:2000])
categories = list(Category.objects.values_list("slug", flat=True))
languages = list(OfferLanguage.objects.values_list("slug", flat=True))
events = list(Event.objects.published().values_list("slug", flat=True)[:200])
words = ["deutsch", "sprachkurs", "beratung", "sport", "kinder", "frauen", "eltern",
         "hausaufgaben", "integrationskurs", "treff", "musik", "bewerbung"]
urls = []
for lang in ["de", "ar", "uk", "en", "tr", "fa"]:
    urls += [f"/{lang}/", f"/{lang}/offers/", f"/{lang}/events/", f"/{lang}/cities/"]
for word in words:
    urls.append(f"/de/offers/?q={word}")
    urls.append(f"/ar/offers/?q={word}&page=2")
for category in categories:
    urls.append(f"/de/offers/?category={category}")
    urls.append(f"/de/offers/?q=deutsch&category={category}&language={rng.choice(languages)}")
    urls.append(f"/de/offers/search.json?category={category}")
for city in cities:
    urls.append(f"/de/cities/{city}/")
    urls.append(f"/de/offers/?city={city}&page={rng.choice([1, 2, 3])}")
    urls.append(f"/de/offers/map.geojson?city={city}")
urls += [f"/de/offers/{slug}/" for slug in rng.sample(offers, min(150, len(offers)))]
urls += [f"/uk/offers/{slug}/" for slug in rng.sample(offers, min(50, len(offers)))]
urls += [f"/de/providers/{slug}/" for slug in rng.sample(providers, min(40, len(providers)))]
urls += [f"/de/events/{slug}/" for slug in events[:40]]
urls += ["/de/events/feed.ics", "/de/offers/search.json", "/de/offers/map.geojson",
         "/de/providers/", "/de/offers/map/"]
print(json.dumps(urls))
"""
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=PROJECT_DIR, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


@contextmanager
def gunicorn(env, port):
    command = [PYTHON, "-m", "gunicorn", "integration_portal.wsgi", "-b", f"127.0.0.1:{port}"]
    if GUNICORN_CONFIG.exists():
        command += ["-c", str(GUNICORN_CONFIG)]
    # The error log goes to a file: a pipe nobody reads would fill up and stall gunicorn.
    with tempfile.TemporaryFile(mode="w+") as error_log:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=error_log, text=True,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    error_log.seek(0)
                    raise RuntimeError(f"gunicorn stopped: {error_log.read()[-2000:]}")
                if status_of(f"{base}/healthz") == 200:
                    break
                time.sleep(0.3)
            else:
                raise RuntimeError("gunicorn did not answer /healthz within 60 s")
            yield base
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def status_of(url, timeout=10):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wrk(base_url, urls, seconds, connections, threads=2):
    with tempfile.TemporaryDirectory() as folder:
        url_file = Path(folder) / "urls.txt"
        url_file.write_text("\n".join(urls) + "\n")
        script = Path(folder) / "mix.lua"
        script.write_text(WRK_SCRIPT)
        result = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
             "--timeout", "30s", "-s", str(script), base_url, "--", str(url_file)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    figures = json.loads(line.removeprefix("RESULT "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    ok = sum(count for status, count in figures["statuses"].items() if status.startswith("2"))
    figures["non_2xx"] = figures["requests"] - ok
    figures["socket_errors"] = sum(figures["errors"].values())
    return figures


def warm_up(base_url, urls, threads=4):
    """Request every URL once (a few at a time): fills the page cache, and shows at once
    when a URL of the mix does not answer 200."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads) as pool:
        statuses = list(pool.map(lambda url: status_of(base_url + url, timeout=60), urls))
    failed = [url for url, status in zip(urls, statuses, strict=True) if status != 200]
    if failed:
        log(f"  {len(failed)} URLs of the mix did not answer 200, e.g. {failed[:3]}")
    return failed


def measure_mode(mode, base_url, urls, args):
    log(f"{mode}: /healthz for {max(5, args.duration // 3)} s at {args.connections} connections")
    health = wrk(base_url, ["/healthz"], max(5, args.duration // 3), args.connections)
    log(f"{mode}: the mix ({len(urls)} URLs) for {args.duration} s")
    mix = wrk(base_url, urls, args.duration, args.connections)
    return {"mode": mode, "health": health, "mix": mix, "ratio": mix["rps"] / health["rps"]}


def fault_run(database, args, var_dir):
    """The mix under load while the database is cut for ``args.cut_database`` seconds."""
    sys.path.insert(0, str(PROJECT_DIR))
    from tests.tcp_proxy import TcpProxy

    proxy = TcpProxy(args.pg_host, args.pg_port)
    proxy.start()
    url = f"postgres://{args.pg_user}@127.0.0.1:{proxy.port}/{database.name}"
    env = dict(database.env, DATABASE_URL=url, PORTAL_CACHE="off")
    timeline = []
    try:
        with gunicorn(env, free_port()) as base_url:
            urls = mix_urls(env)
            load_seconds = args.cut_database * 3
            stop = threading.Event()

            def probe():
                while not stop.is_set():
                    started = time.monotonic()
                    status = status_of(base_url + "/de/offers/?q=deutsch", timeout=30)
                    timeline.append((started, time.monotonic() - started, status))
                    time.sleep(0.1)

            prober = threading.Thread(target=probe, daemon=True)
            result = {}
            loader = threading.Thread(
                target=lambda: result.update(wrk(base_url, urls, load_seconds, args.connections)),
                daemon=True,
            )
            began = time.monotonic()
            prober.start()
            loader.start()
            time.sleep(args.cut_database)
            cut_at = time.monotonic()
            proxy.cut()
            log(f"fault: database cut at {cut_at - began:.1f} s")
            time.sleep(args.cut_database)
            restored_at = time.monotonic()
            proxy.restore()
            log(f"fault: database back at {restored_at - began:.1f} s")
            loader.join()
            stop.set()
            prober.join()
    finally:
        proxy.stop()
    during = [status for started, _, status in timeline if cut_at + 1 < started < restored_at]
    first_503 = next(
        (
            started - cut_at
            for started, _, status in timeline
            if started >= cut_at and status == 503
        ),
        None,
    )
    after = [(started, status) for started, _, status in timeline if started >= restored_at]
    last_bad = max((started for started, status in after if status != 200), default=restored_at)
    return {
        "mix": result,
        "probe_requests": len(timeline),
        "probe_statuses_during_cut": sorted(set(map(str, during))),
        "first_503_after_cut_s": first_503,
        "recovered_after_s": last_bad - restored_at,
        "slowest_probe_s": max(duration for _, duration, _ in timeline),
    }


def report(results, fault, args, url_count):
    if args.base_url:
        # A server started by someone else: its data and database are not ours to name.
        subject = f"the server at {args.base_url}"
        command = f"--base-url {args.base_url}" + (f" --urls {args.urls}" if args.urls else "")
    else:
        subject = f"{args.offers:,} generated offers, PostgreSQL"
        command = f"--offers {args.offers}"
    lines = [
        f"## Load: {subject}, {args.connections} connections",
        "",
        f"{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, {platform.python_version()},"
        f" `benchmarks/load.py {command} --duration {args.duration}"
        f" --connections {args.connections}`; the mix has {url_count} URLs.",
        "",
        "| mode | /healthz req/s | mix req/s | ratio | p50 ms | p99 ms | non-2xx | socket errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        mix = result["mix"]
        lines.append(
            f"| {result['mode']} | {result['health']['rps']:,.0f} | {mix['rps']:,.1f} | "
            f"1/{1 / result['ratio']:,.1f} | {mix['p50_us'] / 1000:,.1f} | "
            f"{mix['p99_us'] / 1000:,.1f} | {mix['non_2xx']} | {mix['socket_errors']} |"
        )
    if fault:
        mix = fault["mix"]
        lines += [
            "",
            f"Fault run: the database cut for {args.cut_database} s a third into "
            f"{args.cut_database * 3} s of load (cold). Answers: {mix.get('statuses')}, "
            f"socket errors {mix.get('errors')}. The probe (one request every 100 ms, "
            f"{fault['probe_requests']} in all) saw {fault['probe_statuses_during_cut']} "
            f"during the cut; first 503 {fault['first_503_after_cut_s']:.1f} s after the cut; "
            f"all 200 again {fault['recovered_after_s']:.1f} s after the database returned; "
            f"slowest probe answer {fault['slowest_probe_s']:.1f} s.",
        ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per mode")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--modes", nargs="+", default=["cold", "warm"],
                        choices=["cold", "warm", "as-is"])  # fmt: skip
    parser.add_argument("--cut-database", type=int, default=0, metavar="SECONDS")
    parser.add_argument("--base-url", help="measure a running server instead of starting one")
    parser.add_argument("--urls", type=Path, help="with --base-url: a file of paths, one a line")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--pg-database", default="portal_load")
    parser.add_argument("--output", type=Path, help="append the report to this Markdown file")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    results, fault = [], None
    if args.base_url:
        # A running server's database is unknown here: the URLs come from --urls (one per
        # line), from the database DATABASE_URL names (deploy/try-on-this-machine.sh sets
        # it to the server's), or are the few that exist in every portal.
        if args.urls:
            urls = [line for line in args.urls.read_text().splitlines() if line.strip()]
        elif os.environ.get("DATABASE_URL"):
            urls = mix_urls(dict(os.environ))
        else:
            urls = ["/de/", "/de/offers/", "/de/offers/?q=deutsch", "/de/events/", "/de/cities/"]
        warm_up(args.base_url, urls)
        results.append(measure_mode("as-is", args.base_url, urls, args))
        url_count = len(urls)
    else:
        var_dir = tempfile.mkdtemp(prefix="portal-load-")
        database = Database(args, var_dir)
        try:
            database.build()
            # DEBUG is off, as in production: the pages link hashed static files.
            database.manage("collectstatic", "--noinput", "-v", "0")
            urls = mix_urls(database.env)
            url_count = len(urls)
            for mode in args.modes:
                env = dict(database.env)
                if mode == "warm":
                    env.update(PORTAL_CACHE="on", REDIS_URL=args.redis_url)
                with gunicorn(env, free_port()) as base_url:
                    warm_up(base_url, urls)
                    results.append(measure_mode(mode, base_url, urls, args))
            if args.cut_database:
                fault = fault_run(database, args, var_dir)
        finally:
            database.drop()
            shutil.rmtree(var_dir, ignore_errors=True)
    text = report(results, fault, args, url_count)
    print(text)
    if args.output:
        with args.output.open("a", encoding="utf-8") as output:
            output.write("\n" + text)
    failed = any(r["mix"]["non_2xx"] or r["mix"]["socket_errors"] for r in results)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
