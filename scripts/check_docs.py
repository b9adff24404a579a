#!/usr/bin/env python3
"""Fails (exit 1) when a documented contract is missing its `///` line: every public type of
TariffCore, and every requirement of the store's protocols (Sources/TariffStore/Contract).
Prints FILE:LINE for each one missing. Usage: python3 scripts/check_docs.py [ROOT]"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
public_type = re.compile(r"^\s*(@\w+(\([^)]*\))?\s+)*(public|open)\s+(final\s+|indirect\s+)*(struct|enum|class|actor|protocol|typealias)\s")
requirement = re.compile(r"^\s*(@\w+(\([^)]*\))?\s+)*(static\s+|mutating\s+)*(func|var|init|subscript|associatedtype)\b")


def documented(lines, index):
    """Whether the declaration at `index` has a `///` line above it (attributes may come between)."""
    j = index - 1
    while j >= 0 and lines[j].strip().startswith("@"):
        j -= 1
    return j >= 0 and lines[j].strip().startswith("///")


missing = []
for path in sorted((root / "Sources/TariffCore").rglob("*.swift")):
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        if public_type.match(line) and not documented(lines, i):
            missing.append(f"{path}:{i + 1}: public type without a /// line: {line.strip()}")

for path in sorted((root / "Sources/TariffStore/Contract").rglob("*.swift")):
    lines = path.read_text().splitlines()
    depth = None  # brace depth inside a protocol body, None outside one
    for i, line in enumerate(lines):
        if depth is None:
            if re.match(r"^\s*public\s+protocol\s", line):
                depth = line.count("{") - line.count("}")
            continue
        if depth == 1 and requirement.match(line) and not documented(lines, i):
            missing.append(f"{path}:{i + 1}: store requirement without a /// line: {line.strip()}")
        depth += line.count("{") - line.count("}")
        if depth <= 0:
            depth = None

print("\n".join(missing))
print(f"documentation check: {len(missing)} missing", file=sys.stderr)
sys.exit(1 if missing else 0)
