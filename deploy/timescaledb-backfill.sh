#!/bin/sh
# The images' timescaledb-backfill command (both Dockerfiles install it in /usr/local/bin): the jar
# with the class-data-sharing archive the image's build made (deploy/cds-archive.sh), the JVM's own
# warnings on stderr only, and the launcher's flags. env --default-signal: a script's
# `timescaledb-backfill copy ... &` starts the JVM with SIGINT ignored, and copy must still stop
# gracefully on kill -INT. BACKFILL_JAVA_OPTS comes last and wins.
# shellcheck disable=SC2086 # BACKFILL_JAVA_OPTS is a list of flags
exec env --default-signal=INT,TERM java -XX:+UseSerialGC \
  -XX:SharedArchiveFile=/opt/backfill/timescaledb-backfill.jsa -Xshare:auto \
  -Xlog:disable "-Xlog:all=warning,cds*=off,class+path*=off:stderr" \
  -Djava.net.preferIPv4Stack=true -Dhazelcast.logging.type=slf4j -Dhazelcast.phone.home.enabled=false \
  $BACKFILL_JAVA_OPTS -jar /opt/backfill/timescaledb-backfill.jar "$@"
