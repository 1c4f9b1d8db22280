#!/usr/bin/env bash
# A long, seeded schemathesis run against production settings under gunicorn (DEBUG off),
# on a throwaway SQLite database loaded with the seed records. Every check; writes are sent
# without credentials (so each must be a declared 401). Exits non-zero on any failure, or if
# fewer than FUZZ_MIN_CASES cases ran. Usage: BIN=.venv/bin scripts/fuzz.sh
set -euo pipefail

BIN=${BIN:-.venv/bin}
SEED=${FUZZ_SEED:-20261123}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-100}  # per operation, in the fuzzing phase (45 operations)
MIN_CASES=${FUZZ_MIN_CASES:-5000}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/register-fuzz.XXXXXX")
PORT=${FUZZ_PORT:-$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE="http://127.0.0.1:$PORT"
GUNICORN_PID=

stop() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill "$GUNICORN_PID" && wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap stop EXIT

export DJANGO_SETTINGS_MODULE=config.settings.production DEBUG=0
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export SECRET_KEY=${SECRET_KEY:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')}
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export SECURE_HSTS_SECONDS=0
export SCHEMATHESIS_HOOKS=tests.acceptance.schema_hooks  # cursor paging (see that module)
export THROTTLE_ANON=1000000/minute  # the fuzzer is one client; the rate limit has its own tests

"$BIN/python" manage.py migrate --noinput -v0
"$BIN/python" manage.py load_records >/dev/null
"$BIN/python" manage.py collectstatic --noinput -v0

"$BIN/gunicorn" config.wsgi --config config/gunicorn.py --bind "127.0.0.1:$PORT" \
    --workers "${WEB_CONCURRENCY:-2}" --access-logfile /dev/null \
    --log-level warning >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 50); do
    curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fsS "$BASE/readyz" >/dev/null || { cat "$WORK/gunicorn.log"; exit 1; }

started=$(date +%s)
status=0
"$BIN/schemathesis" run "$BASE/api/schema/?format=json" \
    --checks all --phases examples,coverage,fuzzing --mode all \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" --generation-database none \
    --workers 2 --request-timeout 30 --no-color 2>&1 | tee "$WORK/run.log" || status=$?
elapsed=$(($(date +%s) - started))

cases=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$WORK/run.log" | tail -1)
echo "fuzz: ${cases:-no} cases, seed $SEED, $MAX_EXAMPLES examples per operation, ${elapsed}s, schemathesis exit status $status"
if [ "${cases:-0}" -lt "$MIN_CASES" ]; then
    echo "fuzz: fewer than $MIN_CASES cases ran"; status=1
fi
if grep -Eq 'Traceback|"level": "(ERROR|CRITICAL)"' "$WORK/gunicorn.log"; then
    echo "fuzz: the server logged errors:"
    grep -E -A20 'Traceback|"level": "(ERROR|CRITICAL)"' "$WORK/gunicorn.log" | head -100
    status=1
fi
exit "$status"
