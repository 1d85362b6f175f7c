# Till — build, run and test. `make run` and `make test` install what a fresh
# Debian or Ubuntu machine lacks, then build.

SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
TAGS := migrated_fynedo
GO ?= go
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
FUZZTIME ?= 30s

# Debian packages: Fyne's cgo build (X11, GL, Wayland headers), Xvfb,
# ImageMagick and xdotool for the real-window tests. (resources/fonts/
# make-subset.sh needs fonts-noto-cjk and python3-fonttools besides; they are
# not installed here, since a system CJK font makes every Fyne app load it as
# a fallback face, which Till, bundling its own, does not need.)
DEB_PACKAGES := gcc pkg-config libc6-dev xorg-dev libgl1-mesa-dev libxxf86vm-dev libwayland-dev \
	libxkbcommon-dev wayland-protocols dbus-x11 xvfb imagemagick x11-apps xdotool zbar-tools

.PHONY: all deps build run test vet fmt-check bench fuzz screenshot windows clean

all: build

deps:
	@command -v $(GO) >/dev/null || { echo "Go is not installed: see https://go.dev/doc/install"; exit 1; }
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(GO) build -tags $(TAGS) -o bin/till .

run: build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		if [ -n "$$HEADLESS" ]; then exec xvfb-run -s "-screen 0 1280x800x24" ./bin/till -demo; fi; \
		echo "Till needs a desktop session (DISPLAY or WAYLAND_DISPLAY); set HEADLESS=1 to run it under Xvfb."; exit 1; \
	fi
	./bin/till -demo

vet: deps
	$(GO) vet -tags $(TAGS),xvfb ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "Not gofmt-clean:"; echo "$$out"; exit 1; fi

# Everything: vet, gofmt, unit tests, store and crash tests on real SQLite
# files, GUI flow tests, and the real window under Xvfb (tag xvfb), with -race.
test: deps vet fmt-check
	LANG=en_US.UTF-8 $(GO) test -race -tags $(TAGS),xvfb -count=1 -timeout 15m ./...

bench: deps
	LANG=en_US.UTF-8 $(GO) test -run '^$$' -bench . -benchmem -tags $(TAGS),xvfb -count=1 -timeout 20m ./... | tee bench.txt

fuzz: deps
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
			echo "== $$pkg $$f"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

screenshot: deps
	LANG=en_US.UTF-8 $(GO) test -tags $(TAGS),xvfb -count=1 -run 'TestRealWindow' ./app/

# Cross-builds bin/till.exe for Windows with MinGW (installed if missing).
windows: deps
	@dpkg-query -W -f='$${Status}' gcc-mingw-w64-x86-64 2>/dev/null | grep -q "install ok installed" || \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -tags $(TAGS) -ldflags "-H windowsgui" -o bin/till.exe .

clean:
	rm -rf bin bench.txt
