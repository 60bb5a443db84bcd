# Flightlog: a custom OpenTelemetry Collector distribution. `make help` lists targets.
SHELL := /bin/bash
GO    ?= go
# Go 1.26.10: govulncheck finds 10 vulnerabilities of the standard library in 1.26.8
# (net/http, crypto/x509, crypto/tls, mime/multipart) that 1.26.9 and 1.26.10 fix. The go
# command fetches this toolchain from the module proxy when the installed one is older.
export GOTOOLCHAIN ?= go1.26.10
TOOLS := $(CURDIR)/.tools
BIN   := $(CURDIR)/bin/flightlog
GATEWAY_BIN := $(CURDIR)/bin/flightlog-gateway
# Components generated with mdatagen.
METADATA := $(wildcard receiver/*/metadata.yaml processor/*/metadata.yaml exporter/*/metadata.yaml)
GO_SOURCES := $(shell find . -name '*.go' -not -path './distribution*' -not -path './.tools/*' 2>/dev/null) go.mod go.sum
# gitleaks' rule file as a Go table for the redact processor (internal/tools/gitleaksrules).
GITLEAKS_RULES := processor/redactprocessor/internal/detect/gitleaks_rules.go
GENERATED  := distribution distribution-gateway $(dir $(METADATA)) $(GITLEAKS_RULES)

.PHONY: help test-fuzz soak vulncheck image image-gateway test-image tools kube-tools victorialogs generate check-generated build build-gateway test test-unit test-e2e demo bench lint fmt clean

help: ## List targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(TOOLS)/builder $(TOOLS)/mdatagen: internal/tools/go.mod internal/tools/go.sum
	cd internal/tools && $(GO) build -o $(TOOLS)/builder go.opentelemetry.io/collector/cmd/builder
	cd internal/tools && $(GO) build -o $(TOOLS)/mdatagen go.opentelemetry.io/collector/cmd/mdatagen

$(TOOLS)/gitleaksrules: internal/tools/go.mod internal/tools/go.sum $(wildcard internal/tools/gitleaksrules/*.go)
	cd internal/tools && $(GO) build -o $(TOOLS)/gitleaksrules ./gitleaksrules

tools: $(TOOLS)/builder $(TOOLS)/mdatagen $(TOOLS)/gitleaksrules ## Build the pinned builder, mdatagen and gitleaksrules

VICTORIALOGS := $(TOOLS)/victorialogs-v1.52.1/victoria-logs

$(VICTORIALOGS):
	GOBIN=$(dir $(VICTORIALOGS)) $(GO) install github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@v1.52.1

victorialogs: $(VICTORIALOGS) ## Build VictoriaLogs v1.52.1 from the Go module proxy, for make demo BACKEND=victorialogs and its test

kube-tools: ## Build kube-apiserver, kubectl and etcd for the Kubernetes tests (minutes, once; kept in .tools)
	$(GO) test -tags integration -count=1 -run '^TestBuild$$' -timeout 30m ./internal/kubetest/

generate: tools ## Regenerate component metadata (mdatagen), gitleaks' rules as Go, distribution/ and distribution-gateway/ (builder)
	PATH="$(TOOLS):$$PATH" $(GO) generate $(addprefix ./,$(dir $(METADATA) $(GITLEAKS_RULES)))
	@for c in builder-config.yaml builder-config-gateway.yaml; do \
		$(TOOLS)/builder --config $$c --skip-compilation >$(TOOLS)/builder.log 2>&1 || { cat $(TOOLS)/builder.log; exit 1; }; done
	@gofmt -w distribution/*.go distribution-gateway/*.go  # the builder's templates are not gofmt-clean

check-generated: generate ## Fail when generated code differs from what is committed
	@git diff --exit-code -- $(GENERATED) || \
		(echo "generated code drifted: run 'make generate' and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain -- $(GENERATED))" || \
		(git status --porcelain -- $(GENERATED); echo "untracked generated files" >&2; exit 1)

build: $(BIN) ## Build bin/flightlog, the sidecar, from distribution/

$(BIN): $(GO_SOURCES) $(wildcard distribution/*.go distribution/go.*)
	cd distribution && CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w" -o $(BIN) .

build-gateway: $(GATEWAY_BIN) ## Build bin/flightlog-gateway, the gateway tier, from distribution-gateway/

$(GATEWAY_BIN): $(GO_SOURCES) $(wildcard distribution-gateway/*.go distribution-gateway/go.*)
	cd distribution-gateway && CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w" -o $(GATEWAY_BIN) .

test: check-generated lint test-unit test-fuzz test-e2e test-image ## Everything CI runs

test-unit: kube-tools ## Unit and component tests (race detector on), with the integration ones against a real kube-apiserver
	$(GO) test -tags integration -race -count=1 -timeout 20m $$($(GO) list ./... | grep -v /test/e2e)
	cd distribution && $(GO) vet ./...
	cd distribution-gateway && $(GO) vet ./...
	cd test/alerts && $(GO) test -count=1 ./...  # deploy/alerts with Prometheus' rule parser and engine

FUZZTIME ?= 10s
# Each fuzz target with its package; `go test -fuzz` takes one target per run.
FUZZ_TARGETS := FuzzSplitAndGroup:./receiver/durablefilereceiver/internal/reader FuzzParseContainerLogs:./receiver/durablefilereceiver/internal/reader \
	FuzzDecode:./receiver/durablefilereceiver/internal/checkpoint FuzzFind:./processor/redactprocessor/internal/detect

test-fuzz: ## Run each fuzz target for FUZZTIME (10s) beyond its checked-in corpus (testdata/fuzz)
	@for t in $(FUZZ_TARGETS); do echo "fuzz $${t%%:*}"; \
		$(GO) test -run '^$$' -fuzz "^$${t%%:*}$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $${t#*:} 2>&1 | grep -v '^fuzz: elapsed' ; \
		[ $${PIPESTATUS[0]} -eq 0 ] || exit 1; done

test-e2e: build build-gateway kube-tools $(VICTORIALOGS) ## Tests against the built binaries: SIGKILL, outage, rotation, drain, deploy manifests
	FLIGHTLOG_BIN=$(BIN) FLIGHTLOG_GATEWAY_BIN=$(GATEWAY_BIN) FLIGHTLOG_VICTORIALOGS=$(VICTORIALOGS) $(GO) test -tags integration -count=1 -timeout 30m -v ./test/e2e/ 2>&1 | tee .e2e.log | grep -E '^(=== RUN|--- |PASS|FAIL|ok|\s+e2e_test|\s+\w+_test.go)' ; exit $${PIPESTATUS[0]}

SOAK ?= 5m
soak: build ## The chaos soak against the built binary for SOAK (5m; SOAK=60m for long runs); make test runs 2 minutes of it
	FLIGHTLOG_BIN=$(BIN) FLIGHTLOG_SOAK=$(SOAK) $(GO) test -tags integration -count=1 -timeout 24h -run '^TestChaosSoak$$' -v ./test/e2e/ 2>&1 | grep -vE '^=== ' ; exit $${PIPESTATUS[0]}

BACKEND ?= file

MODE ?= file
demo: build $(if $(filter victorialogs,$(BACKEND)),$(VICTORIALOGS)) ## Run the collector against a demo app that crashes; print a summary (BACKEND=victorialogs: into a real backend; MODE=stdout: the app logs to stdout, kept in the kubelet's layout)
	$(GO) build -o bin/demoapp ./demo/app
	$(GO) run ./demo/run --bin $(BIN) --app bin/demoapp --backend $(BACKEND) --victorialogs $(VICTORIALOGS) --mode $(MODE)

IMAGE ?= flightlog:dev
# buildah as Debian ships it works here without a daemon; IMAGE_BUILDER=docker works too.
IMAGE_BUILDER ?= buildah --storage-driver vfs
IMAGE_BUILD   ?= $(if $(findstring buildah,$(IMAGE_BUILDER)),bud --isolation chroot,build)

image: build ## Build the sidecar's container image (FROM scratch) with buildah, or IMAGE_BUILDER=docker
	mkdir -p .image && cp /etc/ssl/certs/ca-certificates.crt .image/
	$(IMAGE_BUILDER) $(IMAGE_BUILD) -t $(IMAGE) .

GATEWAY_IMAGE ?= flightlog-gateway:dev

image-gateway: build-gateway ## Build the gateway's container image from the same Dockerfile
	mkdir -p .image && cp /etc/ssl/certs/ca-certificates.crt .image/
	$(IMAGE_BUILDER) $(IMAGE_BUILD) --build-arg BINARY=flightlog-gateway --build-arg CONFIG=deploy/gateway/gateway.yaml -t $(GATEWAY_IMAGE) .

test-image: build ## Build the image in Go from the Dockerfile (internal/imagebuild: no daemon, no system package), unpack its layers and run the binary from it as its user
	mkdir -p .image && cp /etc/ssl/certs/ca-certificates.crt .image/
	$(GO) run ./internal/imagebuild -f Dockerfile -o .image/flightlog.oci.tar
	FLIGHTLOG_IMAGE_ARCHIVE=$(CURDIR)/.image/flightlog.oci.tar $(GO) test -tags integration -count=1 -run '^TestImage$$' -v ./test/e2e/ 2>&1 | grep -vE '^=== ' ; exit $${PIPESTATUS[0]}

REFERENCE := $(CURDIR)/.bench/reference/otelcol-reference

$(REFERENCE): bench/builder-config.yaml $(TOOLS)/builder
	mkdir -p .bench
	$(TOOLS)/builder --config bench/builder-config.yaml >.bench/builder.log 2>&1 || (cat .bench/builder.log; exit 1)

bench: build $(REFERENCE) ## Flightlog against upstream file_log on every workload; writes BENCHMARKS.md and bench.png
	$(GO) run ./bench/run --flightlog $(BIN) --reference $(REFERENCE)

GOVULNCHECK := $(TOOLS)/govulncheck-v1.9.0/govulncheck
# The public vulnerability database is not reachable from the build machines; golang.org/x/vulndb
# is served as a module, and its indexdb command turns its OSV files into a database that
# govulncheck reads from disk. Pinned: the database is as new as this version.
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
VULNDB := $(TOOLS)/vulndb-$(VULNDB_VERSION)

$(GOVULNCHECK):
	GOBIN=$(dir $(GOVULNCHECK)) GOFLAGS=-mod=mod $(GO) install golang.org/x/vuln/cmd/govulncheck@v1.9.0

$(VULNDB):
	$(GO) mod download golang.org/x/vulndb@$(VULNDB_VERSION)
	GOFLAGS=-mod=mod $(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) \
		-vulns $$($(GO) env GOMODCACHE)/golang.org/x/vulndb@$(VULNDB_VERSION)/data/osv -out $(VULNDB).tmp
	mv $(VULNDB).tmp $(VULNDB)

vulncheck: $(GOVULNCHECK) $(VULNDB) ## govulncheck on the code and on both binaries' modules, against a vulnerability database built from golang.org/x/vulndb
	$(GOVULNCHECK) -db file://$(VULNDB) -tags integration ./...
	cd distribution && $(GOVULNCHECK) -db file://$(VULNDB) ./...
	cd distribution-gateway && $(GOVULNCHECK) -db file://$(VULNDB) ./...

GOLANGCI_LINT := $(TOOLS)/golangci-lint-v2.15.0/golangci-lint

$(GOLANGCI_LINT):
	GOBIN=$(dir $(GOLANGCI_LINT)) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0

lint: $(GOLANGCI_LINT) ## golangci-lint v2.15.0 with .golangci.yml (gofmt, vet, errcheck, staticcheck, ...)
	$(GOLANGCI_LINT) run ./...

fmt: ## Format the code
	gofmt -w $$(git ls-files '*.go')

clean: ## Remove build output (also the cached kube-apiserver, kubectl, etcd and VictoriaLogs builds)
	rm -rf bin .tools .demo .bench .image .e2e.log
