# help.awk: turn help/*.txt into C (struct help_entry help_data[]).
# Run as: LC_ALL=C awk -f help/help.awk help/*.txt > help_data.c
#
# Entry format (one file per entry, the file name is the id):
#   Title: a title a non-expert understands
#   == Meaning | == Who | == Steps | == Check | == Don't
# A glossary entry (name "term.WORD": a word the wizard's screens use, one
# per check line: term.<check key>) has only Title: and == Meaning.
# In a section, text lines are joined into one paragraph until a blank
# line. "N. " starts a numbered step, "- " a bullet (continuation lines are
# joined to it). A line indented by a tab or 4 spaces is kept verbatim
# (configuration, commands). '#' lines are comments. ASCII only, so that
# help_render may count a byte as a column.
# Output lines: a paragraph, a step "N. text", a bullet "- text", or a
# verbatim line "\ttext", joined with '\n'.

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	err = 1
	exit 1
}

# A C string literal. A loop, not gsub: awks disagree on backslashes in
# gsub replacements.
function cstr(s,   i, c, r) {
	r = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" || c == "\"")
			r = r "\\" c
		else if (c == "\t")
			r = r "\\t"
		else if (c == "\n")
			r = r "\\n"
		else
			r = r c
	}
	return "\"" r "\""
}

# Close the paragraph or item being joined.
function flush() {
	if (cur != "") {
		body[sec] = body[sec] (body[sec] == "" ? "" : "\n") cur
		cur = ""
	}
}

function addline(s) {
	flush()
	body[sec] = body[sec] (body[sec] == "" ? "" : "\n") s
}

function finish(   i, k, s, first, n) {
	if (id == "")
		return
	flush()
	if (title == "")
		fail("no Title:")
	if (id ~ /^term\./) {
		if (body["Meaning"] == "")
			fail("empty or missing section == Meaning")
		for (i = 2; i <= nsec; i++)
			if (body[secs[i]] != "")
				fail("a term has only == Meaning")
	} else {
		for (i = 1; i <= nreq; i++)
			if (body[req[i]] == "")
				fail("empty or missing section == " req[i])
		if (body["Steps"] !~ /^1\. /)
			fail("== Steps must start with \"1. \"")
	}
	first = body["Steps"]
	sub(/\n.*/, "", first)
	sub(/^1\. /, "", first)
	out[++nout] = sprintf("\t{ %s, %s,\n", cstr(id), cstr(title))
	for (i = 1; i <= nsec; i++) {
		s = body[secs[i]]
		n = split(s, lines, "\n")
		if (n == 0) {
			out[nout] = out[nout] "\t    \"\",\n"
			continue
		}
		for (k = 1; k <= n; k++)
			out[nout] = out[nout] "\t    " cstr(lines[k] (k < n ? "\n" : "")) \
			    (k < n ? "\n" : ",\n")
	}
	out[nout] = out[nout] "\t},\n"
	firstv[nout] = cstr(first)
}

BEGIN {
	nsec = split("Meaning Who Steps Check Don't", secs, " ")
	nreq = split("Meaning Who Steps Check", req, " ")
	for (i = 1; i <= nsec; i++)
		known[secs[i]] = 1
}

FNR == 1 {
	finish()
	id = FILENAME
	sub(/.*\//, "", id)
	sub(/\.txt$/, "", id)
	if (id !~ /^[a-z0-9_.-]+$/)
		fail("bad entry name " id)
	title = ""
	sec = ""
	cur = ""
	step = 0
	for (i = 1; i <= nsec; i++)
		body[secs[i]] = ""
	delete seen
}

{ sub(/\r$/, "") }
/[^\t -~]/ { fail("non-ASCII or control byte") }
/^#/ { next }

sec == "" && /^Title: / {
	title = substr($0, 8)
	next
}

/^== / {
	flush()
	sec = substr($0, 4)
	if (!(sec in known))
		fail("unknown section " sec)
	if (sec in seen)
		fail("section twice: " sec)
	seen[sec] = 1
	next
}

sec == "" {
	if ($0 != "")
		fail("text before the first section")
	next
}

/^(\t|    )/ {
	s = $0
	sub(/^(\t|    )/, "", s)
	addline("\t" s)
	next
}

/^[ ]*$/ { flush(); next }

/^[0-9]+\. / {
	flush()
	n = $0
	sub(/\..*/, "", n)
	if (sec != "Steps")
		fail("numbered step outside == Steps")
	if (n + 0 != ++step)
		fail("step " n " should be " step)
	cur = $0
	next
}

/^- / { flush(); cur = $0; next }

{
	s = $0
	sub(/^ +/, "", s)
	cur = cur == "" ? s : cur " " s
}

END {
	if (err)
		exit 1
	finish()
	if (err)
		exit 1
	print "/* Generated from the help/ texts by help/help.awk: do not edit. */"
	print "#include <stddef.h>"
	print ""
	print "#include \"help.h\""
	print ""
	print "extern const struct help_entry help_data[];"
	print "extern const char *const help_data_first[];"
	print "extern const size_t help_ndata;"
	print ""
	print "const struct help_entry help_data[] = {"
	for (i = 1; i <= nout; i++)
		printf "%s", out[i]
	print "};"
	print ""
	print "const char *const help_data_first[] = {"
	for (i = 1; i <= nout; i++)
		printf "\t%s,\n", firstv[i]
	print "};"
	print ""
	printf "const size_t help_ndata = %d;\n", nout
}
