# data/clients.mk: client profiles (data/clients/*.txt) become
# $(B)/gen/clients.c, which defines client_profiles() (src/suites.h).
CLIENT_PROFILES = $(sort $(wildcard data/clients/*.txt))
GEN_SRCS += $(B)/gen/clients.c

$(B)/gen/clients.c: $(CLIENT_PROFILES) data/clients/profiles.awk \
    data/clients.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)awk -f data/clients/profiles.awk $(CLIENT_PROFILES) >$@.tmp && \
	    mv $@.tmp $@
