package dev.orchat.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import java.time.DateTimeException;
import java.time.ZoneId;

/** {@code user.timeZone}: IANA zone of the user (default: the JVM's zone). */
public class UserFactory {
    @JsonProperty
    private String timeZone;

    @JsonIgnore
    public ZoneId zone() {
        return timeZone == null || timeZone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timeZone.strip());
    }

    @JsonIgnore
    @ValidationMethod(message = "user.timeZone must be an IANA time zone such as Europe/Lisbon")
    public boolean isTimeZoneValid() {
        try {
            zone();
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
