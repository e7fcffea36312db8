# packaging/dist.mk: installers, included by the main Makefile
# (`-include packaging/dist.mk`; it defines GO ?= go).
#
#   make dist        Linux .tar.xz (fyne package) and .deb (nfpm), Windows
#                    gloss.exe and per-user NSIS installer, dist/SHA256SUMS
#   make dist-test   installs the .deb, validates it, runs it under Xvfb and
#                    screenshots it, lists the Windows installer
#   make dist-clean  removes dist/
#
# macOS .app/.dmg are built by .github/workflows/release.yml on a macOS
# runner; see packaging/README.md.

GO ?= go

# FyneApp.toml is the one place the version and build number live.
GLOSS_VERSION := $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml 2>/dev/null | head -n1)
GLOSS_BUILD := $(shell sed -n 's/^[[:space:]]*Build[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' FyneApp.toml 2>/dev/null | head -n1)

# The main package to ship; overridable only to rehearse packaging.
DIST_MAIN ?= ./cmd/gloss
DIST_DIR := dist
# Intermediate files live under dist/ (already git-ignored); the hidden
# directory keeps them out of `dist/*` globs and SHA256SUMS.
DIST_WORK := $(DIST_DIR)/.build
DIST_TOOLS := $(CURDIR)/$(DIST_WORK)/tools
DIST_STAMP := -X gloss/assets.Version=$(GLOSS_VERSION) -X gloss/assets.Build=$(GLOSS_BUILD)

DIST_DEB := $(DIST_DIR)/gloss_$(GLOSS_VERSION)-$(GLOSS_BUILD)_amd64.deb
DIST_TARXZ := $(DIST_DIR)/Gloss-$(GLOSS_VERSION)-linux-amd64.tar.xz
DIST_WINEXE := $(DIST_DIR)/Gloss-$(GLOSS_VERSION)-windows-amd64.exe
DIST_WINSETUP := $(DIST_DIR)/Gloss-$(GLOSS_VERSION)-windows-amd64-setup.exe

WIN_ENV := CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc

.PHONY: dist dist-check dist-deps dist-tools dist-linux dist-windows dist-sums dist-test dist-test-linux dist-test-windows dist-clean

dist: dist-linux dist-windows
	@$(MAKE) --no-print-directory dist-sums

dist-check:
	@test -n "$(GLOSS_VERSION)" || { echo "dist: no Version = \"x.y.z\" under [Details] in FyneApp.toml" >&2; exit 1; }
	@test -n "$(GLOSS_BUILD)" || { echo "dist: no Build = N under [Details] in FyneApp.toml" >&2; exit 1; }
	@echo "$(GLOSS_VERSION)" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$$' || { echo "dist: FyneApp.toml Version \"$(GLOSS_VERSION)\" must be MAJOR.MINOR.PATCH (Windows and macOS need numbers)" >&2; exit 1; }
	@test -n "$$(ls $(DIST_MAIN)/*.go 2>/dev/null)" || { echo "dist: $(DIST_MAIN) has no Go files to package" >&2; exit 1; }
	@echo "dist: Gloss $(GLOSS_VERSION) build $(GLOSS_BUILD)"

dist-deps:
	scripts/deps.sh dist

# The packaging CLIs are pinned in packaging/tools/go.mod (verified by its
# go.sum) and built once; `go run fyne.io/tools/cmd/fyne@v1.7.2` cannot be
# used because the module proxy here refuses the version list that go run's
# deprecation check needs.
dist-tools:
	@mkdir -p $(DIST_TOOLS)
	cd packaging/tools && $(GO) build -o $(DIST_TOOLS)/ fyne.io/tools/cmd/fyne github.com/goreleaser/nfpm/v2/cmd/nfpm github.com/tc-hib/go-winres

