# The tool's image from a jar built on the host, FROM a Debian trixie base: what `scripts/docker images`
# builds where no registry answers (the Dockerfile at the root builds the jar with Maven's image).
ARG BASE=debian:trixie
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-21-jre-headless hostname \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 backfill
COPY timescaledb-backfill.jar cds-archive.sh /opt/backfill/
# The class-data-sharing archive, made with this image's JDK (deploy/cds-archive.sh); the JVMs map
# its classes at start, as the launcher's do.
RUN /opt/backfill/cds-archive.sh /opt/backfill/timescaledb-backfill.jar /opt/backfill/timescaledb-backfill.jsa \
 && printf '#!/bin/sh\nexec env --default-signal=INT,TERM java -XX:+UseSerialGC -XX:SharedArchiveFile=/opt/backfill/timescaledb-backfill.jsa -Xshare:auto -Xlog:disable "-Xlog:all=warning,cds*=off,class+path*=off:stderr" -Djava.net.preferIPv4Stack=true -Dhazelcast.logging.type=slf4j -Dhazelcast.phone.home.enabled=false $BACKFILL_JAVA_OPTS -jar /opt/backfill/timescaledb-backfill.jar "$@"\n' \
      > /usr/local/bin/timescaledb-backfill \
 && chmod +x /usr/local/bin/timescaledb-backfill
USER backfill
# 5701 Hazelcast (cluster membership), 5801 the event bus, 9464 Prometheus metrics.
EXPOSE 5701 5801 9464
ENTRYPOINT ["timescaledb-backfill"]
CMD ["--help"]
