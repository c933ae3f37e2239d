#!/usr/bin/env python3
"""Validates an API document as Swagger 2.0 with swagger-spec-validator (the standard validator
bravado-core itself uses: the official Swagger 2.0 JSON schema plus semantic checks such as
declared path parameters and resolvable $refs), then a few checks it does not make.

Usage: validate-swagger.py path/to/swagger.json   (exit 0 valid, 1 invalid)
"""
import json
import sys
from collections import Counter
from pathlib import Path

from swagger_spec_validator import validator20
from swagger_spec_validator.common import SwaggerValidationError

METHODS = {"get", "put", "post", "delete", "options", "head", "patch"}


def extra_problems(spec):
    problems = []
    ops = []
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method in METHODS:
                ops.append((method.upper(), path, op))
    ids = Counter(op.get("operationId") for _, _, op in ops)
    for method, path, op in ops:
        if not op.get("operationId"):
            problems.append(f"{method} {path}: no operationId")
    problems += [f"operationId {i!r} is used {n} times" for i, n in ids.items() if i and n > 1]
    defined = set(spec.get("securityDefinitions", {}))
    for method, path, op in ops:
        for req in op.get("security", spec.get("security", [])):
            for name in req:
                if name not in defined:
                    problems.append(f"{method} {path}: security {name!r} is not in securityDefinitions")
    return problems, len(ops)


def main(path):
    text = Path(path).read_text(encoding="utf-8")
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as e:
        print(f"{path}: not JSON: {e}")
        return 1
    if spec.get("swagger") != "2.0":
        print(f"{path}: 'swagger' must be \"2.0\", found {spec.get('swagger')!r}")
        return 1
    try:
        validator20.validate_spec(spec, spec_url=Path(path).resolve().as_uri())
    except SwaggerValidationError as e:
        print(f"{path}: INVALID Swagger 2.0 (swagger-spec-validator): {e}")
        return 1
    problems, n_ops = extra_problems(spec)
    if problems:
        print(f"{path}: INVALID:")
        for p in problems:
            print("  - " + p)
        return 1
    print(f"{path}: valid Swagger 2.0 ({n_ops} operations, {len(spec.get('definitions', {}))} "
          f"definitions, basePath {spec.get('basePath')})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
