"""Sphinx configuration of the govparts documentation site.

The source is written in Chinese (``zh_CN``); English (``en``) and Uyghur (``ug``) are gettext
translations under ``locale/<lang>/LC_MESSAGES``. ``python docs/build.py`` builds all three with
warnings as errors; see that file for updating the translation catalogs.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

project = "govparts"
author = "govparts contributors"
copyright = "govparts contributors"

extensions = ["myst_parser", "govparts_bidi", "govparts_codes", "govparts_parts", "sphinx.ext.graphviz"]

# State diagrams are drawn by Graphviz at build time as SVG: no JavaScript, no CDN.
graphviz_output_format = "svg"

language = "zh_CN"
locale_dirs = ["locale/"]
gettext_compact = False
gettext_location = False
gettext_uuid = False
gettext_allow_fuzzy_translations = False

nitpicky = True
exclude_patterns = ["_build", "examples", "locale", "README.md"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["rtl.css", "govparts-parts.css"]
# Sphinx 9.0's Chinese search page needs this shim (see the file); tests/test_docs_browser.py checks it.
html_js_files = ["zh-search-stemmer.js"]

html_theme = "furo"
html_title = "govparts"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
