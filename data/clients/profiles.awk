# profiles.awk: data/clients/*.txt -> C (client_profiles(), see suites.h).
# Run by data/clients.mk; any malformed line fails the build.
function cstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}
function die(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	bad = 1
	exit 1
}
function finish(   i) {
	if (cur == "")
		return
	if (name[np] == "" || source[np] == "" || vmin[np] == "")
		die("a profile needs name:, source: and versions:")
	if (ns[np] == 0)
		die("a profile needs at least one suite line")
	np++
	cur = ""
}
function hexval(s,   i, c, v) {
	v = 0
	s = tolower(substr(s, 3))
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1))
		v = v * 16 + c - 1
	}
	return v
}
BEGIN {
	np = 0
	print "/* Generated from data/clients/*.txt by data/clients/profiles.awk:"
	print " * do not edit. */"
	print "#include \"suites.h\""
	print ""
}
FNR == 1 {
	finish()
	cur = FILENAME
	ns[np] = 0
}
/^[ \t]*(#|$)/ { next }
/^name:/ { sub(/^name:[ \t]*/, ""); name[np] = $0; next }
/^source:/ { sub(/^source:[ \t]*/, ""); source[np] = $0; next }
/^current:/ {
	if ($2 != "0" && $2 != "1")
		die("current: is 0 or 1")
	current[np] = $2
	next
}
/^versions:/ {
	if (NF != 3 || $2 !~ /^0x030[0-4]$/ || $3 !~ /^0x030[0-4]$/ ||
	    hexval($2) > hexval($3))
		die("versions: wants two wire versions, low then high")
	vmin[np] = $2
	vmax[np] = $3
	next
}
/^suite[ \t]/ {
	if ($2 !~ /^0x[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$/)
		die("suite wants a 4-digit hex code point (0x1301)")
	suites[np, ns[np]++] = toupper(substr($2, 3))
	next
}
{ die("unknown line: " $0) }
END {
	if (bad)
		exit 1
	finish()
	if (bad)
		exit 1
	if (np == 0) {
		print "no client profiles" > "/dev/stderr"
		exit 1
	}
	for (p = 0; p < np; p++) {
		printf "static const uint16_t suites_%d[] = {", p
		for (i = 0; i < ns[p]; i++)
			printf "%s0x%s,", (i % 8 == 0) ? "\n\t" : " ", suites[p, i]
		print "\n};"
	}
	print ""
	print "static const struct client_profile profiles[] = {"
	for (p = 0; p < np; p++) {
		printf "\t{ %s,\n\t    %s,\n\t    %d, %s, %s, suites_%d, %d },\n",
		    cstr(name[p]), cstr(source[p]), current[p] + 0, vmin[p],
		    vmax[p], p, ns[p]
	}
	print "};"
	print ""
	print "const struct client_profile *"
	print "client_profiles(size_t *n)"
	print "{"
	print "\t*n = sizeof profiles / sizeof profiles[0];"
	print "\treturn profiles;"
	print "}"
}