dist-linux: dist-check dist-deps dist-tools
	@mkdir -p $(DIST_WORK)/linux
	@# No -trimpath here: the same flags as `make build` reuse its cgo build
	@# cache (a cold Fyne build takes minutes).
	CGO_ENABLED=1 $(GO) build -ldflags "-s -w $(DIST_STAMP)" -o $(DIST_WORK)/linux/gloss $(DIST_MAIN)
	@# fyne package reads FyneApp.toml from --src and then bumps its Build
	@# number in place, so it gets a scratch copy; stage.go only satisfies its
	@# "is there Go code here" check (--executable means nothing is compiled).
	rm -rf $(DIST_WORK)/fyne-linux && mkdir -p $(DIST_WORK)/fyne-linux/assets/icon
	cp FyneApp.toml $(DIST_WORK)/fyne-linux/
	cp assets/icon/gloss.png $(DIST_WORK)/fyne-linux/assets/icon/
	printf 'package stage\n' > $(DIST_WORK)/fyne-linux/stage.go
	cd $(DIST_WORK)/fyne-linux && $(DIST_TOOLS)/fyne package --target linux --executable $(CURDIR)/$(DIST_WORK)/linux/gloss --src .
	@# fyne tools v1.7.2 writes Exec := "gloss %F" (because of [CanOpen]) and
	@# an Icon name without .png into the archive's Makefile, so its install
	@# targets fail; repair both and repack.
	rm -rf $(DIST_WORK)/tar && mkdir -p $(DIST_WORK)/tar
	tar -xJf $(DIST_WORK)/fyne-linux/Gloss.tar.xz -C $(DIST_WORK)/tar
	sed -i -e 's/^Exec := "gloss %F"$$/Exec := "gloss"/' -e 's/^Icon := "org.glossapp.gloss"$$/Icon := "org.glossapp.gloss.png"/' $(DIST_WORK)/tar/gloss/Makefile
	grep -q '^Exec := "gloss"$$' $(DIST_WORK)/tar/gloss/Makefile && grep -q '^Icon := "org.glossapp.gloss.png"$$' $(DIST_WORK)/tar/gloss/Makefile
	tar -cJf $(DIST_TARXZ) --owner=0 --group=0 --sort=name -C $(DIST_WORK)/tar gloss
	@# The .deb uses the desktop entry fyne generated from FyneApp.toml.
	tar -xJf $(DIST_TARXZ) -O --wildcards '*share/applications/org.glossapp.gloss.desktop' > $(DIST_WORK)/linux/org.glossapp.gloss.desktop
	test -s $(DIST_WORK)/linux/org.glossapp.gloss.desktop
	rm -f $(DIST_DIR)/gloss_*_amd64.deb
	GLOSS_VERSION=$(GLOSS_VERSION) GLOSS_BUILD=$(GLOSS_BUILD) $(DIST_TOOLS)/nfpm package --config packaging/nfpm.yaml --packager deb --target $(DIST_DEB)

dist-windows: dist-check dist-deps dist-tools
	@mkdir -p $(DIST_WORK)/windows
	@# Icon, version info and a GUI (DPI-aware, common-controls v6) manifest
	@# as a COFF object. It is handed to the external linker rather than
	@# dropped into cmd/gloss as a .syso, so the source tree stays untouched.
	$(DIST_TOOLS)/go-winres simply --arch amd64 --out $(DIST_WORK)/windows/rsrc \
	  --icon assets/icon/gloss.ico --manifest gui \
	  --product-name Gloss --file-description Gloss --original-filename gloss.exe \
	  --product-version $(GLOSS_VERSION).$(GLOSS_BUILD) --file-version $(GLOSS_VERSION).$(GLOSS_BUILD) \
	  --copyright "Copyright 2026 The Gloss team"
	$(WIN_ENV) $(GO) build -trimpath \
	  -ldflags "-s -w -H=windowsgui $(DIST_STAMP) -extldflags=$(CURDIR)/$(DIST_WORK)/windows/rsrc_windows_amd64.syso" \
	  -o $(DIST_WORK)/windows/gloss.exe $(DIST_MAIN)
	cp $(DIST_WORK)/windows/gloss.exe $(DIST_WINEXE)
	makensis -WX -V2 -DVERSION=$(GLOSS_VERSION) -DBUILD=$(GLOSS_BUILD) \
	  -DEXE=$(CURDIR)/$(DIST_WORK)/windows/gloss.exe -DICON=$(CURDIR)/assets/icon/gloss.ico \
	  -DOUTFILE=$(CURDIR)/$(DIST_WINSETUP) packaging/windows/gloss.nsi

dist-sums:
	cd $(DIST_DIR) && rm -f SHA256SUMS && sha256sum $(notdir $(DIST_DEB) $(DIST_TARXZ) $(DIST_WINEXE) $(DIST_WINSETUP)) > SHA256SUMS
	@cd $(DIST_DIR) && sha256sum --quiet -c SHA256SUMS
	@echo "dist: artefacts (bytes):"
	@cd $(DIST_DIR) && ls -l $(notdir $(DIST_DEB) $(DIST_TARXZ) $(DIST_WINEXE) $(DIST_WINSETUP)) SHA256SUMS | awk '{printf "  %10d  %s\n", $$5, $$9}'

DIST_TEST_ENV := GLOSS_DEB=$(DIST_DEB) GLOSS_TARXZ=$(DIST_TARXZ) GLOSS_SETUP=$(DIST_WINSETUP) GLOSS_WINEXE=$(DIST_WINEXE)

dist-test:
	$(DIST_TEST_ENV) packaging/dist-test.sh all

dist-test-linux:
	$(DIST_TEST_ENV) packaging/dist-test.sh linux

dist-test-windows:
	$(DIST_TEST_ENV) packaging/dist-test.sh windows

dist-clean:
	rm -rf $(DIST_DIR)
