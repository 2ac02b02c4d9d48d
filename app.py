"""The Streamlit workbench (Chinese UI). Each page is a thin layer over the library."""

import streamlit as st

st.set_page_config(page_title="绩效指标助手", page_icon=":material/analytics:", layout="wide")

PAGES = "assistant/ui/pages"
st.navigation(
    [
        st.Page(f"{PAGES}/draft.py", title="起草", icon=":material/edit_note:", url_path="draft", default=True),
        st.Page(f"{PAGES}/review.py", title="审核", icon=":material/fact_check:", url_path="review"),
        st.Page(f"{PAGES}/compare.py", title="对比", icon=":material/compare:", url_path="compare"),
        st.Page(f"{PAGES}/library.py", title="指标库", icon=":material/menu_book:", url_path="library"),
        st.Page(f"{PAGES}/corpus.py", title="语料", icon=":material/library_books:", url_path="corpus"),
        st.Page(f"{PAGES}/settings.py", title="设置", icon=":material/settings:", url_path="settings"),
    ]
).run()
