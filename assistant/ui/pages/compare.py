"""Page script for st.navigation; the page itself is assistant.ui.compare_page."""

from assistant.ui import compare_page
from assistant.ui.common import safe

safe(compare_page.render)()
