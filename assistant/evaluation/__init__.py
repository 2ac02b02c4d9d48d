"""Measuring the tool on labelled filings: ingest, review, retrieval and drafting, on the dev and
test splits of the national corpus, with the seed (in-sample) figures reported apart.

Labels live beside the corpus (`corpus/labels/`, see docs/labeling.md); every function takes the
corpus folder it measures, so a test or a user can point it at another labelled corpus.
"""
