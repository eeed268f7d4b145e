"""Darwin Core Archive of the public natural-history specimens (/data/specimens.dwca.zip).

`rows` maps a specimen to an Occurrence row and its images to Multimedia rows,
`metadata` writes meta.xml and eml.xml (GBIF EML profile 1.3), `archive` streams all
of it into a zip file and knows whether the file on disk is still current, `tasks`
rebuilds it in the background. See docs/open-data.md.
"""
