# timescaledb-backfill: one image for the coordinator (copy/verify with --cluster-name) and the worker
# nodes (worker). Build: docker build -t timescaledb-backfill .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY common/pom.xml common/pom.xml
COPY worker/pom.xml worker/pom.xml
COPY coordinator/pom.xml coordinator/pom.xml
RUN mvn -B -q dependency:go-offline -DexcludeArtifactIds=timescaledb-backfill-common,timescaledb-backfill-worker || true
COPY common common
COPY worker worker
COPY coordinator coordinator
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
COPY --from=build /src/coordinator/target/timescaledb-backfill.jar /opt/backfill/timescaledb-backfill.jar
COPY deploy/cds-archive.sh /opt/backfill/cds-archive.sh
# The class-data-sharing archive, made with this image's JDK (deploy/cds-archive.sh); the JVMs map
# its classes at start, as the launcher's do.
RUN /opt/backfill/cds-archive.sh /opt/backfill/timescaledb-backfill.jar /opt/backfill/timescaledb-backfill.jsa \
 && printf '#!/bin/sh\nexec env --default-signal=INT,TERM java -XX:+UseSerialGC -XX:SharedArchiveFile=/opt/backfill/timescaledb-backfill.jsa -Xshare:auto -Xlog:disable "-Xlog:all=warning,cds*=off,class+path*=off:stderr" -Djava.net.preferIPv4Stack=true -Dhazelcast.logging.type=slf4j -Dhazelcast.phone.home.enabled=false $BACKFILL_JAVA_OPTS -jar /opt/backfill/timescaledb-backfill.jar "$@"\n' \
      > /usr/local/bin/timescaledb-backfill \
 && chmod +x /usr/local/bin/timescaledb-backfill \
 && useradd --system --uid 10001 backfill
USER backfill
# 5701 Hazelcast (cluster membership), 5801 the event bus, 9464 Prometheus metrics.
EXPOSE 5701 5801 9464
ENTRYPOINT ["timescaledb-backfill"]
CMD ["--help"]
