"""JSON-LD documents for the persistent URIs (/id/<kind>/<id>).

`schema_org` (and `schema_org_texts`) follow the Dutch NDE application profile
SCHEMA-AP-NDE; `linked_art` follows the Linked Art API 1.0 (objects, agents,
collections). `negotiation` picks the representation from the Accept header.
"""
