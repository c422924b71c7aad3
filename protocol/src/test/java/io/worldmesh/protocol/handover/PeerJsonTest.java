package io.worldmesh.protocol.handover;

import io.worldmesh.api.CellRef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PeerJsonTest {

    private static PeerRequest.Prepare prepare() {
        return new PeerRequest.Prepare("p3-17", "n1", "n2", "g1", 9, new CellRef(2, 3), new CellRef(3, 3),
                PlayerStateCodecTest.sample(new byte[] {7, 7}).atEpoch(6), "tok", 1_700_000_000_123L, 6);
    }

    @Test
    void everyRequestRoundTripsWithTheAdrFieldNames() {
        byte[] body = PeerJson.encode(prepare());
        String json = new String(body, StandardCharsets.UTF_8);
        assertThat(json).contains("\"player_id\":\"p3-17\"", "\"from_cell\":{\"cx\":2,\"cz\":3}", "\"player_state\"",
                "\"pos\":", "\"vel\":", "\"sequence\":1234", "\"session_data\":", "\"checksum\":",
                "\"handover_token\":\"tok\"", "\"expires_at\":\"2023-11-14T22:13:20.123Z\"", "\"epoch\":6");
        assertThat(PeerJson.decode("prepare", body)).isEqualTo(new PeerDecoded.Ok(prepare()));
        for (PeerRequest r : new PeerRequest[] {new PeerRequest.Commit("p1", "t", 7), new PeerRequest.Abort("p1", "t"),
                new PeerRequest.Cleanup("p1", "t")}) {
            assertThat(PeerJson.decode(PeerJson.kind(r), PeerJson.encode(r))).isEqualTo(new PeerDecoded.Ok(r));
        }
    }

    @Test
    void aChangedFieldIsACheckOfTheChecksumNotA400() {
        String json = new String(PeerJson.encode(prepare()), StandardCharsets.UTF_8).replace("\"sequence\":1234",
                "\"sequence\":1235");
        PeerDecoded d = PeerJson.decode("prepare", json.getBytes(StandardCharsets.UTF_8));
        assertThat(d).isInstanceOf(PeerDecoded.BadChecksum.class);
        assertThat(((PeerDecoded.BadChecksum) d).token()).isEqualTo("tok");
    }

    @Test
    void malformedMissingAndMistypedFieldsAreRefusedWithAReason() {
        assertThat(PeerJson.decode("prepare", "{".getBytes())).isInstanceOf(PeerDecoded.Invalid.class);
        assertThat(PeerJson.decode("commit", "[]".getBytes())).isInstanceOf(PeerDecoded.Invalid.class);
        PeerDecoded missing = PeerJson.decode("commit", "{\"player_id\":\"p1\",\"handover_token\":\"t\"}".getBytes());
        assertThat(missing).isEqualTo(new PeerDecoded.Invalid(400, "bad_field", "epoch must be an integer"));
        PeerDecoded typed = PeerJson.decode("commit",
                "{\"player_id\":\"p1\",\"handover_token\":\"t\",\"epoch\":\"7\"}".getBytes());
        assertThat(typed).isInstanceOf(PeerDecoded.Invalid.class);
        assertThat(PeerJson.decode("explode", PeerJson.encode(new PeerRequest.Abort("p", "t"))))
                .isEqualTo(new PeerDecoded.Invalid(404, "unknown_message", "no handover message 'explode'"));
        assertThat(PeerJson.decode("explode", "{}".getBytes()))
                .isEqualTo(new PeerDecoded.Invalid(404, "unknown_message", "no handover message 'explode'"));
    }

    @Test
    void anOversizedBodyIsRefusedBeforeParsing() {
        byte[] big = new byte[PeerJson.MAX_BODY_BYTES + 1];
        assertThat(((PeerDecoded.Invalid) PeerJson.decode("prepare", big)).status()).isEqualTo(413);
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";
        assertThat(PeerJson.decode("abort", deep.getBytes())).isInstanceOf(PeerDecoded.Invalid.class);
    }

    @Test
    void repliesRoundTrip() {
        PeerReply[] replies = {new PeerReply.Reserved("t"), new PeerReply.Rejected("t", RejectReason.BUSY, "full"),
                new PeerReply.Confirmed("t", 4), new PeerReply.Aborted("t"), new PeerReply.CleanedUp("t"),
                new PeerReply.Refused(409, "decided", "already decided")};
        for (PeerReply r : replies) {
            assertThat(PeerJson.decodeReply(PeerJson.status(r), PeerJson.encode(r))).isEqualTo(r);
        }
        assertThat(PeerJson.decodeReply(502, "<html>".getBytes())).isInstanceOf(PeerReply.Refused.class);
    }

    @Test
    void tokensAreBoundToTheirHandover() {
        HandoverTokens tokens = new HandoverTokens("0123456789abcdef".getBytes());
        CellRef a = new CellRef(0, 0);
        CellRef b = new CellRef(1, 0);
        String t = tokens.mint(java.util.UUID.randomUUID(), "p1", a, b, 3, 1000);
        assertThat(tokens.verify(t, "p1", a, b, 3, 1000)).isTrue();
        assertThat(tokens.verify(t, "p2", a, b, 3, 1000)).isFalse();
        assertThat(tokens.verify(t, "p1", a, b, 4, 1000)).isFalse();
        assertThat(tokens.verify(t, "p1", b, a, 3, 1000)).isFalse();
        assertThat(tokens.verify(t, "p1", a, b, 3, 1001)).isFalse();
        assertThat(tokens.verify(t.substring(0, t.length() - 2) + "xx", "p1", a, b, 3, 1000)).isFalse();
        assertThat(tokens.verify("garbage", "p1", a, b, 3, 1000)).isFalse();
        assertThat(new HandoverTokens("another-secret-16".getBytes()).verify(t, "p1", a, b, 3, 1000)).isFalse();
    }
}
