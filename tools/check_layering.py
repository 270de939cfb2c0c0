#!/usr/bin/env python3
"""Checks that each module under src/cqlbulk/<m>/ includes only the modules DESIGN.md allows,
and that no module includes another module's *_internal.h. Exit 1 with a list on violation."""
import pathlib
import re
import sys

ALLOWED = {
    "core": set(),
    "cql": {"core"},
    "ring": {"core"},
    "client": {"core", "cql", "ring"},
    "data": {"core"},
    "formats": {"core", "data"},
    "iceberg": {"core", "data", "formats"},
    "ops": {"core", "cql", "ring", "client", "data", "formats", "iceberg"},
    "cli": {"ops", "core"},
    "sim": {"core", "cql", "ring"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*"cqlbulk/([a-z_]+)/([^"]+)"', re.M)


def main(root: pathlib.Path) -> int:
    src = root / "src" / "cqlbulk"
    problems = []
    for module_dir in sorted(p for p in src.iterdir() if p.is_dir()):
        module = module_dir.name
        if module not in ALLOWED:
            problems.append(f"{module_dir}: module '{module}' is not in the DESIGN.md table")
            continue
        for path in sorted(module_dir.rglob("*")):
            if path.suffix not in (".h", ".cc"):
                continue
            for match in INCLUDE.finditer(path.read_text(encoding="utf-8")):
                target, header = match.group(1), match.group(2)
                line = path.read_text(encoding="utf-8")[: match.start()].count("\n") + 1
                where = f"{path.relative_to(root)}:{line}"
                if target != module and target not in ALLOWED[module]:
                    problems.append(f"{where}: {module}/ may not include {target}/ ({header})")
                elif target != module and header.endswith("_internal.h"):
                    problems.append(f"{where}: {header} is internal to {target}/")
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
