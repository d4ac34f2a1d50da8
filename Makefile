# Sightline: the two commands a fresh machine needs are `make run` and `make test`.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run test build bench assets fuzz

## run: install the front-end libraries, build, and serve on http://localhost:3000 with the embedded defaults
run: build
	./bin/sightline serve

## test: install what the tests need (Chromium too) and run the whole suite
test:
	./scripts/setup.sh --test
	go test -count=1 -timeout 20m ./...

## build: the single binary at bin/sightline
build: assets
	go build -trimpath -ldflags "$(LDFLAGS)" -o bin/sightline ./cmd/sightline

assets:
	./scripts/setup.sh

## bench: the benchmarks whose figures the docs quote
bench: assets
	go test -run '^$$' -bench . -benchmem ./...

## fuzz: run every Go fuzz test for FUZZTIME each (the normal test run only replays their seed corpora)
FUZZTIME ?= 60s
fuzz:
	@for pkg in $$(go list ./...); do \
		dir=$$(go list -f '{{.Dir}}' $$pkg); \
		for fn in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | cut -c6-); do \
			echo "$$pkg $$fn"; \
			go test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done
