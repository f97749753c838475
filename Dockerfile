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
COPY deploy/timescaledb-backfill.sh /usr/local/bin/timescaledb-backfill
# The class-data-sharing archive, made with this image's JDK (deploy/cds-archive.sh); the command
# maps its classes at start (deploy/timescaledb-backfill.sh), as the launcher's JVMs do.
RUN /opt/backfill/cds-archive.sh /opt/backfill/timescaledb-backfill.jar /opt/backfill/timescaledb-backfill.jsa \
 && useradd --system --uid 10001 backfill
USER backfill
# 5701 Hazelcast (cluster membership), 5801 the event bus, 9464 Prometheus metrics.
EXPOSE 5701 5801 9464
ENTRYPOINT ["timescaledb-backfill"]
CMD ["--help"]
