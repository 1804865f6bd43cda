"""Production settings: absolute URLs under the public address.

Set ARCHIVE_SITEURL in the environment to publish under another address.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("ARCHIVE_SITEURL", "https://reports.example.org")
FEED_DOMAIN = SITEURL  # feeds, sitemap and canonical links use the public address
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False
INCREMENTAL_BUILD = False  # every release is built from nothing into a fresh folder

# `invoke publish` builds each release into PUBLISH_ROOT/releases/<UTC time>/ and
# then switches the PUBLISH_ROOT/current link (the web server's root) to it in one
# rename; the newest PUBLISH_KEEP releases stay for `invoke rollback`.
PUBLISH_ROOT = os.environ.get("ARCHIVE_PUBLISH_ROOT", "publish")  # relative to this file's folder
PUBLISH_KEEP = 5
