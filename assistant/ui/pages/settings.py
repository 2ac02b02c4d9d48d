"""Page script for st.navigation; the page itself is assistant.ui.settings_page."""

from assistant.ui import settings_page
from assistant.ui.common import safe

safe(settings_page.render)()
