#!/bin/sh
# readability.sh: Flesch-Kincaid grade of the prose of each advice entry,
# measured with GNU style (Debian package diction). Configuration and
# commands (indented lines) are left out; list markers are dropped.
#   tests/readability.sh [--max GRADE] [help/*.txt]
# Prints "grade id" per entry, worst first; exits 1 when one is above GRADE.
set -eu
max=""
if [ "${1:-}" = "--max" ]; then
	max=$2
	shift 2
fi
[ $# -gt 0 ] || set -- "$(dirname "$0")"/../help/*.txt
command -v style >/dev/null 2>&1 || { echo "readability: style missing (apt-get install diction)" >&2; exit 2; }
tmp=$(mktemp)
res=$(mktemp)
trap 'rm -f "$tmp" "$res"' EXIT
for f in "$@"; do
	id=$(basename "$f" .txt)
	LC_ALL=C awk '
	function flush() {
		if (p != "") {
			sub(/:$/, ".", p)
			if (p !~ /[.!?]$/)
				p = p "."
			print p
			print ""
		}
		p = ""
	}
	/^#/ || /^== / { flush(); next }
	/^Title: / { p = substr($0, 8); flush(); next }
	/^(\t|    )/ || /^[ ]*$/ { flush(); next }
	/^[0-9]+\. / { flush(); sub(/^[0-9]+\. /, ""); p = $0; next }
	/^- / { flush(); sub(/^- /, ""); p = $0; next }
	{ p = p == "" ? $0 : p " " $0 }
	END { flush() }' "$f" >"$tmp"
	grade=$(style "$tmp" | awk '/Kincaid:/ { print $2; exit }')
	printf '%s %s\n' "${grade:-99}" "$id" >>"$res"
done
sort -rn "$res"
[ -z "$max" ] && exit 0
awk -v m="$max" '$1 > m { bad = 1 } END { exit bad }' "$res"
