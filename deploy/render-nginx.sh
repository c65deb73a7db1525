#!/usr/bin/env bash
# Write a ready nginx prefix directory for the portal's site:
#   deploy/render-nginx.sh PREFIX SITE LISTEN_PORT MEDIA_ROOT UPSTREAM [UPSTREAM...]
# SITE is portal-http.conf or portal-https.conf; UPSTREAM is host:port of a gunicorn instance.
# For portal-https.conf set SERVER_NAME, TLS_CERTIFICATE and TLS_CERTIFICATE_KEY.
# Then: nginx -p PREFIX -c PREFIX/nginx.conf   (-t to check it)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prefix="$1" site="$2" listen_port="$3" media_root="$4"
shift 4
mkdir -p "$prefix/site" "$prefix/tmp"
upstreams=""
for server in "$@"; do
  upstreams+="    server $server max_fails=1 fail_timeout=10s;\n"
done
user_line="user $(id -un);"
[ "$(id -u)" = 0 ] || user_line="# (not root: workers run as the current user)"
render() {
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@SITE_DIR@|$prefix/site|g" -e "s|@SITE@|$site|g" \
    -e "s|@LISTEN_PORT@|$listen_port|g" -e "s|@MEDIA_ROOT@|$media_root|g" \
    -e "s|@UPSTREAM_SERVERS@|$upstreams|g" -e "s|@USER_LINE@|$user_line|g" \
    -e "s|@SERVER_NAME@|${SERVER_NAME:-portal.example.org}|g" \
    -e "s|@TLS_CERTIFICATE@|${TLS_CERTIFICATE:-/etc/ssl/certs/portal.pem}|g" \
    -e "s|@TLS_CERTIFICATE_KEY@|${TLS_CERTIFICATE_KEY:-/etc/ssl/private/portal.key}|g" \
    "$1" >"$2"
}
render "$here/nginx/nginx.conf" "$prefix/nginx.conf"
for file in portal-upstream.conf portal-locations.conf portal-http.conf portal-https.conf; do
  render "$here/nginx/$file" "$prefix/site/$file"
done
