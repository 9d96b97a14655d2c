package dev.orchat.ops;

import com.codahale.metrics.health.HealthCheck;

/**
 * Reports a non-critical dependency (docs/operations.md, "Admin port" "Critical: no") without failing {@code /healthcheck} as a whole:
 * the admin endpoint answers 500 when any check is unhealthy, and a flaky upstream must not make a load balancer
 * pull a service that still serves history. The real state is in the message and the {@code dependency_healthy} detail.
 */
public final class NonCriticalHealthCheck extends HealthCheck {
    private final HealthCheck delegate;

    public NonCriticalHealthCheck(HealthCheck delegate) {
        this.delegate = delegate;
    }

    @Override
    protected Result check() {
        Result result = delegate.execute();
        ResultBuilder builder = Result.builder().healthy()
                .withDetail("critical", false)
                .withDetail("dependency_healthy", result.isHealthy());
        String message = result.getMessage() == null ? "" : result.getMessage();
        return builder.withMessage(result.isHealthy() ? message : "DEGRADED: " + message).build();
    }
}
