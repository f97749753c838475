# The tool's image from a jar built on the host, FROM a Debian trixie base: what `scripts/docker images`
# builds where no registry answers (the Dockerfile at the root builds the jar with Maven's image).
ARG BASE=debian:trixie
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-21-jre-headless hostname \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 backfill
COPY timescaledb-backfill.jar cds-archive.sh /opt/backfill/
COPY timescaledb-backfill.sh /usr/local/bin/timescaledb-backfill
# The class-data-sharing archive, made with this image's JDK (deploy/cds-archive.sh); the command
# maps its classes at start (deploy/timescaledb-backfill.sh), as the launcher's JVMs do.
RUN /opt/backfill/cds-archive.sh /opt/backfill/timescaledb-backfill.jar /opt/backfill/timescaledb-backfill.jsa
USER backfill
# 5701 Hazelcast (cluster membership), 5801 the event bus, 9464 Prometheus metrics.
EXPOSE 5701 5801 9464
ENTRYPOINT ["timescaledb-backfill"]
CMD ["--help"]
