"""The guide corpus: shipped guides, ingestion of user files, and retrieval from Chroma."""
