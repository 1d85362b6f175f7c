# Till — build, run and test. `make run` and `make test` install what a fresh
# Debian or Ubuntu machine lacks, then build.

SHELL := /bin/bash
# -e: a failing command fails its recipe; pipefail: so does a failing
# command in front of `| tee`.
.SHELLFLAGS := -e -o pipefail -c
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
TAGS := migrated_fynedo
GO ?= go
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
FUZZTIME ?= 30s
# Tests and benchmarks run in an English locale (the real-window tests set
# LANG for the programs they start).
TEST_ENV := LANG=en_US.UTF-8

# Debian packages: Fyne's cgo build (X11, GL, Wayland headers), Xvfb,
# ImageMagick, xdotool and zbar for the real-window tests; PC/SC (pcsc-lite
# and its headers) for card readers, with the vsmartcard virtual reader the
# card tests tap their cards on (the tests start pcscd themselves).
DEB_PACKAGES := gcc pkg-config libc6-dev xorg-dev libgl1-mesa-dev libxxf86vm-dev libwayland-dev \
	libxkbcommon-dev wayland-protocols dbus-x11 xvfb imagemagick x11-apps xdotool zbar-tools \
	libpcsclite-dev pcscd vsmartcard-vpcd
# Only for `make fonts` (resources/fonts/make-subset.sh). They are kept out of
# `deps` on purpose: with a system CJK font installed every Fyne program
# (the bare window of the benchmarks too) picks it up as a fallback face,
# which Till, bundling its own subset, does not need, and a missing glyph in
# the bundled subset would no longer show as a box in the screenshots.
FONT_PACKAGES := fonts-noto-cjk python3-fonttools

# $(call apt-install,PACKAGES): installs those of PACKAGES that are missing,
# with one apt-get update; does nothing (quickly) when all are installed.
define apt-install
@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		command -v apt-get >/dev/null || { echo "Missing packages:$$missing (install them with your package manager)"; exit 1; }; \
		echo "Installing:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

.PHONY: android-check all deps build run test vet fmt-check bench fuzz screenshot fonts windows clean \
	package-linux package-windows test-windows fyne-cli

all: build

deps:
	@command -v $(GO) >/dev/null || { echo "Go is not installed (looked in PATH and /usr/local/go/bin): see https://go.dev/doc/install"; exit 1; }
	$(call apt-install,$(DEB_PACKAGES))

build: deps
	$(GO) build -tags $(TAGS) -o bin/till .

# Demo mode in a desktop session; HEADLESS=1 runs it under Xvfb instead.
run: build
	@if [ "$${HEADLESS:-}" = 1 ]; then \
		echo "Running under Xvfb (HEADLESS=1); stop with Ctrl-C."; \
		exec xvfb-run -a -s "-screen 0 1280x800x24" ./bin/till -demo; \
	fi; \
	if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "Till is a desktop app: run it in a desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set)," >&2; \
		echo "or run it under Xvfb with: HEADLESS=1 make run" >&2; \
		exit 1; \
	fi; \
	exec ./bin/till -demo

vet: deps
	$(GO) vet -tags $(TAGS),xvfb,wine ./...

# The packages that need no cgo, type-checked and vetted for Android
# (arm64): the models and receipts, payments, the device protocols, the
# services without a window. Fyne and PC/SC need cgo on Android, and with
# it the Android NDK, which this machine does not have.
ANDROID_PKGS := ./models/... ./payments/... ./devices/beeper/ ./devices/fingerprint/... ./devices/printer/... \
	./devices/scanner/ ./devices/serialport/ ./devices/nfc/vpcd/ ./services/fingers/ ./services/ports/ \
	./services/printing/ ./services/risk/ ./services/secrets/ ./services/setup/ ./services/staff/ \
	./services/update/ ./internal/csvfile/ ./app/auditcli/ ./app/backupcli/ ./cmd/till-sign/ ./resources/
android-check:
	CGO_ENABLED=0 GOOS=android GOARCH=arm64 $(GO) vet $(ANDROID_PKGS)

