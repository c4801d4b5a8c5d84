package dev.flotilla.api.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerifiedSignaturesTest {

    private final VerifiedSignatures signatures = new VerifiedSignatures(100, Duration.ofMinutes(1));
    private final AtomicInteger checks = new AtomicInteger();

    @Test
    void aVerifiedTokenIsVerifiedOnce() throws Exception {
        JsonNode first = signatures.payload("t1", this::accept);
        JsonNode second = signatures.payload("t1", this::accept);
        assertThat(second).isSameAs(first);
        assertThat(checks).hasValue(1);
        assertThat(signatures.known("t1")).isSameAs(first);
        assertThat(signatures.known("t2")).isNull();
    }

    @Test
    void aRejectedTokenIsCheckedAgainEveryTime() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> signatures.payload("bad", this::reject)).hasMessage("token signature is invalid");
        }
        assertThat(checks).hasValue(3);
        assertThat(signatures.known("bad")).isNull();
    }

    @Test
    void entriesExpire() throws Exception {
        VerifiedSignatures shortLived = new VerifiedSignatures(100, Duration.ZERO);
        shortLived.payload("t1", this::accept);
        shortLived.payload("t1", this::accept);
        assertThat(checks).hasValue(2);
    }

    private JsonNode accept(String token) {
        checks.incrementAndGet();
        return JsonNodeFactory.instance.objectNode().put("sub", token);
    }

    private JsonNode reject(String token) throws InvalidTokenException {
        checks.incrementAndGet();
        throw new InvalidTokenException("token signature is invalid");
    }
}
