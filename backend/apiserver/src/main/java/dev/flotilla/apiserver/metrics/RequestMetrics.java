package dev.flotilla.apiserver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Request counts and latency histograms per verb, resource and code, named as kube-apiserver's
 * ({@code apiserver_request_total}, {@code apiserver_request_duration_seconds}).
 */
@Singleton
public class RequestMetrics {

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String verb, String resource, int code, Duration elapsed) {
        String codeText = Integer.toString(code);
        Counter.builder("apiserver.request")
                .description("Counter of apiserver requests broken out by verb, resource and HTTP response code")
                .tags("verb", verb, "resource", resource, "code", codeText)
                .register(registry)
                .increment();
        Timer.builder("apiserver.request.duration")
                .description("Response latency distribution in seconds for each verb and resource")
                .tags("verb", verb, "resource", resource)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)
                .record(elapsed);
    }
}
