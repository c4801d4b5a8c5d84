package dev.flotilla.apiserver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Request counts and latency histograms per verb, resource and code, named as kube-apiserver's
 * ({@code apiserver_request_total}, {@code apiserver_request_duration_seconds}), and what the policy
 * steps cost: authentication ({@code authentication_duration_seconds}), authorization
 * ({@code flotilla_authorization_duration_seconds}), admission
 * ({@code apiserver_admission_step_admission_duration_seconds}) and their sum per request
 * ({@code flotilla_request_policy_duration_seconds}).
 */
@Singleton
public class RequestMetrics {

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private static final Duration SMALLEST_STEP = Duration.ofNanos(1_000);
    private static final Duration LONGEST_STEP = Duration.ofSeconds(20);

    /** Starts summing the policy steps of the request this thread serves. */
    public void beginRequest() {
        PolicyTime.begin();
    }

    /** Records the policy steps' sum of the request this thread served. */
    public void endRequest(String verb) {
        stepTimer("flotilla.request.policy.duration",
                "Time authentication, authorization and admission added to each request", "verb", verb)
                .record(PolicyTime.end(), TimeUnit.NANOSECONDS);
    }

    /** {@code result}: success, failure (no user for the credentials) or error, as upstream. */
    public void authentication(String result, long nanos) {
        step(stepTimer("authentication.duration", "Authentication duration in seconds broken out by result",
                "result", result), nanos);
    }

    /** {@code decision}: allowed or denied. */
    public void authorization(String decision, long nanos) {
        step(stepTimer("flotilla.authorization.duration", "Authorization duration in seconds broken out by decision",
                "decision", decision), nanos);
    }

    /** {@code type}: admit (mutating) or validate, as upstream. */
    public void admissionStep(String type, String operation, boolean rejected, long nanos) {
        step(stepTimer("apiserver.admission.step.admission.duration",
                "Admission sub-step latency in seconds, broken out for each operation and type",
                "type", type, "operation", operation, "rejected", Boolean.toString(rejected)), nanos);
    }

    private static void step(Timer timer, long nanos) {
        timer.record(nanos, TimeUnit.NANOSECONDS);
        PolicyTime.add(nanos);
    }

    private Timer stepTimer(String name, String description, String... tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(SMALLEST_STEP)
                .maximumExpectedValue(LONGEST_STEP)
                .register(registry);
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
