# data/interception.mk: the TLS-inspection product list becomes a C table
# (intercept_products[], declared in src/trust_int.h) at build time.
GEN_SRCS += $(B)/gen/interception.c

$(B)/gen/interception.c: data/interception.txt data/interception.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)awk -F'|' ' \
	function cstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); \
		return "\"" s "\"" } \
	BEGIN { print "/* Generated from data/interception.txt: do not edit. */"; \
		print "#include \"trust_int.h\""; \
		print "const struct intercept_product intercept_products[] = {" } \
	/^[ \t]*(#|$$)/ { next } \
	{ if (NF != 3 || $$1 == "" || $$3 == "") { \
		printf "%s:%d: want PATTERN|KIND|NAME\n", FILENAME, NR > "/dev/stderr"; \
		bad = 1; exit 1 } \
	  k = $$2 == "antivirus" ? "INTERCEPT_ANTIVIRUS" : \
	      $$2 == "proxy" ? "INTERCEPT_PROXY" : \
	      $$2 == "debug" ? "INTERCEPT_DEBUG" : ""; \
	  if (k == "") { printf "%s:%d: unknown kind %s\n", FILENAME, NR, $$2 \
		> "/dev/stderr"; bad = 1; exit 1 } \
	  printf "\t{ %s, %s, %s },\n", cstr($$1), k, cstr($$3) } \
	END { if (bad) exit 1; print "};"; \
		print "const size_t intercept_nproducts ="; \
		print "    sizeof intercept_products / sizeof intercept_products[0];" }' \
	    data/interception.txt >$@.tmp && mv $@.tmp $@
