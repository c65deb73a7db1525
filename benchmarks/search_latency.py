"""Latency of the offer search at growing data sizes, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/search_latency.py [--sizes 1000 10000 100000]
        [--backends sqlite postgresql] [--requests 50] [--output benchmarks/results.md]

For every backend the script builds a fresh database (SQLite in a temporary PORTAL_VAR_DIR,
PostgreSQL in the database ``portal_bench``, dropped and recreated), runs ``migrate`` and
``load_demo``, then grows the generated offers step by step to each size (``generate_offers``
adds only the difference) and measures after every step. PostgreSQL gets a
``VACUUM (ANALYZE)`` before each measurement: fresh planner statistics, and no autovacuum
of the freshly inserted rows running during the measurement.

The measurements run in a child process of this script (``--worker``), started with the
backend's environment (DATABASE_URL, PORTAL_VAR_DIR, DEBUG=false), so that Django reads its
settings fresh. The child sends requests through Django's test ``Client``, in process: no
web server or network is involved, only URL routing, middleware, the view, the database and
template rendering. See benchmarks/README.md for how to read the table.

Everything the script creates (temporary directory, PostgreSQL database) is removed at the
end, also when something fails or the run is interrupted.
"""

import argparse
import itertools
import json
import math
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

PROJECT_DIR = Path(__file__).resolve().parent.parent
MANAGE = PROJECT_DIR / "manage.py"
DEFAULT_OUTPUT = PROJECT_DIR / "benchmarks" / "results.md"

# The goal the table is read against (see README).
GOAL_BACKEND = "postgresql"
GOAL_SIZE = 10_000
GOAL_P95_MS = 150.0

CASES = [
    # key, label, path, with the filter parameters? (or parameters of the case's own)
    ("a", "page, no parameters", "/de/offers/", False),
    ("b", "page, q + 3 facets", "/de/offers/", True),
    ("c", "JSON, q + 3 facets", "/de/offers/search.json", True),
    ("d", "JSON, no parameters", "/de/offers/search.json", False),
    # Near a place (issue 16): sorted by distance, counted within the radius.
    ("e", "page, near a town, 10 km", "/de/offers/", {"near": "Unna"}),
    (
        "f",
        "JSON, near lat,lon, 5 km",
        "/de/offers/search.json",
        {"near": "51.54,7.69", "radius": "5"},
    ),
    # A view that does nothing, timed in the same run: the floor the other cases compare
    # against on a shared, noisy machine.
    ("t", "trivial view /healthz", "/healthz", False),
]
# The search text of cases (b) and (c); the facet values are looked up in the database.
QUERY = "deutsch"
LANGUAGE = "german"

# Variables of the outer environment that would change what the child measures.
CLEARED_VARIABLES = (
    "DATABASE_URL",
    "PORTAL_VAR_DIR",
    "PORTAL_ENV",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "MEDIA_ROOT",
    "STATIC_ROOT",
)
# One child run (a measurement, or one manage.py command) may take at most this long.
STEP_TIMEOUT = 3600


# --- Helpers used by both sides ---------------------------------------------------------------


def percentile(values, fraction):
    """Nearest-rank percentile: the smallest value with ``fraction`` of all at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def log(message):
    print(message, file=sys.stderr, flush=True)


def cpu_ticks(pids):
    """Busy CPU time of the whole machine and of the processes ``pids``, in clock ticks
    (Linux /proc; zeros elsewhere)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
        busy = user + nice + system + irq + softirq
    except (OSError, ValueError):
        return 0, 0
    own = 0
    for pid in pids:
        try:
            parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            own += int(parts[11]) + int(parts[12])  # utime and stime
        except (OSError, IndexError, ValueError):
            pass
    return busy, own


