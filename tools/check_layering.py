#!/usr/bin/env python3
"""Checks the layering of src/cqlbulk/ and exits 1 with a list on violation:

- each module under src/cqlbulk/<m>/ includes only the modules DESIGN.md allows, and no module
  includes another module's *_internal.h;
- a module split into subfolders (SUBFOLDERS) keeps every file in one of them, and its
  subfolders depend one way: each may include itself and the subfolders listed before it,
  never one listed after it; a *_internal.h is internal to its subfolder;
- no folder holds more than MAX_FILES sources: STYLE.md §1 says a module that grows past
  about 25 files gets subfolders by responsibility (a module folder past SPLIT_AT files gets
  a note; any folder, module or subfolder, past MAX_FILES fails)."""
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
# Subfolders by responsibility, lowest first (each module's README.md says what each holds).
SUBFOLDERS = {
    "cql": ["types", "protocol"],
    "sim": ["parser", "model", "storage", "system_tables", "engine", "server"],
    "formats": ["io", "text", "avro", "csv", "json", "parquet"],
    "iceberg": ["spec", "metadata", "catalog", "table"],
}
SPLIT_AT = 25  # sources in one folder before the check suggests subfolders
MAX_FILES = 32  # sources in one folder before the check fails
INCLUDE = re.compile(r'^\s*#\s*include\s*"cqlbulk/([a-z_]+)/([^"]+)"', re.M)


def subfolder_of(relative):
    """The subfolder of a path relative to its module folder, None at the module's root."""
    return relative.parts[0] if len(relative.parts) > 1 else None


def main(root: pathlib.Path) -> int:
    src = root / "src" / "cqlbulk"
    problems = []
    notes = []
    for module_dir in sorted(p for p in src.iterdir() if p.is_dir()):
        module = module_dir.name
        if module not in ALLOWED:
            problems.append(f"{module_dir}: module '{module}' is not in the DESIGN.md table")
            continue
        order = SUBFOLDERS.get(module)
        sources = sorted(p for p in module_dir.rglob("*") if p.suffix in (".h", ".cc"))
        for folder in sorted({p.parent for p in sources}):
            count = sum(1 for p in sources if p.parent == folder)
            where = f"{folder.relative_to(root)}/"
            if count > MAX_FILES:
                problems.append(f"{where}: {count} files in one folder (at most {MAX_FILES}); "
                                "split it into subfolders by responsibility (STYLE.md §1)")
            elif count > SPLIT_AT and folder == module_dir:
                notes.append(f"note: {where} holds {count} files; past about {SPLIT_AT}, "
                             "split it into subfolders by responsibility (STYLE.md §1)")
        for path in sources:
            text = path.read_text(encoding="utf-8")
            sub = subfolder_of(path.relative_to(module_dir))
            if order is not None and sub not in order:
                problems.append(f"{path.relative_to(root)}: not in one of {module}/'s subfolders "
                                f"({', '.join(order)}); add a new one to SUBFOLDERS in its place")
                continue
            for match in INCLUDE.finditer(text):
                target, header = match.group(1), match.group(2)
                line = text[: match.start()].count("\n") + 1
                where = f"{path.relative_to(root)}:{line}"
                if target != module:
                    if target not in ALLOWED[module]:
                        problems.append(f"{where}: {module}/ may not include {target}/ ({header})")
                    elif header.endswith("_internal.h"):
                        problems.append(f"{where}: {header} is internal to {target}/")
                    continue
                if order is None:
                    continue
                target_sub = subfolder_of(pathlib.PurePosixPath(header))
                if target_sub not in order:
                    problems.append(f"{where}: {module}/{header} is in none of {module}/'s "
                                    f"subfolders ({', '.join(order)})")
                elif order.index(target_sub) > order.index(sub):
                    problems.append(
                        f"{where}: {module}/{sub}/ may not include {module}/{target_sub}/ "
                        f"({header}); {module}/ depends one way: {' < '.join(order)}")
                elif target_sub != sub and header.endswith("_internal.h"):
                    problems.append(f"{where}: {header} is internal to {module}/{target_sub}/")
    for n in notes:
        print(n)
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
