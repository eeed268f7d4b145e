"""OAI-PMH 2.0 data provider for the heritage collections (served at /oai).

Layout: `arguments` parses and checks a request, `tokens` signs resumption tokens,
`records` reads headers and records page by page (keyset, no OFFSET), `dc` and `lido`
write the two metadata formats, `render` streams the XML envelope and `protocol` ties
the six verbs together. See docs/oai-pmh.md.
"""
