#!/bin/sh
# Writes the runlet configuration of a board: configs/default_defconfig (or
# BASE) with the board's fragment boards/BOARD/runlet.config on top, made
# complete as `make olddefconfig` leaves it, so that the build needs no
# Kconfig tool.  Fails when a symbol of the fragment does not end up with
# the value asked for (a dependency unmet, a typo).
#
#   boards/mkconfig.sh BOARD [OUT] [BASE]     OUT defaults to .config
#
#   boards/mkconfig.sh qemu-aarch64 build/arm64.config
#   make O=build/arm64 KCONFIG_CONFIG=build/arm64.config CROSS_COMPILE=aarch64-linux-gnu-
#
# Buildroot and Yocto merge the same fragment with their own tools
# (scripts/buildroot/, scripts/yocto/).  Needs python3 with kconfiglib
# (Debian: python3-kconfiglib).
#
# SPDX-License-Identifier: Apache-2.0
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
	sed -n '/^#   boards/p' "$0" | sed 's/^# *//' >&2
	exit 2
fi
board=$1
out=${2:-.config}
base=${3:-$top/configs/default_defconfig}
frag=$top/boards/$board/runlet.config
[ -f "$frag" ] || { echo "mkconfig: no $frag" >&2; exit 1; }
[ -f "$base" ] || { echo "mkconfig: no $base" >&2; exit 1; }

py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import kconfiglib' 2>/dev/null; then
		py=$p
		break
	fi
done
[ -n "$py" ] || { echo "mkconfig: kconfiglib is missing (apt-get install python3-kconfiglib)" >&2; exit 1; }

cd "$top"
"$py" - "$base" "$frag" "$out" <<'EOF'
import re
import sys

import kconfiglib

base, frag, out = sys.argv[1:4]
kconf = kconfiglib.Kconfig("Kconfig", warn_to_stderr=False)
kconf.warn_assign_override = False
kconf.warn_assign_redun = False
kconf.load_config(base)
kconf.load_config(frag, replace=False)

# What the fragment asks for, to check it was granted.
want = {}
with open(frag) as f:
    for line in f:
        line = line.strip()
        m = re.match(r"^# CONFIG_(\w+) is not set$", line)
        if m:
            want[m.group(1)] = "n"
            continue
        m = re.match(r"^CONFIG_(\w+)=(.*)$", line)
        if m:
            v = m.group(2)
            if v.startswith('"') and v.endswith('"'):
                v = v[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            want[m.group(1)] = v

bad = []
for name, value in want.items():
    sym = kconf.syms.get(name)
    if sym is None or not sym.nodes:
        bad.append("CONFIG_%s: no such symbol in Kconfig" % name)
        continue
    got = sym.str_value
    if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE) and got == "":
        got = "n"
    if got != value:
        bad.append("CONFIG_%s: asked for %s, got %s (depends on %s)"
                   % (name, value, got or "n",
                      kconfiglib.expr_str(sym.direct_dep)))
for w in kconf.warnings:
    if "set more than once" not in w:
        bad.append(w)
if bad:
    sys.stderr.write("mkconfig: %s:\n  %s\n" % (frag, "\n  ".join(bad)))
    sys.exit(1)
kconf.write_config(out, header="")
EOF
echo "mkconfig: $out from $(basename "$base") and boards/$board/runlet.config"
