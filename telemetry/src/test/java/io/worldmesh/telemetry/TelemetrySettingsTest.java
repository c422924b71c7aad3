package io.worldmesh.telemetry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static io.worldmesh.telemetry.TelemetrySettings.Exporter.LOGGING;
import static io.worldmesh.telemetry.TelemetrySettings.Exporter.OTLP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetrySettingsTest {

    @Test
    void byDefaultEveryHandoverIsTracedToTheLog() {
        TelemetrySettings s = TelemetrySettings.fromEnvironment(Map.of(), "worldmesh-node-n1");
        assertThat(s.exporters()).containsExactly(LOGGING);
        assertThat(s.serviceName()).isEqualTo("worldmesh-node-n1");
        assertThat(s.samplerRatio()).isEqualTo(1.0);
        assertThat(s.sampler()).isEqualTo(TelemetrySettings.Sampler.PARENTBASED_TRACEIDRATIO);
        assertThat(s.maxQueueSize()).isEqualTo(2048);
        assertThat(s.tracesPerSecond()).isEqualTo(20);
        assertThat(TelemetrySettings.defaults("n").tracesPerSecond()).isEqualTo(20);
        assertThat(s.enabled()).isTrue();
    }

    @Test
    void theTraceBudgetIsANumberOrUnlimited() {
        assertThat(budget("unlimited")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(budget(" Unlimited ")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(budget("5")).isEqualTo(5);
        assertThat(budget("0.5")).isEqualTo(0.5);
        assertThat(budget(" ")).isEqualTo(20);
        assertThat(TelemetrySettings.fromEnvironment(Map.of("WORLDMESH_TRACES_PER_SECOND", "5"), "n")
                .withExporters(Set.of(OTLP)).tracesPerSecond()).isEqualTo(5);
    }

    @Test
    void aBadTraceBudgetIsNamedWithTheOtherProblems() {
        for (String bad : new String[] {"0", "-3", "lots", "NaN", "Infinity", "20/s"}) {
            assertThatThrownBy(() -> budget(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid telemetry settings: ")
                    .hasMessageContaining("WORLDMESH_TRACES_PER_SECOND").hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> TelemetrySettings.fromEnvironment(Map.of("WORLDMESH_TRACES_PER_SECOND", "0",
                "OTEL_TRACES_SAMPLER_ARG", "lots"), "n"))
                .hasMessageContaining("WORLDMESH_TRACES_PER_SECOND").hasMessageContaining("OTEL_TRACES_SAMPLER_ARG");
        TelemetrySettings d = TelemetrySettings.defaults("n");
        assertThatThrownBy(() -> new TelemetrySettings(d.exporters(), "n", d.sampler(), 1.0, 0, d.otlpEndpoint(),
                Map.of(), 2048, d.scheduleDelay(), 512, d.exportTimeout()))
                .hasMessageContaining("traces per second");
    }

    private static double budget(String value) {
        return TelemetrySettings.fromEnvironment(Map.of("WORLDMESH_TRACES_PER_SECOND", value), "n")
                .tracesPerSecond();
    }

    @Test
    void anOtlpEndpointTurnsOtlpOnInsteadOfTheLog() {
        TelemetrySettings s = TelemetrySettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://collector:4318", "OTEL_SERVICE_NAME", "mine", "OTEL_EXPORTER_OTLP_HEADERS", "a=1, b = 2"),
                "worldmesh-gateway");
        assertThat(s.exporters()).containsExactly(OTLP);
        assertThat(s.otlpEndpoint()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
        assertThat(s.serviceName()).isEqualTo("mine");
        assertThat(s.otlpHeaders()).isEqualTo(Map.of("a", "1", "b", "2"));
        TelemetrySettings both = TelemetrySettings.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "logging,otlp",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://c.example/traces", "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_BSP_SCHEDULE_DELAY", "200"), "g");
        assertThat(both.exporters()).isEqualTo(Set.of(LOGGING, OTLP));
        assertThat(both.otlpEndpoint()).isEqualTo(URI.create("https://c.example/traces"));
        assertThat(both.samplerRatio()).isEqualTo(0.25);
        assertThat(both.scheduleDelay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void noneOrADisabledSdkTurnsTracingOff() {
        assertThat(TelemetrySettings.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "none"), "n").enabled()).isFalse();
        assertThat(TelemetrySettings.fromEnvironment(Map.of("OTEL_SDK_DISABLED", "true"), "n").enabled()).isFalse();
        assertThat(Telemetry.create(TelemetrySettings.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "none"), "n")))
                .isSameAs(Telemetry.OFF);
    }

    @Test
    void everyBadVariableIsNamedAtOnce() {
        assertThatThrownBy(() -> TelemetrySettings.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "zipkin",
                "OTEL_TRACES_SAMPLER_ARG", "lots", "OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://x",
                "OTEL_TRACES_SAMPLER", "always_maybe"), "n"))
                .hasMessageContaining("zipkin").hasMessageContaining("OTEL_TRACES_SAMPLER_ARG")
                .hasMessageContaining("ftp://x").hasMessageContaining("always_maybe");
        assertThatThrownBy(() -> TelemetrySettings.fromEnvironment(Map.of("OTEL_TRACES_SAMPLER_ARG", "2"), "n"))
                .hasMessageContaining("0..1");
        assertThatThrownBy(() -> TelemetrySettings.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), "n")).hasMessageContaining("http/protobuf");
    }
}
