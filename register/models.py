"""No models: register composes the other apps' records.

The module exists because Django sends post_migrate only to apps that have one, and
register/apps.py needs that signal to keep the curators group in step.
"""
