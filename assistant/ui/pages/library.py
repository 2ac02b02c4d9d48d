"""Page script for st.navigation; the page itself is assistant.ui.library_page."""

from assistant.ui import library_page
from assistant.ui.common import safe

safe(library_page.render)()
