"""The Streamlit workbench (Chinese UI). Each page is a thin layer over the library."""

import streamlit as st

from assistant.ui import corpus_page

st.set_page_config(page_title="绩效指标助手", page_icon="📊", layout="wide")

navigation = st.navigation([st.Page(corpus_page.render, title="语料", icon="📚", url_path="corpus")])
navigation.run()
