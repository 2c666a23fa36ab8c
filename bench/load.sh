#!/usr/bin/env bash
# Load figures for two pages under gunicorn on 127.0.0.1 (SQLite, or DATABASE_URL if set):
# the public login page and a signed-in buyer's purchase list. Bounded: 10 s per URL.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)"; exit 1; }
work=$(mktemp -d)
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export SECRET_KEY=bench SESSION_COOKIE_SECURE=0 LOGIN_RATE_LIMIT="100000 per minute" JOBS_EMBUTIDOS=0
export DATABASE_URL=${DATABASE_URL:-sqlite:///$work/bench.db}
.venv/bin/flask --app app init-db >/dev/null
.venv/bin/flask --app app demo-data >/dev/null
.venv/bin/gunicorn -w 2 -b 127.0.0.1:$port 'app:create_app()' --log-level warning &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/entrar" >/dev/null && break; sleep 0.2; done
token=$(curl -fs -c "$work/jar" "http://127.0.0.1:$port/entrar" | sed -n 's/.*name="csrf_token" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -b "$work/jar" -c "$work/jar" -o /dev/null \
  --data-urlencode "csrf_token=$token" --data "cpf=12345678909&senha=demo12345" "http://127.0.0.1:$port/entrar"
cookie=$(awk '$6=="session"{print "session="$7}' "$work/jar")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$port/pedidos/processos")
[ "$code" = 200 ] || { echo "signed-in page answered $code, not 200"; exit 1; }
echo "GET /entrar:              $(wrk -t2 -c16 -d10s -s bench/report.lua "http://127.0.0.1:$port/entrar" | tail -1)"
echo "GET /pedidos/processos:   $(wrk -t2 -c16 -d10s -s bench/report.lua -H "Cookie: $cookie" "http://127.0.0.1:$port/pedidos/processos" | tail -1)"
