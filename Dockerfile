# Flightlog's images: a static binary on an empty base, as the OpenTelemetry Collector
# releases do. `make image` builds the sidecar (bin/flightlog, CGO_ENABLED=0, -trimpath,
# stripped) and `make image-gateway` the gateway tier (BINARY=flightlog-gateway,
# CONFIG=deploy/gateway/gateway.yaml), after putting the CA certificates into .image/; then
# `docker build .` works as well as buildah, and internal/imagebuild builds the same image
# from this file in Go (make test-image): keep to FROM scratch, ARG, COPY, USER, ENTRYPOINT, CMD.
FROM scratch
ARG BINARY=flightlog
ARG CONFIG=config/flightlog.yaml
COPY .image/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY bin/${BINARY} /flightlog
COPY ${CONFIG} /etc/flightlog/config.yaml
# A numeric non-root user, so that runAsNonRoot can verify it without a passwd file. The
# checkpoint directory (/var/lib/flightlog/checkpoints in the default config) is a volume;
# nothing else is written, so the root filesystem can be read-only. No HEALTHCHECK:
# Kubernetes probes the health_check extension on :13133.
USER 65532:65532
ENTRYPOINT ["/flightlog"]
CMD ["--config", "/etc/flightlog/config.yaml"]