# Every Go file in the work tree, committed or not (but not ignored).
fmt-check:
	@files=(); while IFS= read -r f; do [ ! -f "$$f" ] || files+=("$$f"); done \
		< <(git ls-files --cached --others --exclude-standard -- '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'); \
	out=$$( [ $${#files[@]} -eq 0 ] || gofmt -l "$${files[@]}"); \
	if [ -n "$$out" ]; then echo "Not gofmt-clean (run gofmt -w on them):"; echo "$$out"; exit 1; fi

# Everything: vet, gofmt, unit tests, store and crash tests on real SQLite
# files and GUI flow tests with -race; then the real window under Xvfb (tag
# xvfb: the tests start their own Xvfb and run Till as a program of its own,
# so -race would only slow their screenshot comparisons). Every test of an
# *_xvfb_test.go file is named TestRealWindow… (app's
# TestXvfbTestsAreNamedToRun keeps it so), which is how the second run
# finds them. Last, both packages are built and the Windows one is run
# under Wine (test-windows).
test: deps vet fmt-check android-check
	$(TEST_ENV) $(GO) test -race -tags $(TAGS) -count=1 -timeout 19m ./...
	$(TEST_ENV) $(GO) test -tags $(TAGS),xvfb -count=1 -timeout 10m -run '^TestRealWindow' ./app/...
	$(TEST_ENV) $(GO) test -tags $(TAGS),xvfb -count=1 -timeout 5m ./internal/xvfbtest/
	$(MAKE) --no-print-directory package-linux test-windows

bench: deps
	$(TEST_ENV) $(GO) test -run '^$$' -bench . -benchmem -tags $(TAGS),xvfb -count=1 -timeout 20m ./... | tee bench.txt

# Runs every Fuzz target of the module for FUZZTIME each (one package and
# target at a time, as `go test -fuzz` requires).
fuzz: deps
	@list=$$($(TEST_ENV) $(GO) test -tags $(TAGS) -list '^Fuzz' ./... 2>&1) || { echo "$$list"; exit 1; }; \
	targets=$$(awk '/^Fuzz/ { n[++k] = $$1; next } \
		/^ok/ { for (i = 1; i <= k; i++) print $$2 " " n[i]; k = 0 }' <<<"$$list"); \
	if [ -z "$$targets" ]; then echo "No Fuzz targets found."; exit 0; fi; \
	while read -r pkg f; do \
		echo "== $$pkg $$f ($(FUZZTIME))"; \
		$(TEST_ENV) $(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	done <<<"$$targets"

# The real-window smoke test alone; it refreshes docs/screenshots/sell.png
# (only this target writes there: the test keeps its screenshot in
# TILL_SCREENSHOT_DIR when that is set).
screenshot: deps
	$(TEST_ENV) TILL_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(GO) test -tags $(TAGS),xvfb -count=1 -run '^TestRealWindow$$' ./app/...

# Re-cuts the bundled CJK font subsets (resources/fonts/make-subset.sh).
fonts:
	$(call apt-install,$(FONT_PACKAGES))
	resources/fonts/make-subset.sh

# Cross-builds bin/till.exe for Windows with MinGW (installed if missing).
windows: deps
	$(call apt-install,gcc-mingw-w64-x86-64)
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -tags $(TAGS) -ldflags "-H windowsgui -X main.version=$(VERSION)" -o bin/till.exe .

# The version every package carries: FyneApp.toml's.
VERSION := $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml)
FYNE_TOOLS := v1.7.4
FYNE := $(shell $(GO) env GOPATH 2>/dev/null)/bin/fyne
PKG := bin/package

# dist/till-VERSION-linux-amd64.tar.xz: the binary, icon, desktop entry,
# udev rules, an installing Makefile and docs/install.md
# (cmd/till-package lays it out; see there why not `fyne package`).
package-linux: deps
	$(call apt-install,xz-utils make)
	$(GO) build -tags $(TAGS) -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(PKG)/linux-amd64/till .
	$(GO) run ./cmd/till-package -os linux -bin $(PKG)/linux-amd64/till -out dist

# Fyne's packaging tool, which gives the Windows build its icon and
# version information from FyneApp.toml.
fyne-cli:
	@[ -x "$(FYNE)" ] && "$(FYNE)" version 2>/dev/null | grep -qF "$(FYNE_TOOLS:v%=%)" || \
		$(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOLS)

# dist/till-VERSION-windows-amd64.zip: till.exe (icon and version
# information in it) and docs/install.md. `fyne package` builds in the
# folder it packages and writes files there for the build: it works on a
# copy of the tree under bin/, so the work tree stays as it was.
package-windows: deps fyne-cli
	$(call apt-install,gcc-mingw-w64-x86-64)
	rm -rf $(PKG)/windows-src && mkdir -p $(PKG)/windows-src
	git ls-files --cached --others --exclude-standard | tar -c -T - | tar -x -C $(PKG)/windows-src
	@# The version, stamped by a file of the copy: fyne package passes
	@# GOFLAGS' -ldflags to its first build only (the second links the icon).
	printf 'package main\n\nfunc init() { version = "%s" }\n' "$(VERSION)" > $(PKG)/windows-src/version_package.go
	cd $(PKG)/windows-src && CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		"$(FYNE)" package --os windows --src . --tags $(TAGS) --name till --release
	$(GO) run ./cmd/till-package -os windows -bin $(PKG)/windows-src/till.exe -out dist

# The packaged till.exe, unzipped, started under Wine in Xvfb
# (internal/winetest): its version, a test slip, the demo's first window.
test-windows: package-windows
	$(call apt-install,wine wine64 unzip xvfb xdotool imagemagick)
	rm -rf $(PKG)/windows-unzipped && unzip -q dist/till-$(VERSION)-windows-amd64.zip -d $(PKG)/windows-unzipped
	$(TEST_ENV) TILL_WINDOWS_EXE=$(CURDIR)/$(PKG)/windows-unzipped/till-$(VERSION)-windows-amd64/till.exe \
		$(GO) test -tags $(TAGS),wine -count=1 -timeout 15m -v -run '^TestWindowsBuildUnderWine$$' ./internal/winetest/

clean:
	rm -rf bin dist bench.txt
	find . -name '*.test' -type f -not -path './.git/*' -delete
