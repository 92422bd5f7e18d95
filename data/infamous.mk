# data/infamous.mk: the infamous root list becomes a C table
# (infamous_roots[], declared in src/x509/infamous.h) at build time.
GEN_SRCS += $(B)/gen/infamous.c

$(B)/gen/infamous.c: data/infamous-roots.txt data/infamous.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)awk -F'|' ' \
	function cstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); \
		return "\"" s "\"" } \
	BEGIN { print "/* Generated from data/infamous-roots.txt: do not edit. */"; \
		print "#include \"x509/infamous.h\""; \
		print "const struct infamous_root infamous_roots[] = {" } \
	/^[ \t]*(#|$$)/ { next } \
	{ if (NF != 4 || $$1 == "" || $$3 == "" || $$4 == "") { \
		printf "%s:%d: want PATTERN|SPKI-SHA256|NAME|SOURCE\n", FILENAME, \
		    NR > "/dev/stderr"; bad = 1; exit 1 } \
	  if ($$2 != "-" && $$2 !~ /^[0-9a-f]+$$/ || $$2 != "-" && \
	      length($$2) != 64) { printf "%s:%d: bad SPKI-SHA256\n", \
		FILENAME, NR > "/dev/stderr"; bad = 1; exit 1 } \
	  printf "\t{ %s, %s, %s, %s },\n", cstr($$1), \
	      $$2 == "-" ? "NULL" : cstr($$2), cstr($$3), cstr($$4) } \
	END { if (bad) exit 1; print "};"; \
		print "const size_t infamous_nroots ="; \
		print "    sizeof infamous_roots / sizeof infamous_roots[0];" }' \
	    data/infamous-roots.txt >$@.tmp && mv $@.tmp $@
