# help.mk: compile the advice texts help/*.txt into the engine
# ($(B)/gen/help_data.c, see help/help.awk) and install them as text.
HELP_TXTS = $(sort $(wildcard help/*.txt))
GEN_SRCS += $(B)/gen/help_data.c

# help/ itself is a prerequisite so that removing an entry regenerates.
$(B)/gen/help_data.c: $(HELP_TXTS) help help/help.awk help/help.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)LC_ALL=C awk -f help/help.awk $(HELP_TXTS) > $@.tmp && mv $@.tmp $@

install-data::
	install -d $(DESTDIR)$(DOCDIR)/help
	install -m 644 $(HELP_TXTS) $(DESTDIR)$(DOCDIR)/help/