class OtherLoad:
    """CPU cores kept busy by processes other than the benchmark's own (this process and
    its PostgreSQL server process) between start() and cores(): other people's work on the
    machine, which makes the figures slower and noisier."""

    def __init__(self, pids):
        self.pids = pids
        self.start()

    def start(self):
        self.started = time.perf_counter()
        self.busy, self.own = cpu_ticks(self.pids)

    def cores(self):
        elapsed = time.perf_counter() - self.started
        busy, own = cpu_ticks(self.pids)
        other = (busy - self.busy) - (own - self.own)
        return max(0.0, other / CLOCK_TICKS / elapsed) if elapsed > 0 else 0.0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def wait_for_quiet(pids, max_wait, threshold=0.3, window=1.0):
    """Wait (at most ``max_wait`` seconds) until other processes use less than
    ``threshold`` cores over ``window`` seconds. Returns the seconds waited."""
    started = time.perf_counter()
    while True:
        load = OtherLoad(pids)
        time.sleep(window)
        if load.cores() < threshold or time.perf_counter() - started >= max_wait:
            return time.perf_counter() - started - window


# --- Worker: runs inside the backend's environment ----------------------------------------------


def setup_django():
    sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integration_portal.settings")
    import django

    django.setup()


def database_version():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]


def pick_params():
    """q plus three facets that exist and still find offers: among the offers matching
    ``q``, the most common category; then, with the language added, the most common age
    group. Found through the search engine itself, so the values are real slugs."""
    from django.http import QueryDict

    from offers.search import OfferSearch

    def best(params, facet_name):
        search = OfferSearch(QueryDict(urlencode(params)), "de")
        facet = next(f for f in search.facets() if f.name == facet_name)
        value = max(facet.values, key=lambda v: (v.count, v.value))
        if not value.count:
            raise RuntimeError(f"No {facet_name} value finds anything for {params}.")
        return value.value

    from vocabularies.models import OfferLanguage

    if not OfferLanguage.objects.filter(slug=LANGUAGE).exists():
        raise RuntimeError(f"The offer language {LANGUAGE!r} does not exist.")
    params = {"q": QUERY}
    params["category"] = best(params, "category")
    params["language"] = LANGUAGE
    params["age"] = best(params, "age")
    return params


RESULTS_HEADING = re.compile(r'id="results-heading"[^>]*>\s*([0-9][0-9.,\u00a0\u202f ]*)')


def result_count(response, is_json):
    if is_json:
        return json.loads(response.content)["count"]
    match = RESULTS_HEADING.search(response.content.decode())
    if not match:
        return None
    return int(re.sub(r"\D", "", match.group(1)))


class RequestFailed(Exception):
    def __init__(self, url, status, detail):
        super().__init__(f"{url}: {status}")
        self.report = {"url": url, "status": status, "detail": detail}


def fetch(client, path, params, page):
    query = dict(params)
    if page != 1:
        query["page"] = page
    url = path + ("?" + urlencode(query) if query else "")
    try:
        response = client.get(url)
    except Exception:
        raise RequestFailed(url, "exception", traceback.format_exc()) from None
    if response.status_code != 200:
        body = response.content.decode(errors="replace")
        raise RequestFailed(url, response.status_code, body[:5000])
    return url, response


