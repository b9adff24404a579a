"""Loaded by schemathesis (SCHEMATHESIS_HOOKS) in test_openapi.py.

NDJSON request bodies are text: schemathesis has no serializer for them, so it is told to send
them the way it sends text/plain, under the media type the description declares.
"""
import schemathesis

schemathesis.serializer.alias("application/x-ndjson", "text/plain")
