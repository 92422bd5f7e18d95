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
	if (apps[np] == "" || ng[np] == 0 || nsa[np] == 0 || aia[np] == "" ||
	    sha1[np] == "" || minrsa[np] == "" || mindh[np] == "")
		die("a profile needs apps:, groups:, sigalgs:, aia:, sha1:, " \
		    "min_rsa: and min_dh:")
	id[np] = cur
	sub(/^.*\//, "", id[np])
	sub(/\.txt$/, "", id[np])
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
# Code point lists: "groups: 0x001d 0x0017", "sigalgs: 0x0403 0x0804".
function codes(what, arr, cnt,   i) {
	for (i = 2; i <= NF; i++) {
		if ($i !~ /^0x[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$/)
			die(what " wants 4-digit hex code points (0x001d)")
		arr[np, cnt + i - 2] = toupper(substr($i, 3))
	}
	return NF - 1
}
/^groups:/ { ng[np] = codes("groups:", groups, 0); next }
/^sigalgs:/ { nsa[np] = codes("sigalgs:", sigalgs, 0); next }
/^apps:/ {
	apps[np] = ""
	for (i = 2; i <= NF; i++) {
		if ($i == "browser")
			apps[np] = apps[np] " | CLIENT_APP_BROWSER"
		else if ($i == "mail")
			apps[np] = apps[np] " | CLIENT_APP_MAIL"
		else if ($i == "program")
			apps[np] = apps[np] " | CLIENT_APP_PROGRAM"
		else
			die("apps: is a list of browser, mail, program")
	}
	sub(/^ \| /, "", apps[np])
	if (apps[np] == "")
		die("apps: names at least one of browser, mail, program")
	next
}
function rule(v) {
	if (v == "yes" || v == "refuse")
		return "CLIENT_RULE_YES"
	if (v == "no" || v == "accept")
		return "CLIENT_RULE_NO"
	if (v == "public")
		return "CLIENT_RULE_PUBLIC"
	if (v == "unknown")
		return "CLIENT_RULE_UNKNOWN"
	die("a rule is yes, no, public or unknown (sha1: refuse or accept)")
}
/^old:/ {
	if ($2 != "0" && $2 != "1")
		die("old: is 0 or 1")
	old[np] = $2
	next
}
/^aia:/ { aia[np] = rule($2); next }
/^sha1:/ { sha1[np] = rule($2); next }
/^min_rsa:/ {
	if ($2 !~ /^[0-9]+$/)
		die("min_rsa: wants bits")
	minrsa[np] = $2
	next
}
/^min_dh:/ {
	if ($2 !~ /^[0-9]+$/)
		die("min_dh: wants bits")
	mindh[np] = $2
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
		printf "static const uint16_t groups_%d[] = {", p
		for (i = 0; i < ng[p]; i++)
			printf " 0x%s,", groups[p, i]
		print " };"
		printf "static const uint16_t sigalgs_%d[] = {", p
		for (i = 0; i < nsa[p]; i++)
			printf "%s0x%s,", (i % 8 == 0) ? "\n\t" : " ", sigalgs[p, i]
		print "\n};"
	}
	print ""
	print "static const struct client_profile profiles[] = {"
	for (p = 0; p < np; p++) {
		printf "\t{ .name = %s,\n\t    .source = %s,\n", cstr(name[p]),
		    cstr(source[p])
		printf "\t    .id = %s, .current = %d, .old = %d, .apps = %s,\n",
		    cstr(id[p]), current[p] + 0, old[p] + 0, apps[p]
		printf "\t    .min_version = %s, .max_version = %s,\n", vmin[p],
		    vmax[p]
		printf "\t    .suites = suites_%d, .nsuites = %d,\n", p, ns[p]
		printf "\t    .groups = groups_%d, .ngroups = %d,\n", p, ng[p]
		printf "\t    .sigalgs = sigalgs_%d, .nsigalgs = %d,\n", p, nsa[p]
		printf "\t    .aia = %s, .sha1 = %s, .min_rsa = %d, .min_dh = %d },\n",
		    aia[p], sha1[p], minrsa[p], mindh[p]
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
