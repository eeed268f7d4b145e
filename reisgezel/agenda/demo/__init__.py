"""Demo data for a first look at Reisgezel (see docs/demo.md): `load_demo()`."""
