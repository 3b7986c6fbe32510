# The server as a container: built from source, run as the layered Boot jar by a non-root user.
# Base images pinned to a release; bump them on purpose.
FROM eclipse-temurin:17.0.16_8-jdk-noble AS build
WORKDIR /src
# The build's dependencies in a layer of their own, keyed on the poms alone: changing a source file does not download
# them again. The project's own modules are built below, not downloaded.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY shared-api/pom.xml shared-api/
COPY platform/pom.xml platform/
COPY command-side/pom.xml command-side/
COPY query-side/pom.xml query-side/
COPY app/pom.xml app/
RUN ./mvnw -B -q -ntp dependency:go-offline -DexcludeGroupIds=com.bankaccounts
COPY . .
RUN ./mvnw -B -q -ntp package -DskipTests \
    && java -Djarmode=tools -jar app/target/app-0.1.0-SNAPSHOT.jar extract --layers --launcher --destination /extracted

# Built for Java 17 (the project's release), run on Java 25, the current LTS: its compiler takes less CPU per
# request (bench/ROUNDS.md, thirteenth round); the tests pass on both. bench/lib.sh runs the benchmarks' server
# on this release too.
FROM eclipse-temurin:25.0.3_9-jre-noble
RUN useradd --system --uid 10001 --home-dir /opt/bank-accounts --create-home bank-accounts
WORKDIR /opt/bank-accounts
# One layer per Boot layer, least changing first, so a code change ships only the last one.
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
USER 10001
ENV APP_DATA_DIRECTORY=/opt/bank-accounts/data
EXPOSE 8080
# Java would take only 25% of the container's memory for its heap; leave the rest for threads, metaspace, buffers.
# The serial collector, which Java itself picks for a container under 2 CPUs or about 1.8 GB: named here so that a
# larger container does not switch to G1, which cost a GET and a create about a tenth more CPU on 2 cores. The heap
# and compiled code on transparent huge pages where the host's kernel allows them (madvise or always; with never,
# Java warns once and goes on without): fewer TLB misses, 13% less CPU per GET (bench/ROUNDS.md, twelfth round).
# bench/lib.sh reads this line, so the benchmarks run these options too: keep it one line.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:+UseTransparentHugePages"
# Java 25 warns at start about libraries that only the Axon Server connection loads (protobuf's use of sun.misc.Unsafe,
# gRPC's native transport): allowed. In JDK_JAVA_OPTIONS, which the benchmarks do not read: Java 17 refuses the second.
ENV JDK_JAVA_OPTIONS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
# Ready = the database answers and the read models are not in error. bash's /dev/tcp: the image has no curl to rely on.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
