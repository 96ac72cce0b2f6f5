# boardpack: one GNU Makefile, no configure (STYLE "Build").
# make deps | make | make site | make test | make asan | make regen | make bench

CC      ?= cc
PKGS     = libcmark-gfm yaml-0.1 jansson libcurl libmicrohttpd fontconfig zlib
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Werror
CFLAGS  ?= -O2 -g
BPCFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LDLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
           -lcmark-gfm-extensions -lcsv -lhpdf -lm -lpthread
VERSION  = 0.1.0

# Debian packages: build libraries, then test and site tools.
DEBS = build-essential pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
       libcsv-dev libhpdf-dev libcmocka-dev libyaml-dev libjansson-dev \
       libcurl4-openssl-dev libmicrohttpd-dev libfontconfig-dev zlib1g-dev \
       fonts-liberation fonts-dejavu-core poppler-utils qpdf python3-aiosmtpd curl chromium default-jre-headless

BUILD   ?= build
SRC      = $(wildcard src/*.c)
OBJ      = $(SRC:src/%.c=$(BUILD)/%.o)
LIBOBJ   = $(filter-out $(BUILD)/main.o,$(OBJ))
UNITSRC  = $(wildcard tests/unit/test_*.c)
UNITBIN  = $(UNITSRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN     ?= boardpack

.PHONY: all deps site test check-all unit asan valgrind regen bench bench-deps clean \
        fuzz fuzz-bins

all: $(BIN)

deps:
	@missing=""; for p in $(DEBS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BIN): $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BPCFLAGS) -DBOARDPACK_VERSION='"$(VERSION)"' $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJ)
	@mkdir -p $(dir $@)
	$(CC) $(BPCFLAGS) -Isrc $(CFLAGS) -o $@ $< $(LIBOBJ) \
	    $(shell pkg-config --cflags --libs cmocka) $(LDLIBS)

site: deps
	$(MAKE) $(BIN)
	./$(BIN) build content -o out

unit: $(UNITBIN)

# The whole suite: unit tests, bad-input messages, golden packs.
test: deps
	$(MAKE) check-all

check-all: $(BIN) $(UNITBIN)
	BIN=./$(BIN) UNITS="$(UNITBIN)" sh tests/run.sh

asan:
	$(MAKE) check-all BUILD=build-asan BIN=boardpack-asan \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"

valgrind: $(BIN) $(UNITBIN)
	BIN=./$(BIN) UNITS="$(UNITBIN)" VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" sh tests/run.sh

# libFuzzer harnesses (tests/fuzz/<name>.c), built with clang into
# build-fuzz/ (warnings not fatal: clang warns where gcc does not) and
# run for FUZZ_SECONDS each, seeded from
# tests/fuzz/corpus/<name>/; the growing corpus stays in build-fuzz/.
FUZZ_SECONDS ?= 60
FUZZSRC  = $(wildcard tests/fuzz/*.c)
FUZZBIN  = $(FUZZSRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZFLAGS = -O1 -g -Wno-error -fsanitize=fuzzer-no-link,address,undefined \
            -fno-omit-frame-pointer -fno-sanitize-recover=all

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIBOBJ)
	@mkdir -p $(dir $@)
	$(CC) $(BPCFLAGS) -Isrc $(CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(LIBOBJ) $(LDLIBS)

fuzz-bins: $(FUZZBIN)

fuzz:
	@command -v clang >/dev/null || { echo "make fuzz needs clang"; exit 1; }
	$(MAKE) fuzz-bins BUILD=build-fuzz CC=clang CFLAGS="$(FUZZFLAGS)"
	@for f in $(FUZZSRC:tests/fuzz/%.c=%); do \
	  mkdir -p build-fuzz/corpus/$$f && \
	  echo "fuzz $$f for $(FUZZ_SECONDS) s" && \
	  build-fuzz/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -timeout=10 -rss_limit_mb=2048 -close_fd_mask=2 \
	    -artifact_prefix=build-fuzz/$$f- \
	    build-fuzz/corpus/$$f tests/fuzz/corpus/$$f 2>&1 | \
	    grep -E '^#[0-9]+[[:space:]]+DONE|^Done|ERROR|SUMMARY|Test unit written' || \
	  exit 1; \
	  ls build-fuzz/$$f-crash-* build-fuzz/$$f-leak-* \
	    build-fuzz/$$f-timeout-* build-fuzz/$$f-oom-* 2>/dev/null && \
	    { echo "fuzz $$f: findings above"; exit 1; }; \
	done; echo "fuzz: no findings"

regen: $(BIN)
	BIN=./$(BIN) sh tests/golden.sh regen

# Benchmark-only tools (not in DEBS: make deps does not install them):
# Hugo and WeasyPrint for the side-by-side comparisons, perf to profile.
BENCH_DEBS = hugo weasyprint linux-perf time

bench-deps:
	@missing=""; for p in $(BENCH_DEBS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BUILD)/bench_sim: tests/bench_sim.c $(LIBOBJ)
	$(CC) $(BPCFLAGS) -Isrc $(CFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS)

# Prints figures (table, then JSON in out/bench.json); never asserts on
# time.  Sizes: BENCH_SERVICES BENCH_DAYS BENCH_METRICS BENCH_PATHS,
# BENCH_QUICK=1 for 100 services (see README "Performance").
bench: bench-deps $(BIN) $(BUILD)/bench_sim
	BIN=./$(BIN) BENCH_SIM=$(BUILD)/bench_sim sh tests/bench.sh

clean:
	rm -rf build build-asan boardpack boardpack-asan out

-include $(OBJ:.o=.d) $(UNITBIN:=.d) $(FUZZBIN:=.d)
