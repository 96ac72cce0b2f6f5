# boardpack: one GNU Makefile, no configure (STYLE "Build").
# make deps | make | make site | make test | make asan | make regen | make bench

CC      ?= cc
PKGS     = libcmark-gfm yaml-0.1 jansson libcurl libmicrohttpd fontconfig
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
       libcurl4-openssl-dev libmicrohttpd-dev libfontconfig-dev \
       fonts-liberation fonts-dejavu-core poppler-utils qpdf

BUILD   ?= build
SRC      = $(wildcard src/*.c)
OBJ      = $(SRC:src/%.c=$(BUILD)/%.o)
LIBOBJ   = $(filter-out $(BUILD)/main.o,$(OBJ))
UNITSRC  = $(wildcard tests/unit/test_*.c)
UNITBIN  = $(UNITSRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN     ?= boardpack

.PHONY: all deps site test check-all unit asan valgrind regen bench clean

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

regen: $(BIN)
	BIN=./$(BIN) sh tests/golden.sh regen

bench: $(BIN)
	sh tests/bench.sh

clean:
	rm -rf build build-asan boardpack boardpack-asan out

-include $(OBJ:.o=.d) $(UNITBIN:=.d)
