# Flightlog's image: the static binary on an empty base, as the OpenTelemetry Collector
# releases do. `make image` builds bin/flightlog (CGO_ENABLED=0, -trimpath, stripped) and puts
# the CA certificates into .image/ first; then `docker build .` works as well as buildah.
FROM scratch
COPY .image/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY bin/flightlog /flightlog
COPY config/flightlog.yaml /etc/flightlog/config.yaml
# A numeric non-root user, so that runAsNonRoot can verify it without a passwd file. The
# checkpoint directory (/var/lib/flightlog/checkpoints in the default config) is a volume;
# nothing else is written, so the root filesystem can be read-only. No HEALTHCHECK:
# Kubernetes probes the health_check extension on :13133.
USER 65532:65532
ENTRYPOINT ["/flightlog"]
CMD ["--config", "/etc/flightlog/config.yaml"]
