"""The web shell: an HTTP API and a server-rendered questionnaire over the same core.

``service`` is pure (no web framework): it runs one stateless interview step and
diagnoses request bodies with the functions the CLI uses. ``pages`` renders HTML
from those values. ``app`` is the FastAPI application that joins them; it is only
imported when the ``serve`` extra is installed.
"""
