"""Page script for st.navigation; the page itself is assistant.ui.review_page."""

from assistant.ui import review_page
from assistant.ui.common import safe

safe(review_page.render)()
