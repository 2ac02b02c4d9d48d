"""The Streamlit workbench (Chinese UI). Each page is a thin layer over the library."""

import streamlit as st

from assistant.ui import compare_page, corpus_page, draft_page, review_page, settings_page
from assistant.ui.common import safe

st.set_page_config(page_title="绩效指标助手", page_icon="📊", layout="wide")

pages = [
    st.Page(safe(draft_page.render), title="起草", icon="✍️", url_path="draft", default=True),
    st.Page(safe(review_page.render), title="审核", icon="🔍", url_path="review"),
    st.Page(safe(compare_page.render), title="对比", icon="📊", url_path="compare"),
    st.Page(safe(corpus_page.render), title="语料", icon="📚", url_path="corpus"),
    st.Page(safe(settings_page.render), title="设置", icon="⚙️", url_path="settings"),
]
st.navigation(pages).run()
