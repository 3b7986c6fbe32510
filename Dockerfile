FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -q -B install -DskipTests

FROM eclipse-temurin:17-jre
COPY --from=build /src/app/target/app-0.1.0-SNAPSHOT.jar /opt/bank-accounts/app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/bank-accounts/app.jar"]
