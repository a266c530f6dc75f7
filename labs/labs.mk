# labs/labs.mk — the labs' C programs, included by the top-level Makefile.
#
# Every labs/src/NAME.c is one self-contained program a student reads (no lib/ code in it):
# it builds to $(B)/labs/NAME, which `labs/lab.sh sh` puts on PATH.  The exercise skeletons in
# labs/exercises/ must compile too (a TODO is a gap in logic, never a syntax error), so they
# build to $(B)/labs/exercises/NAME.
LAB_SRC   := $(sort $(wildcard labs/src/*.c))
LAB_EXSRC := $(sort $(wildcard labs/exercises/*.c))
LAB_BINS  := $(patsubst labs/src/%.c,$(B)/labs/%,$(LAB_SRC)) \
	     $(patsubst labs/exercises/%.c,$(B)/labs/exercises/%,$(LAB_EXSRC))
LAB_CFLAGS = -std=gnu11 -O2 -g $(WARN) $(HARDEN) -pthread

all: $(LAB_BINS)
labs: $(LAB_BINS)
.PHONY: labs

$(B)/labs/%: labs/src/%.c
	@mkdir -p $(@D)
	$(CC) $(LAB_CFLAGS) $(filter -Werror -fsanitize%,$(ND_CFLAGS)) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $<

$(B)/labs/exercises/%: labs/exercises/%.c
	@mkdir -p $(@D)
	$(CC) $(LAB_CFLAGS) $(filter -fsanitize%,$(ND_CFLAGS)) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $<

# The router's impairment forwarder (labs/router/, used by `labs/lab.sh impair` when the kernel has no
# sch_netem) and its unit test, which tests/run.sh runs with the others from $(B)/tests/.
LAB_ROUTER_PARTS := $(call obj,$(filter-out labs/router/main.c labs/router/test_%.c,$(wildcard labs/router/*.c)))
LAB_ROUTER_BIN   := $(B)/labs/router/labimpair
LAB_ROUTER_TEST  := $(B)/tests/test_labimpair

all: $(LAB_ROUTER_BIN) $(LAB_ROUTER_TEST)
labs: $(LAB_ROUTER_BIN)

$(LAB_ROUTER_BIN): $(call obj,labs/router/main.c) $(LAB_ROUTER_PARTS)
	@mkdir -p $(@D)
	$(CC) $(ND_CFLAGS) $(CFLAGS) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $^

$(LAB_ROUTER_TEST): $(call obj,labs/router/test_router.c) $(LAB_ROUTER_PARTS)
	@mkdir -p $(@D)
	$(CC) $(ND_CFLAGS) $(CFLAGS) $(ND_LDFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)