def explain(sql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def benchmark_pids():
    """This process and, on PostgreSQL, the server process of its connection."""
    from django.db import connection

    pids = [os.getpid()]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
    return pids


def measure_case(client, case, params, args):
    requests, warmup, budget, want_plan = args.requests, args.warmup, args.budget, args.explain
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        from offers.search import PAGE_SIZE
    except ImportError:
        PAGE_SIZE = 20

    key, label, path, filtered = case
    own = filtered if isinstance(filtered, dict) else None
    params = own if own is not None else (params if filtered else {})
    is_json = path.endswith(".json")
    result = {"case": key, "label": label, "path": path, "params": params}

    if args.quiet_wait:
        result["waited_s"] = wait_for_quiet(benchmark_pids(), args.quiet_wait)
    for i in range(warmup):
        fetch(client, path, params, 1 + i % 3 if i else 1)

    # One request of page 1 with the queries recorded: count, database time, slowest query.
    # CaptureQueriesContext rounds times to milliseconds; the wrapper times them exactly.
    durations = []

    def timed(execute, sql, params, many, context):
        before = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            durations.append(1000 * (time.perf_counter() - before))

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
        url, response = fetch(client, path, params, 1)
    queries = captured.captured_queries
    result["url"] = url
    result["results"] = result_count(response, is_json)
    result["queries"] = len(queries)
    result["db_ms"] = sum(durations)
    if queries and len(durations) == len(queries):
        slowest = max(range(len(queries)), key=durations.__getitem__)
        result["slowest_query_ms"] = durations[slowest]
        result["slowest_query"] = queries[slowest]["sql"]
        if want_plan:
            result["query_times"] = [
                [duration, query["sql"]] for duration, query in zip(durations, queries, strict=True)
            ]
            if connection.vendor == "postgresql":
                result["plan"] = explain(queries[slowest]["sql"])

    count = result["results"] or 0
    pages = max(1, min(3, math.ceil(count / PAGE_SIZE)))
    timings = []
    load = OtherLoad(benchmark_pids())
    started = time.perf_counter()
    for i in range(requests):
        page = 1 + i % pages
        before = time.perf_counter()
        fetch(client, path, params, page)
        timings.append(1000 * (time.perf_counter() - before))
        if time.perf_counter() - started > budget and len(timings) >= min(10, requests):
            break
    result.update(
        other_cores=load.cores(),
        n=len(timings),
        pages=pages,
        median_ms=statistics.median(timings),
        p95_ms=percentile(timings, 0.95),
        min_ms=min(timings),
        max_ms=max(timings),
    )
    return result


def worker(args):
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import translation

    from offers.models import Offer

    if settings.DEBUG:
        raise RuntimeError("DEBUG is on; the benchmark must run with DEBUG=false.")
    if not ({"testserver", "*"} & set(settings.ALLOWED_HOSTS)):
        raise RuntimeError(f"ALLOWED_HOSTS {settings.ALLOWED_HOSTS} does not allow testserver.")

    output = {
        "vendor": connection.vendor,
        "database_version": database_version(),
        "offers": Offer.objects.count(),
        "published": Offer.objects.published().count(),
        "cases": [],
    }
    with translation.override("de"):
        params = json.loads(args.params) if args.params else pick_params()
    output["params"] = params

    client = Client()
    try:
        for case in CASES:
            log(f"    case ({case[0]}) {case[1]} ...")
            result = measure_case(client, case, params, args)
            log(
                f"    case ({case[0]}): {result['results']} results, {result['queries']} "
                f"queries, median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms "
                f"(n={result['n']}, other processes {result['other_cores']:.2f} cores)"
            )
            output["cases"].append(result)
    except RequestFailed as failure:
        output["failure"] = failure.report
        log(f"    FAILED: {failure.report['url']} -> {failure.report['status']}")
    Path(args.result_file).write_text(json.dumps(output, indent=2))


# --- Orchestration: builds the databases and starts the workers --------------------------------


class Backend:
    def __init__(self, name, args):
        self.name = name
        self.args = args
        self.var_dir = None
        self.database_created = False

    @property
    def pg_database(self):
        return self.args.pg_database

    def pg_connect(self, dbname):
        import psycopg

        return psycopg.connect(
            host=self.args.pg_host,
            port=self.args.pg_port,
            user=self.args.pg_user,
            dbname=dbname,
            autocommit=True,
        )

    def setup(self):
        self.var_dir = tempfile.mkdtemp(prefix=f"portal-bench-{self.name}-")
        env = {k: v for k, v in os.environ.items() if k not in CLEARED_VARIABLES}
        env.update(
            PORTAL_VAR_DIR=self.var_dir,
            DEBUG="false",
            # Cold: the page cache would answer the repeated addresses from memory.
            PORTAL_CACHE="off",
            DJANGO_SETTINGS_MODULE="integration_portal.settings",
            PYTHONUNBUFFERED="1",
        )
        if self.name == "postgresql":
            self.drop_database()
            with self.pg_connect("postgres") as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_database}"')
            self.database_created = True
            env["DATABASE_URL"] = (
                f"postgres://{self.args.pg_user}@{self.args.pg_host}:{self.args.pg_port}/"
                f"{self.pg_database}"
            )
        self.env = env

    def drop_database(self):
        with self.pg_connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)')

    def analyze(self):
        if self.name == "postgresql":
            with self.pg_connect(self.pg_database) as conn:
                conn.execute("VACUUM (ANALYZE)")

    def cleanup(self):
        if self.database_created:
            try:
                self.drop_database()
                self.database_created = False
            except Exception as error:
                log(f"Could not drop the database {self.pg_database}: {error}")
        if self.var_dir:
            shutil.rmtree(self.var_dir, ignore_errors=True)
            self.var_dir = None

    def manage(self, *command):
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, str(MANAGE), *command],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
        )
        elapsed = time.perf_counter() - started
        if completed.returncode:
            raise RuntimeError(
                f"manage.py {' '.join(command)} failed ({completed.returncode}):\n"
                f"{completed.stdout}\n{completed.stderr}"
            )
        for line in completed.stdout.strip().splitlines():
            log(f"    {line}")
        return elapsed

    def measure(self, requests, params, explain):
        result_file = Path(self.var_dir) / "result.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--requests",
            str(requests),
            "--warmup",
            str(self.args.warmup),
            "--budget",
            str(self.args.budget),
            "--quiet-wait",
            str(self.args.quiet_wait),
            "--result-file",
            str(result_file),
        ]
        if params:
            command += ["--params", json.dumps(params)]
        if explain:
            command.append("--explain")
        completed = subprocess.run(command, cwd=PROJECT_DIR, env=self.env, timeout=STEP_TIMEOUT)
        if completed.returncode or not result_file.exists():
            raise RuntimeError(f"The measuring process failed ({completed.returncode}).")
        return json.loads(result_file.read_text())


