"""Streamlit pages; each renders from library calls and holds no business logic."""
