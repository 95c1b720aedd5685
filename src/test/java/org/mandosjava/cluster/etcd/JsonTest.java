package org.mandosjava.cluster.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.mandosjava.json.Json;

class JsonTest {
    private static final String RANGE = """
            {"header":{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","revision":"2",\
            "raft_term":"2"},"kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"2","version":"1",\
            "value":"YmFy"}],"count":"1"}""";

    @Test
    void readsTheGatewaysShapes() {
        Map<String, Object> m = Json.parseObject(RANGE);
        assertThat(Wire.revision(m)).isEqualTo(2);
        RangeResult r = Wire.rangeResult(m, 2);
        assertThat(r.kvs()).hasSize(1);
        assertThat(r.first().keyUtf8()).isEqualTo("foo");
        assertThat(r.first().valueUtf8()).isEqualTo("bar");
        assertThat(r.count()).isEqualTo(1);
        // uint64 ids above 2^63 are kept bit for bit
        assertThat(Long.toUnsignedString(Wire.number(Wire.object(m, "header"), "cluster_id")))
                .isEqualTo("15118495548433857066");
    }

    @Test
    void missingFieldsAreProtoDefaults() {
        Map<String, Object> m = Json.parseObject("{\"header\":{\"revision\":\"4\"},\"kvs\":[{\"key\":\"Zm9v\"}]}");
        KeyValue kv = Wire.rangeResult(m, 4).first();
        assertThat(kv.value()).isEmpty();
        assertThat(kv.version()).isZero();
        assertThat(Wire.txnResult(Json.parseObject("{\"header\":{\"revision\":\"9\"}}")).succeeded()).isFalse();
        WatchEvent e = Wire.event(Json.parseObject("{\"kv\":{\"key\":\"YQ==\",\"mod_revision\":\"7\"}}"));
        assertThat(e.type()).isEqualTo(WatchEvent.Type.PUT);
        assertThat(e.revision()).isEqualTo(7);
        assertThat(e.prevKv()).isNull();
    }

    @Test
    void writesAndReadsBack() {
        Map<String, Object> value = Map.of("s", "a\"b\\c\n\u0001é", "n", List.of(1L, -2L, true, false),
                "o", Map.of());
        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
        assertThat(Json.write(Map.of("k", "\u0000"))).isEqualTo("{\"k\":\"\\u0000\"}");
        assertThat(Json.parse("12345678901234567890")).isEqualTo(new BigDecimal("12345678901234567890"));
        assertThat(Json.parse(" \"\\u00e9\\/\" ")).isEqualTo("é/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":1}x",
            "\"abc", "\"\\x\"", "\"\\u12g4\"", "\"\\u12\"", "01", "-", "1.", "1e", ".5", "+1", "tru", "nul",
            "{\"a\":1,\"a\":2}", "\"tab\there\"", "[1 2]", "{\"a\":}", "NaN", "Infinity", "{\"a\":1]"})
    void rejectsMalformedInput(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON");
    }

    @Test
    void boundsNesting() {
        String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nested deeper");
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
    }

    @Test
    void wrongTypesAreRejectedByTheShapeReaders() {
        assertThatThrownBy(() -> Wire.rangeResult(Json.parseObject("{\"kvs\":{}}"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kvs");
        assertThatThrownBy(() -> Wire.kv(Json.parseObject("{\"key\":\"***\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> Wire.number(Json.parseObject("{\"n\":\"x\"}"), "n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wire.event(Json.parseObject("{\"type\":\"BOOM\",\"kv\":{}}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Fuzz-style: mutations of real gateway messages either parse or fail with
     * IllegalArgumentException, never another exception (which would escape the client's mapping).
     */
    @Test
    void mutatedMessagesFailOnlyWithIllegalArgument() {
        List<String> seeds = List.of(RANGE,
                "{\"result\":{\"header\":{\"revision\":\"3\"},\"events\":[{\"type\":\"DELETE\",\"kv\":"
                        + "{\"key\":\"Zm9v\",\"mod_revision\":\"3\"},\"prev_kv\":{\"key\":\"Zm9v\",\"value\":\"YmFy\"}}]}}",
                "{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":\"etcdserver: no leader\"}}");
        String alphabet = "{}[]\",:\\0123456789-.eEtrufalsn \u0000\u00ffxyz";
        Random random = new Random(17);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && !s.isEmpty(); e++) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            try {
                Object v = Json.parse(s.toString());
                parsed++;
                if (v instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> obj = (Map<String, Object>) m;
                    try {
                        Wire.rangeResult(obj, 0);
                        Wire.revision(obj);
                    } catch (IllegalArgumentException shapeError) {
                        // a clear rejection is the expected outcome for a wrong shape
                    }
                }
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(parsed).as("some mutations stay valid JSON").isPositive();
    }

    @Test
    void gatewayErrorsMapToKinds() {
        assertThat(EtcdTransport.error(null, 503,
                "{\"error\":\"etcdserver: no leader\",\"message\":\"etcdserver: no leader\",\"code\":14}").kind())
                .isEqualTo(EtcdException.Kind.UNAVAILABLE);
        EtcdException timedOut = EtcdTransport.error(null, 503,
                "{\"message\":\"etcdserver: request timed out\",\"code\":14}");
        assertThat(timedOut.outcomeUnknown()).isTrue();
        assertThat(EtcdTransport.error(null, 400, "{\"message\":\"etcdserver: authentication failed, invalid "
                + "user ID or password\",\"code\":3}").kind()).isEqualTo(EtcdException.Kind.AUTH);
        assertThat(EtcdTransport.error(null, 403, "{\"message\":\"etcdserver: permission denied\",\"code\":7}")
                .kind()).isEqualTo(EtcdException.Kind.AUTH);
        assertThat(EtcdTransport.error(null, 400,
                "{\"message\":\"mvcc: required revision has been compacted\",\"code\":11}").kind())
                .isEqualTo(EtcdException.Kind.COMPACTED);
        assertThat(EtcdTransport.error(null, 404,
                "{\"message\":\"etcdserver: requested lease not found\",\"code\":5}").kind())
                .isEqualTo(EtcdException.Kind.NOT_FOUND);
        assertThat(EtcdTransport.error(null, 404, "Not Found").kind()).isEqualTo(EtcdException.Kind.REJECTED);
        // How the 3.4 gateway ends a require-leader watch after quorum loss (last line, no newline).
        assertThat(EtcdTransport.error(null, 200, "{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":"
                + "\"etcdserver: no leader\",\"http_status\":\"Service Unavailable\"}}").kind())
                .isEqualTo(EtcdException.Kind.UNAVAILABLE);
        EtcdException gatewayDeadline = EtcdTransport.error(null, 500,
                "{\"error\":\"context deadline exceeded\",\"message\":\"context deadline exceeded\",\"code\":2}");
        assertThat(gatewayDeadline.kind()).isEqualTo(EtcdException.Kind.TIMEOUT);
        assertThat(gatewayDeadline.outcomeUnknown()).isTrue();
    }

    @Test
    void prefixEndIsTheNextKeyAfterThePrefix() {
        assertThat(EtcdClient.prefixEnd("/mandos/".getBytes())).isEqualTo("/mandos0".getBytes());
        assertThat(EtcdClient.prefixEnd(new byte[] {'a', (byte) 0xff})).isEqualTo(new byte[] {'b'});
        assertThat(EtcdClient.prefixEnd(new byte[] {(byte) 0xff})).isEqualTo(new byte[] {0});
    }
}
