#!/usr/bin/env bash
# Checks the two dependency rules of issue 12, each reported on its own:
#   1. backend: no import cycle among the top-level modules of backend/src
#      (`crate::x`, `super::x` and `use crate::{x, ...}` in code, not in
#      comments; a module's files, e.g. routes/**, count as that module);
#      on success it prints the modules in dependency order, leaves first.
#   2. widget: nothing under src/dialog or src/core names `crate::embed`.
# Exits non-zero if either fails. Needs only bash and python3; takes well
# under a second. Run it from anywhere: `scripts/check-layers.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

exec python3 - "$@" <<'PY'
import os, re, sys
from collections import defaultdict

def code_lines(path):
    """(line number, text) with comments and string literals blanked."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    for number, line in enumerate(text.split("\n"), 1):
        line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
        line = line.split("//", 1)[0]
        yield number, line

# ---------------------------------------------------------------- backend
def module_path(src, path):
    """backend/src/routes/resets/mod.rs -> ['routes', 'resets']"""
    parts = os.path.relpath(path, src)[:-3].split(os.sep)
    if parts[-1] == "mod":
        parts.pop()
    return parts

PATH = re.compile(r"\b((?:crate|super|self)(?:::super)*)::(\{[^}]*\}|\w+)")

def references(here, line):
    """Top-level modules named on a line, resolved from module path `here`."""
    for m in PATH.finditer(line):
        head, tail = m.group(1).split("::"), m.group(2)
        if head[0] == "crate":
            base = []
        else:
            base = list(here)
            for word in head:
                if word == "super":
                    base = base[:-1]
        names = [n.strip().split("::")[0] for n in tail.strip("{}").split(",")] if tail.startswith("{") else [tail]
        for name in names:
            name = name.split(" as ")[0].strip()
            if not name or name in ("self", "super", "crate"):
                continue
            target = (base + [name])[0]
            yield target

def backend():
    src = "backend/src"
    roots = {"lib", "main"}  # the crate roots declare modules; they are not one
    edges = defaultdict(dict)  # module -> {dependency: "file:line"}
    modules = set()
    for directory, _, files in os.walk(src):
        for file in sorted(files):
            if not file.endswith(".rs"):
                continue
            path = os.path.join(directory, file)
            here = module_path(src, path)
            if here[0] in roots:
                continue
            modules.add(here[0])
            for number, line in code_lines(path):
                for target in references(here, line):
                    if target != here[0]:
                        edges[here[0]].setdefault(target, f"{path}:{number}")
    for module in list(edges):
        edges[module] = {t: w for t, w in edges[module].items() if t in modules}

    # Tarjan's strongly connected components.
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []
    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v); on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop(); on_stack.discard(w); component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))
    for v in sorted(modules):
        if v not in index:
            visit(v)

    if cycles:
        print("backend: FAIL, import cycles among backend/src modules:")
        for component in cycles:
            members = set(component)
            # One concrete loop through the component, with where each step is.
            start, seen, path = component[0], {component[0]: None}, None
            queue = [start]
            while queue and path is None:
                v = queue.pop(0)
                for w in sorted(edges[v]):
                    if w == start:
                        path = [w]
                        while v is not None:
                            path.append(v); v = seen[v]
                        path.reverse()
                        break
                    if w in members and w not in seen:
                        seen[w] = v; queue.append(w)
            print(f"  cycle among {{{', '.join(component)}}}:")
            for a, b in zip(path, path[1:]):
                print(f"    {a} -> {b}   ({edges[a][b]})")
        return False

    level = {}
    def depth(v):
        if v not in level:
            level[v] = 1 + max((depth(w) for w in edges[v]), default=0)
        return level[v]
    for v in modules:
        depth(v)
    print("backend: ok, no import cycle among backend/src modules. Layers, leaves first:")
    for n in range(1, max(level.values()) + 1):
        layer = sorted(v for v in modules if level[v] == n)
        uses = sorted({w for v in layer for w in edges[v]})
        print(f"  {n}. {', '.join(layer)}" + (f"   (use {', '.join(uses)})" if uses else ""))
    return True

# ---------------------------------------------------------------- widget
def widget():
    found = []
    for top in ("src/dialog", "src/core"):
        for directory, _, files in os.walk(top):
            for file in sorted(files):
                if file.endswith(".rs"):
                    path = os.path.join(directory, file)
                    raw = open(path, encoding="utf-8").read().split("\n")
                    for number, line in code_lines(path):
                        if re.search(r"\bcrate::embed\b", line) or re.search(r"\bcrate::\{[^}]*\bembed\b", line):
                            found.append(f"{path}:{number}: {raw[number - 1].strip()}")
    if found:
        print("widget: FAIL, src/dialog or src/core names crate::embed:")
        for hit in found:
            print(f"  {hit}")
        return False
    print("widget: ok, nothing under src/dialog or src/core names crate::embed.")
    return True

results = [backend(), widget()]
sys.exit(0 if all(results) else 1)
PY
