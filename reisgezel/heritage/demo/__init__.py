"""Demo data of the heritage knowledge centre: `manage.py load_heritage_demo`.

Maastricht ceramics (Petrus Regout / De Sphinx, Société Céramique, Mosa), fossils of
the Maastricht Formation, 50 Mestreechs dictionary entries and 3 exhibits, with
generated pictures. Deterministic (fixed seed) and idempotent (see loader.py).
"""
