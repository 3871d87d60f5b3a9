#!/usr/bin/env python3
# Validates the JSON document on stdin against a JSON schema file, resolving
# the schema's relative references ("defs.json#/...") from its own
# directory, never from the network.
#
# usage: validate-json.py SCHEMA.json < DOCUMENT.json
import json
import os
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)

import jsonschema  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: validate-json.py SCHEMA.json < DOCUMENT.json\n")
        return 2
    path = os.path.abspath(sys.argv[1])
    base = os.path.dirname(path)
    store = {}
    for name in os.listdir(base):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(base, name)) as f:
            try:
                doc = json.load(f)
            except ValueError:
                continue
        store["file://" + os.path.join(base, name)] = doc
        for key in ("$id", "id"):
            if isinstance(doc.get(key), str):
                store[doc[key]] = doc
    schema = store.get("file://" + path)
    if schema is None:
        with open(path) as f:
            schema = json.load(f)
    try:
        document = json.load(sys.stdin)
    except ValueError as e:
        sys.stderr.write("not JSON: %s\n" % e)
        return 1
    resolver = jsonschema.RefResolver(base_uri="file://" + path, referrer=schema, store=store)
    cls = jsonschema.validators.validator_for(schema)
    errors = sorted(cls(schema, resolver=resolver).iter_errors(document), key=lambda e: list(e.path))
    for e in errors:
        where = "/".join(str(p) for p in e.path) or "(top)"
        sys.stderr.write("%s: %s\n" % (where, e.message))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
