# The two commands that matter are in the README: go run ./cmd/mattran demo,
# and go test ./... . These targets are shortcuts.
PG ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: run demo build test test-pg lint bench fuzz derive ci

run demo:
	go run ./cmd/mattran demo

build:
	go build -o mattran ./cmd/mattran

test:
	go test ./...

test-pg:
	MATTRAN_TEST_POSTGRES='$(PG)' go test -count=1 ./...

lint:
	@test -z "$$(gofmt -l .)" || (gofmt -l .; exit 1)
	go vet ./...

bench:
	MATTRAN_TEST_POSTGRES='$(PG)' go test -run XXX -bench . -benchtime 5x -timeout 60m ./internal/store/

fuzz:
	go test -run XXX -fuzz FuzzParse -fuzztime 30s ./internal/unit/
	go test -run XXX -fuzz FuzzParse -fuzztime 30s ./internal/value/
	go test -run XXX -fuzz FuzzParse -fuzztime 30s ./internal/program/
	go test -run XXX -fuzz FuzzParse -fuzztime 30s ./internal/period/

derive:
	go run ./tools/derivedata -shared ../shared/data

ci:
	.ci/run
