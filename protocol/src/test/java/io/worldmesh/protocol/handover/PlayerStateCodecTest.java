package io.worldmesh.protocol.handover;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PlayerStateCodecTest {

    static PlayerState sample(byte[] session) {
        return new PlayerState("p3-17", "ana", "#5b8def", 63.5, 12.25, 8, -0.5, 1.57, 1, 0, 1234, 1200, 4000,
                4321, 7, session);
    }

    @Test
    void roundTripsEveryFieldBitForBit() {
        PlayerState s = sample(new byte[] {0, 2, 9, 9});
        StateDecoded d = PlayerStateCodec.decode(PlayerStateCodec.encode(s));
        assertThat(d).isEqualTo(new StateDecoded.Ok(s));
        PlayerState back = ((StateDecoded.Ok) d).state();
        assertThat(back.checksum()).isEqualTo(s.checksum());
        assertThat(back.sessionData()).containsExactly(0, 2, 9, 9);
        assertThat(back.lastAppliedSeq()).isEqualTo(1234);
    }

    @Test
    void everySingleFlippedBitIsCaught() {
        byte[] good = PlayerStateCodec.encode(sample(new byte[] {1, 2, 3}));
        for (int i = 0; i < good.length * 8; i++) {
            byte[] bad = good.clone();
            bad[i / 8] ^= (byte) (1 << (i % 8));
            StateDecoded d = PlayerStateCodec.decode(bad);
            assertThat(d).as("bit %d", i).isInstanceOf(StateDecoded.Refused.class);
        }
    }

    @Test
    void refusesAnUnknownVersionByName() {
        byte[] bytes = PlayerStateCodec.encode(sample(new byte[0]));
        bytes[2] = 2;
        StateDecoded d = PlayerStateCodec.decode(bytes);
        assertThat(d).isInstanceOf(StateDecoded.Refused.class);
        assertThat(((StateDecoded.Refused) d).reason()).isEqualTo(RejectReason.UNKNOWN_VERSION);
    }

    @Test
    void refusesTruncatedAndForeignBytes() {
        byte[] bytes = PlayerStateCodec.encode(sample(new byte[] {5}));
        for (int n = 0; n < bytes.length; n++) {
            assertThat(PlayerStateCodec.decode(Arrays.copyOf(bytes, n))).as("first %d bytes", n)
                    .isInstanceOf(StateDecoded.Refused.class);
        }
        assertThat(PlayerStateCodec.decode("{\"json\":true}".getBytes())).isInstanceOf(StateDecoded.Refused.class);
    }

    @Test
    void aChangedFieldChangesTheChecksum() {
        PlayerState s = sample(new byte[] {1});
        assertThat(s.atEpoch(8).checksum()).isNotEqualTo(s.checksum());
        assertThat(s.atEpoch(8).atEpoch(7)).isEqualTo(s);
    }
}
