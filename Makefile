# Gloss. `make run` and `make test` are all a newcomer needs on Debian/Ubuntu:
# both first install the system packages they need (scripts/deps.sh).
GO ?= go
export LANG ?= C.UTF-8
export LC_ALL ?= C.UTF-8
VERSION := $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml | head -n1)
BUILDNO := $(shell sed -n 's/^[[:space:]]*Build[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' FyneApp.toml | head -n1)
LDFLAGS := -X gloss/assets.Version=$(VERSION) -X gloss/assets.Build=$(BUILDNO)

.PHONY: run build test bench smoke deps vet fuzz

deps:
	@scripts/deps.sh build

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/gloss ./cmd/gloss

# Opens the last project, or the demo project on first start.
run: build
	./bin/gloss $(ARGS)

vet:
	$(GO) vet ./...

# Unit, widget and workflow tests (race detector on), then the smoke test:
# the real binary under Xvfb on the demo project, screenshotted.
test:
	@scripts/deps.sh test
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...
	scripts/fuzz-smoke.sh 3s
	$(MAKE) --no-print-directory smoke

smoke: build
	scripts/smoke.sh bin/gloss

# Every fuzz target for a minute (make fuzz FUZZTIME=10m for longer).
FUZZTIME ?= 60s
fuzz:
	scripts/fuzz-smoke.sh $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

-include packaging/dist.mk
