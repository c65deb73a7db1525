"""The offer search of two code trees on the same databases, measured alternately.

    .venv/bin/python benchmarks/search_before_after.py BEFORE_DIR AFTER_DIR [--rounds 2]
        [--offers 10000] [--var-dir /tmp/search-ab-var] [--pg-database search_ab]

BEFORE_DIR and AFTER_DIR are checkouts (``git worktree add`` or ``git archive | tar -x``)
with a ``.venv`` and collected static files (``manage.py collectstatic``). The script
builds an SQLite database (in ``--var-dir``) and a PostgreSQL database once with the after
tree (migrate, load_demo, generate_offers, VACUUM ANALYZE), then runs search_latency.py's
measuring worker of each tree in turn, round after round: on a shared machine the load of
other processes then hits both sides alike. Results go to ``--var-dir``/results.json, one
row per round, backend, side and case, with the *other CPU* figure of each.
"""

import argparse
import json
import os
import subprocess
from pathlib import Path

PARAMS = {"q": "deutsch", "category": "integrationskurs", "language": "german", "age": "seniors"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--var-dir", type=Path, default=Path("/tmp/search-ab-var"))
    parser.add_argument("--pg-database", default="search_ab")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    args.var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PORTAL_", "DATABASE_", "DJANGO_"))
        and key not in {"DEBUG", "ALLOWED_HOSTS"}
    }
    env.update(
        PORTAL_VAR_DIR=str(args.var_dir),
        DEBUG="false",
        PORTAL_CACHE="off",
        DJANGO_SETTINGS_MODULE="integration_portal.settings",
        PYTHONUNBUFFERED="1",
    )
    pg_url = f"postgresql://postgres@127.0.0.1:5432/{args.pg_database}"
    backends = {"sqlite": dict(env), "postgresql": dict(env, DATABASE_URL=pg_url)}

    def manage(backend_env, *command):
        python = trees["after"] / ".venv" / "bin" / "python"
        subprocess.run(
            [python, "manage.py", *command], cwd=trees["after"], env=backend_env, check=True
        )

    built = args.var_dir / "built"
    if not built.exists():
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{args.pg_database}"')
            c.execute(f'CREATE DATABASE "{args.pg_database}"')
        for name, backend_env in backends.items():
            manage(backend_env, "migrate", "--noinput", "-v", "0")
            manage(backend_env, "load_demo", "-v", "0")
            manage(backend_env, "generate_offers", "--count", str(args.offers), "--seed", "1")
            if name == "postgresql":
                with psycopg.connect(pg_url, autocommit=True) as c:
                    c.execute("VACUUM (ANALYZE)")
        built.touch()

    results = []
    for round_number in range(args.rounds):
        for backend, backend_env in backends.items():
            for side, tree in trees.items():
                out = args.var_dir / f"r-{side}-{backend}-{round_number}.json"
                command = [tree / ".venv" / "bin" / "python", "benchmarks/search_latency.py"]
                command += ["--worker", "--requests", str(args.requests), "--warmup", "3"]
                command += ["--budget", "40", "--quiet-wait", "10", "--params", json.dumps(PARAMS)]
                command += ["--result-file", str(out)]
                subprocess.run(command, cwd=tree, env=backend_env, check=True)
                for case in json.loads(out.read_text())["cases"]:
                    row = {
                        "round": round_number,
                        "backend": backend,
                        "side": side,
                        "case": case["case"],
                        "label": case["label"],
                        "results": case["results"],
                        "queries": case["queries"],
                        "median": case["median_ms"],
                        "p95": case["p95_ms"],
                        "n": case["n"],
                        "other": case["other_cores"],
                    }
                    results.append(row)
                    print(json.dumps(row), flush=True)
    (args.var_dir / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
