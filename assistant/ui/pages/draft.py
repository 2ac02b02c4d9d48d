"""Page script for st.navigation; the page itself is assistant.ui.draft_page."""

from assistant.ui import draft_page
from assistant.ui.common import safe

safe(draft_page.render)()
