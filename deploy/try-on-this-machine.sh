#!/usr/bin/env bash
# The production arrangement on one machine, started, load-tested and stopped again:
# nginx (Debian's, with its own prefix in a temporary folder, not the system's
# configuration) in front of two gunicorn instances, on the running PostgreSQL and Redis.
#
#   deploy/try-on-this-machine.sh                 # demo data
#   OFFERS=10000 deploy/try-on-this-machine.sh    # plus 10,000 generated offers
#   KEEP=1 deploy/try-on-this-machine.sh          # leave it running until Ctrl-C
#
# Settings: PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres), REDIS_URL (default
# redis://127.0.0.1:6379/0), WEB_CONCURRENCY per instance (default 2). Arguments after the
# options go to benchmarks/load.py. The database it creates is dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
gunicorn="$(dirname "$python")/gunicorn"
nginx="${NGINX:-/usr/sbin/nginx}"
pg_host="${PGHOST:-127.0.0.1}" pg_port="${PGPORT:-5432}" pg_user="${PGUSER:-postgres}"
database="portal_try_$$"
work="$(mktemp -d)"
pids=()

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
say() { printf '\n=== %s\n' "$*"; }

stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  dropdb -h "$pg_host" -p "$pg_port" -U "$pg_user" --if-exists "$database" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_all EXIT

export PORTAL_ENV=production
export SECRET_KEY="$("$python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL="postgres://$pg_user@$pg_host:$pg_port/$database"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export MEDIA_ROOT="$work/media" STATIC_ROOT="$work/static"
# Plain HTTP on the loopback: no redirect to HTTPS (staff logins need HTTPS: secure cookies).
export SECURE_SSL_REDIRECT=false
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
mkdir -p "$MEDIA_ROOT"

say "Database $database with demo data${OFFERS:+ and $OFFERS generated offers}"
createdb -h "$pg_host" -p "$pg_port" -U "$pg_user" "$database"
"$python" manage.py migrate --noinput -v 0
"$python" manage.py setup_roles >/dev/null
"$python" manage.py load_demo >/dev/null
if [ "${OFFERS:-0}" -gt 0 ]; then "$python" manage.py generate_offers --count "$OFFERS"; fi
"$python" manage.py collectstatic --noinput -v 0

say "Two gunicorn instances"
upstreams=()
for instance in 1 2; do
  port="$(free_port)"
  GUNICORN_BIND="127.0.0.1:$port" "$gunicorn" --config deploy/gunicorn.conf.py \
    >"$work/gunicorn-$instance.log" 2>&1 &
  pids+=("$!")
  upstreams+=("127.0.0.1:$port")
done
for upstream in "${upstreams[@]}"; do
  for _ in $(seq 1 60); do curl -fsS -o /dev/null "http://$upstream/healthz" 2>/dev/null && break; sleep 0.5; done
  curl -fsS -o /dev/null "http://$upstream/readyz"
  echo "gunicorn on $upstream is ready"
done

say "nginx in front of them"
nginx_port="$(free_port)"
deploy/render-nginx.sh "$work/nginx" portal-http.conf "$nginx_port" "$MEDIA_ROOT" "${upstreams[@]}"
"$nginx" -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf"
"$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=("$!")
base="http://127.0.0.1:$nginx_port"
for _ in $(seq 1 40); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.25; done
echo "nginx on $base"

if [ -f benchmarks/load.py ]; then
  say "benchmarks/load.py --base-url $base $*"
  "$python" benchmarks/load.py --base-url "$base" "$@"
else
  say "A few pages through nginx (benchmarks/load.py is not there)"
  for address in /de/ /de/offers/ /de/offers/badminton-castrop-rauxel/ /ar/events/ /healthz /readyz; do
    curl -sS -o /dev/null -w "%{http_code} %{time_total}s $address\n" "$base$address"
  done
fi
for instance in 1 2; do
  echo "gunicorn $instance answered $(grep -c '"GET ' "$work/gunicorn-$instance.log" || true) requests"
done

if [ -n "${KEEP:-}" ]; then
  say "Running on $base until Ctrl-C"
  wait
fi
