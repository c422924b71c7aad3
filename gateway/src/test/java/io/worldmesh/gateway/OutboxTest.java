package io.worldmesh.gateway;

import org.junit.jupiter.api.Test;

import static io.worldmesh.gateway.Outbox.Kind.EVENT;
import static io.worldmesh.gateway.Outbox.Kind.REPLY;
import static io.worldmesh.gateway.Outbox.Kind.SNAPSHOT;
import static io.worldmesh.gateway.Outbox.Verdict.CLOSE;
import static io.worldmesh.gateway.Outbox.Verdict.DROP;
import static io.worldmesh.gateway.Outbox.Verdict.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {

    private final Outbox outbox = new Outbox(1000, 3);

    @Test
    void everythingIsWrittenWhileTheQueueHasRoom() {
        assertThat(outbox.admit(SNAPSHOT, 100, false)).isEqualTo(WRITE);
        assertThat(outbox.admit(REPLY, 100, false)).isEqualTo(WRITE);
        assertThat(outbox.admit(EVENT, 100, false)).isEqualTo(WRITE);
        assertThat(outbox.queuedBytes()).isEqualTo(300);
        outbox.written(100);
        assertThat(outbox.queuedBytes()).isEqualTo(200);
    }

    @Test
    void snapshotsAreDroppedWhileTheQueueIsFullHoweverLong() {
        for (int i = 0; i < 100; i++) {
            assertThat(outbox.admit(SNAPSHOT, 100, true)).isEqualTo(DROP);
        }
        assertThat(outbox.queuedBytes()).isZero();
        assertThat(outbox.admit(SNAPSHOT, 100, false)).as("once it drains").isEqualTo(WRITE);
    }

    @Test
    void repliesAreDroppedWhileTheQueueIsFullThenTheClientIsClosed() {
        assertThat(outbox.admit(REPLY, 10, true)).isEqualTo(DROP);
        assertThat(outbox.admit(REPLY, 10, true)).isEqualTo(DROP);
        assertThat(outbox.admit(REPLY, 10, true)).as("the third in a row").isEqualTo(CLOSE);
        assertThat(outbox.admit(REPLY, 10, false)).as("after the close").isEqualTo(DROP);
        assertThat(outbox.admit(EVENT, 10, false)).as("after the close").isEqualTo(DROP);
        assertThat(outbox.queuedBytes()).isZero();
    }

    @Test
    void aQueueThatDrainsInBetweenForgivesDroppedReplies() {
        for (int i = 0; i < 10; i++) {
            assertThat(outbox.admit(REPLY, 10, true)).isEqualTo(DROP);
            assertThat(outbox.admit(REPLY, 10, true)).isEqualTo(DROP);
            assertThat(outbox.admit(SNAPSHOT, 10, false)).as("drained").isEqualTo(WRITE);
        }
    }

    @Test
    void eventsGoPastAFullQueueUpToTheByteBoundThenTheClientIsClosed() {
        for (int i = 0; i < 10; i++) {
            assertThat(outbox.admit(EVENT, 100, true)).isEqualTo(WRITE);
        }
        assertThat(outbox.queuedBytes()).isEqualTo(1000);
        assertThat(outbox.admit(SNAPSHOT, 1, false)).as("no room for a snapshot either").isEqualTo(DROP);
        assertThat(outbox.admit(EVENT, 1, true)).as("one byte over").isEqualTo(CLOSE);
    }

    @Test
    void eventsWrittenMakeRoomForMore() {
        assertThat(outbox.admit(EVENT, 1000, true)).isEqualTo(WRITE);
        outbox.written(1000);
        assertThat(outbox.admit(EVENT, 1000, true)).isEqualTo(WRITE);
    }

    @Test
    void pingFramesWhileTheQueueIsFullCountAsDroppedRepliesAndADrainForgivesThem() {
        assertThat(outbox.pinged(true)).isEqualTo(DROP);
        assertThat(outbox.pinged(true)).isEqualTo(DROP);
        assertThat(outbox.pinged(false)).as("drained meanwhile").isEqualTo(WRITE);
        assertThat(outbox.pinged(true)).isEqualTo(DROP);
        assertThat(outbox.admit(REPLY, 10, true)).isEqualTo(DROP);
        assertThat(outbox.pinged(true)).as("the third in a row, pongs and pings alike").isEqualTo(CLOSE);
        assertThat(outbox.pinged(true)).as("once").isEqualTo(DROP);
        assertThat(outbox.queuedBytes()).isZero();
    }
}
