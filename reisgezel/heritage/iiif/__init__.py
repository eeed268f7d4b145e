"""IIIF for the heritage collections: static Image API 3.0 tiles and Presentation API 3.0
manifests and collections."""