def machine_info():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc = str(len(os.sched_getaffinity(0)))
    return {"nproc": nproc, "cpu": cpu, "memory": memory}


def project_revision():
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return f"{rev} (with uncommitted changes)" if dirty else rev
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def versions(args, backends):
    import django

    info = {
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "SQLite": sqlite3.sqlite_version,
    }
    if "postgresql" in backends:
        try:
            import psycopg

            with psycopg.connect(
                host=args.pg_host, port=args.pg_port, user=args.pg_user, dbname="postgres"
            ) as conn:
                info["PostgreSQL"] = conn.execute("SHOW server_version").fetchone()[0]
            info["psycopg"] = psycopg.__version__
        except Exception as error:
            info["PostgreSQL"] = f"unknown ({error})"
    return info


def summarize_sql(sql):
    """One line that tells a query apart: the start of its column list, its table, whether
    it groups, filters on text, and its LIMIT."""
    match = re.match(r"SELECT (.*?) FROM (\S+)", sql, re.DOTALL)
    if not match:
        return sql[:120]
    columns = match.group(1)
    if len(columns) > 60:
        columns = columns[:60] + "…"
    parts = [f"SELECT {columns} FROM {match.group(2)}"]
    if " LIKE " in sql or "to_tsvector" in sql:
        parts.append("[text]")
    if " EXISTS" in sql:
        parts.append(f"[{sql.count(' EXISTS')} EXISTS]")
    if " GROUP BY " in sql:
        parts.append("GROUP BY")
    limit = re.search(r"LIMIT \d+( OFFSET \d+)?$", sql)
    if limit:
        parts.append(limit.group(0))
    return " ".join(parts)


def fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def render(meta, runs, failures, params):
    lines = ["# Offer search latency", ""]
    lines.append(f"- Date: {meta['date']}")
    machine = meta["machine"]
    lines.append(
        f"- Machine: {machine['nproc']} CPUs (nproc), {machine['cpu']}"
        + (f", {machine['memory']} RAM" if machine["memory"] else "")
    )
    lines.append("- Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()))
    lines.append(f"- Project revision: {meta['revision']}")
    lines.append(
        f"- Command: `{meta['command']}`; {meta['warmup']} warm-up requests per case; "
        f"total run time {meta['total_seconds'] / 60:.1f} min"
    )
    if params:
        lines.append(f"- Filter of cases (b) and (c): `{urlencode(params)}`")
    lines.append(
        "- Offers: *Generated offers* plus the 80 demo offers are in the database; "
        "*Published* of them are public (published and currently valid)"
    )
    lines.append("")
    lines.append(
        "Times are per request in milliseconds, measured in process with Django's test "
        "client (DEBUG off). *Queries* and *DB ms* are from one request of page 1 (the "
        "database's share of its time); *n* is the number of timed requests; *Other CPU* "
        "is how many cores other processes on the machine kept busy meanwhile (0 = quiet)."
    )
    lines.append("")
    busy = [
        (run, case) for run in runs for case in run["cases"] if case.get("other_cores", 0) > 0.25
    ]
    if busy:
        lines.append(
            f"**Caution:** during {len(busy)} of "
            f"{sum(len(run['cases']) for run in runs)} cases other processes kept more than "
            "a quarter of a core busy; those figures are slower and noisier than on an idle "
            "machine."
        )
        lines.append("")
    header = (
        "| Backend | Generated offers | Published | Case | Results | Queries | DB ms "
        "| Median ms | p95 ms | n | Other CPU |"
    )
    lines += [header, "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for run in runs:
        for case in run["cases"]:
            lines.append(
                f"| {run['backend']} | {run['size']:,} | {run['published']:,} "
                f"| ({case['case']}) {case['label']} | {case['results']} | {case['queries']} "
                f"| {fmt(case['db_ms'])} | {fmt(case['median_ms'])} | {fmt(case['p95_ms'])} "
                f"| {case['n']} | {case.get('other_cores', 0):.2f} |"
            )
    lines.append("")

    # Growth: how the median grows with the number of offers.
    growth = []
    by_backend = {}
    for run in runs:
        by_backend.setdefault(run["backend"], []).append(run)
    for backend, backend_runs in by_backend.items():
        backend_runs.sort(key=lambda r: r["size"])
        for previous, current in itertools.pairwise(backend_runs):
            size_ratio = current["offers"] / previous["offers"]
            before = {c["case"]: c for c in previous["cases"]}
            ratios = []
            for case in current["cases"]:
                if case["case"] in before:
                    ratio = case["median_ms"] / before[case["case"]]["median_ms"]
                    ratios.append(f"({case['case']}) x{ratio:.1f}")
            growth.append(
                f"| {backend} | {previous['size']:,} → {current['size']:,} "
                f"| x{size_ratio:.1f} | {', '.join(ratios)} |"
            )
    if growth:
        lines += [
            "## Growth",
            "",
            "Median latency at the larger size divided by the one at the smaller size; "
            "sub-linear means clearly below the growth of the offers.",
            "",
            "| Backend | Generated offers | Offers grew | Median grew |",
            "|---|---|---:|---|",
            *growth,
            "",
        ]

    # The goal.
    goal_runs = [r for r in runs if r["backend"] == GOAL_BACKEND and r["size"] == GOAL_SIZE]
    lines += ["## Goal", ""]
    if goal_runs:
        worst = max(goal_runs[0]["cases"], key=lambda c: c["p95_ms"])
        verdict = "met" if worst["p95_ms"] < GOAL_P95_MS else "**missed**"
        lines.append(
            f"p95 under {GOAL_P95_MS:.0f} ms at {GOAL_SIZE:,} generated offers on PostgreSQL: "
            f"{verdict} (worst case ({worst['case']}) {worst['label']}: "
            f"p95 {worst['p95_ms']:.1f} ms on {meta['machine']['nproc']} CPUs)."
        )
    else:
        lines.append(f"Not measured (needs --backends {GOAL_BACKEND} and --sizes {GOAL_SIZE}).")
    lines.append("")

    if failures:
        lines += ["## Failures", ""]
        for failure in failures:
            where = f"{failure['size']:,} generated offers" if failure["size"] else "setup"
            lines.append(f"- {failure['backend']}, {where}:")
            lines.append("")
            lines.append("```")
            lines.extend(json.dumps(failure["report"], indent=2).splitlines())
            lines.append("```")
        lines.append("")

    plans = [(run, case) for run in runs for case in run["cases"] if case.get("query_times")]
    if plans:
        lines += [
            "## Where the database time goes",
            "",
            "Every query of one request (page 1) with its time, and on PostgreSQL the plan of "
            "the slowest one (`EXPLAIN (ANALYZE, BUFFERS)`).",
            "",
        ]
        for run, case in plans:
            lines.append(
                f"<details><summary>{run['backend']}, {run['size']:,} generated offers, "
                f"case ({case['case']}) {case['label']}: {case['queries']} queries, "
                f"{case['db_ms']:.1f} ms, the slowest {case['slowest_query_ms']:.1f} ms"
                "</summary>"
            )
            lines += ["", "| # | ms | Query (outline) |", "|---:|---:|---|"]
            for number, (duration, sql) in enumerate(case["query_times"], 1):
                summary = summarize_sql(sql).replace("|", "\\|")
                lines.append(f"| {number} | {duration:.1f} | `{summary}` |")
            lines += ["", "Slowest query:", "", "```sql", case["slowest_query"], "```", ""]
            if case.get("plan"):
                lines += ["```", *case["plan"].splitlines(), "```", ""]
            lines += ["</details>", ""]
    return "\n".join(lines).rstrip() + "\n"


def orchestrate(args):
    started = time.perf_counter()
    sizes = sorted(set(args.sizes))
    if not sizes or sizes[0] < 1:
        raise SystemExit("--sizes must be positive numbers.")
    if "bench" not in args.pg_database:
        raise SystemExit("--pg-database must contain 'bench': the database is dropped.")
    meta = {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine_info(),
        "versions": versions(args, args.backends),
        "revision": project_revision(),
        "command": "benchmarks/search_latency.py " + " ".join(sys.argv[1:]),
        "warmup": args.warmup,
    }
    runs, failures = [], []
    params = None
    for name in args.backends:
        backend = Backend(name, args)
        log(f"== {name}")
        try:
            backend.setup()
            log("  migrate")
            backend.manage("migrate", "--noinput", "-v", "0")
            # DEBUG is off: pages name their static files through the collected manifest.
            log("  collectstatic")
            backend.manage("collectstatic", "--noinput", "-v", "0")
            log("  load_demo")
            backend.manage("load_demo")
            generated = 0
            for step, size in enumerate(sizes):
                log(f"  generate_offers: {generated:,} -> {size:,}")
                # Each step adds only the difference, with its own seed (the next one), so
                # that an addition is not a replay of the first step's random choices.
                count, seed = str(size - generated), str(args.seed + step)
                backend.manage("generate_offers", "--count", count, "--seed", seed)
                generated = size
                backend.analyze()
                requests = args.requests
                if args.large_requests and size >= args.large_size:
                    requests = args.large_requests
                log(f"  measuring {size:,} generated offers, {requests} requests per case")
                result = backend.measure(requests, params, explain=size in args.explain_sizes)
                params = params or result["params"]
                if result.get("failure"):
                    failures.append({"backend": name, "size": size, "report": result["failure"]})
                runs.append({"backend": name, "size": size, **result})
                if result.get("failure"):
                    break
        except Exception as error:
            log(f"  {name} failed: {error}")
            failures.append(
                {"backend": name, "size": None, "report": {"error": traceback.format_exc()}}
            )
        finally:
            backend.cleanup()
    meta["total_seconds"] = time.perf_counter() - started
    text = render(meta, runs, failures, params)
    print(text)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    log(f"Written to {output} in {meta['total_seconds'] / 60:.1f} min.")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument(
        "--backends",
        nargs="+",
        choices=["sqlite", "postgresql"],
        default=["sqlite", "postgresql"],
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per case")
    parser.add_argument(
        "--large-requests",
        type=int,
        default=None,
        help="timed requests per case from --large-size on (default: --requests)",
    )
    parser.add_argument("--large-size", type=int, default=100_000)
    parser.add_argument("--warmup", type=int, default=3, help="warm-up requests per case")
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="seconds per case after which timing stops early (at least 10 requests)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=30.0,
        help="before each case, wait up to this many seconds for other processes to leave "
        "the CPUs alone (0: do not wait)",
    )
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--seed", type=int, default=1, help="seed of the first generate_offers")
    parser.add_argument(
        "--explain-sizes",
        type=int,
        nargs="*",
        default=[GOAL_SIZE],
        help="sizes at which the slowest query of each case is run with EXPLAIN ANALYZE "
        "(PostgreSQL only)",
    )
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--pg-database", default="portal_bench")
    # Internal: the measuring child process.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.requests < 1 or (args.large_requests is not None and args.large_requests < 1):
        parser.error("--requests must be at least 1.")

    if args.worker:
        worker(args)
        return 0

    # Turn SIGTERM into an exception so that the clean-up in `finally` runs.
    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    return orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
