"""Production settings: absolute URLs under the public address.

Set ARCHIVE_SITEURL in the environment to publish under another address.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("ARCHIVE_SITEURL", "https://reports.example.org")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False
