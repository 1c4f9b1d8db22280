"""gunicorn settings (`gunicorn -c config/gunicorn.py config.wsgi`; `make serve` uses them).

gunicorn answers requests over these limits itself, with a short HTML page, before Django
sees them. The app's own limits (config/settings/base.py) are lower wherever they overlap,
so anything gunicorn lets through is answered by the app, in the API's JSON error shape.
See docs/api.md, "Limits".
"""

import os

# Request line (method, URL, version): 8190 bytes, gunicorn's maximum; the app refuses URLs
# over MAX_URL_LENGTH (4096) first, with a JSON 414.
limit_request_line = 8190
# At most 100 header fields, each at most 8190 bytes (over either: gunicorn's HTML 400).
limit_request_fields = 100
limit_request_field_size = 8190
# gthread workers: requests run in a pool of threads while the worker's main thread keeps
# beating, so a long response (an export of a million records streams for tens of seconds,
# longer to a slow client) is not cut off. `timeout` then restarts only a worker whose main
# thread stopped beating for 30 s (stuck); what ends a runaway request is the database's
# statement timeout (below). A sync worker's `timeout` kills every response longer than 30 s.
worker_class = "gthread"
# An export holds one thread while the other answers; more threads would share one GIL.
threads = int(os.environ.get("WEB_THREADS", "2"))
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 30
graceful_timeout = 30  # on a restart, a response still streaming after 30 s is cut off
keepalive = 5
# The workers' database statements are cancelled after this many seconds (PostgreSQL; the
# request gets a JSON 500): a query no index serves cannot hold a thread and a connection for
# ever. An export is one short query per batch. Commands (imports, migrations) are not bound.
raw_env = [f"DATABASE_STATEMENT_TIMEOUT={os.environ.get('DATABASE_STATEMENT_TIMEOUT', '30')}"]
accesslog = "-"


def post_worker_init(worker):
    """Move everything the worker has loaded (Django, the apps, their modules) out of the
    garbage collector's reach once the application is up.

    Python's oldest-generation collections walk every tracked object; in a loaded worker that
    is hundreds of thousands of objects that live as long as the process, and a response that
    builds many objects (the relations timeline's 536 treaties at 100k) set one off every few
    requests: 125 ms instead of 45 (docs/benchmarks.md). What requests create is still
    collected as before; what is frozen is never freed, and is never garbage."""
    import gc

    gc.collect()
    gc.freeze()
