"""Development settings: relative links, everything the archive writes.

`publishconf.py` imports these and adds what production needs.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))

SITENAME = "Steppe Reports"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = []
STATIC_PATHS = ["images"]
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Asia/Almaty"
DEFAULT_LANG = "kk"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

# Only the project's plugin: installed namespace plugins would otherwise all load.
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["newsarchive"]

# Every language version is an article of its own section; the plugin links
# translations through `Translation_key`, so Pelican's own grouping is off.
ARTICLE_TRANSLATION_ID = None
ARTICLE_URL = "{lang}/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{lang}/{date:%Y}/{date:%m}/{slug}/index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
DRAFT_URL = "drafts/{lang}/{slug}/"
DRAFT_SAVE_AS = "drafts/{lang}/{slug}/index.html"
DRAFT_LANG_URL = DRAFT_URL
DRAFT_LANG_SAVE_AS = DRAFT_SAVE_AS

# Pelican's own listings are replaced by the plugin's per-language views.
DIRECT_TEMPLATES = []
INDEX_SAVE_AS = ""
TAG_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# The plugin's own feeds (plugins/newsarchive/feeds.py): per language, per tag,
# category and region, and one for all languages; each holds the newest entries.
FEED_MAX_ENTRIES = 50
# Feeds, the sitemap, canonical links and OpenGraph need absolute addresses.
# They use SITEURL; while it is empty (this development build) they use
# FEED_DOMAIN, the address `invoke serve` shows the site at.
FEED_DOMAIN = "http://127.0.0.1:8000"
# Events are upcoming or past relative to this date (YYYY-MM-DD); None means
# the day of the build in TIMEZONE. Tests set it so they do not age.
EVENTS_TODAY = None

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "taxonomy": None, "archive": None}
PAGINATION_PATTERNS = [
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
]

JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "extensions": ["jinja2.ext.i18n"],
    # Each build makes its own environment: a template cannot change while it renders, and
    # checking its file's date on every include is one stat per article card.
    "auto_reload": False,
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.smarty": {"smart_quotes": False},
    },
    "output_format": "html5",
}

# Reading Markdown is the slowest step; keep parsed articles between builds.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = ".cache"
# Compressing the cache costs about 2 s per build at 5,000 articles; disk is cheaper.
GZIP_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
# Rebuilds rewrite only files whose bytes change, remove the pages of deleted or
# renamed articles, and do nothing when no input changed (plugins/newsarchive/incremental.py).
INCREMENTAL_BUILD = True

USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "news"
READERS = {"rst": None}  # Markdown only; Pelican reports .rst files it finds

# Run Pagefind over the output after every build (/<lang>/search/ needs it);
# tests that never search switch it off to build faster.
SEARCH_INDEX = True
# One Pagefind run holds what it indexes in memory (~280 kB per report): a language
# with more reports is indexed in parts of whole months, searched together.
SEARCH_PAGES_PER_INDEX = 2000

# Content checks (plugins/newsarchive/validate.py) stop the build on every
# problem. During a migration, these named checks may report warnings instead:
# broken-link, missing-image, unknown-metadata, event-dates.
CHECKS_AS_WARNINGS = []
# Article bodies are sanitized (plugins/newsarchive/sanitize.py); <iframe>
# video embeds are kept only from these hosts, over https.
VIDEO_EMBED_HOSTS = ["www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com"]
