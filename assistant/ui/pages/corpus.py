"""Page script for st.navigation; the page itself is assistant.ui.corpus_page."""

from assistant.ui import corpus_page
from assistant.ui.common import safe

safe(corpus_page.render)()
