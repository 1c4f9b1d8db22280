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
# A worker silent for 30 s is killed and restarted; the client's connection is closed.
timeout = 30
graceful_timeout = 30
keepalive = 5
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
