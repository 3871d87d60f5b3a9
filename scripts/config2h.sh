#!/bin/sh
# Turns a Kconfig .config into a C header without any Kconfig tool:
#   CONFIG_X=y            -> #define CONFIG_X 1
#   # CONFIG_X is not set -> #define CONFIG_X 0
#   CONFIG_X=123 / "str"  -> #define CONFIG_X 123 / "str"
# Every bool declared in Kconfig is defined, 0 when absent, so that C code can
# test it with a plain if () and the compiler still type-checks the branch.
set -eu
kconfig=$1
config=$2

echo "/* generated from $config: do not edit */"
echo "#ifndef RUNLET_CONFIG_H"
echo "#define RUNLET_CONFIG_H"
awk '
	FNR == NR {
		if ($1 == "config") sym = $2
		else if (sym != "" && $1 == "bool") { bools[sym] = 1; sym = "" }
		else if (sym != "" && ($1 == "int" || $1 == "string")) sym = ""
		next
	}
	/^CONFIG_[A-Za-z0-9_]+=/ {
		eq = index($0, "=")
		name = substr($0, 1, eq - 1)
		val = substr($0, eq + 1)
		if (val == "y") val = 1
		else if (val == "n") val = 0
		printf "#define %s %s\n", name, val
		seen[name] = 1
		next
	}
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ {
		printf "#define %s 0\n", $2
		seen[$2] = 1
	}
	END {
		for (b in bools)
			if (!(("CONFIG_" b) in seen))
				printf "#define CONFIG_%s 0\n", b
	}
' "$kconfig" "$config" | sort
echo "#endif"
