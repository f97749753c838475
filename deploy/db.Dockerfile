# PostgreSQL 17 + TimescaleDB from Debian trixie's packages (the Apache edition), behaving as the
# official postgres image: POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB, server flags as the command,
# /docker-entrypoint-initdb.d, `psql -U postgres` inside the container. Built by `scripts/docker images`
# FROM a base image made without a registry; any Debian trixie image works as BASE.
ARG BASE=debian:trixie
FROM ${BASE}
RUN mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      postgresql-17 postgresql-17-timescaledb \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && install -d -o postgres -g postgres -m 2775 /var/run/postgresql /docker-entrypoint-initdb.d \
 && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
COPY db-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
# As the official image: a fast shutdown, not a smart one that waits for clients.
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
