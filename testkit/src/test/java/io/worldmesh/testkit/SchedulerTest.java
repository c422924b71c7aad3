package io.worldmesh.testkit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulerTest {

    private final Scheduler scheduler = new Scheduler();

    private List<Integer> drain(long until) {
        List<Integer> clients = new ArrayList<>();
        Scheduler.Due d;
        while ((d = scheduler.next(until)) != null) {
            clients.add(((Event.ClientTurn) d.event()).client());
        }
        return clients;
    }

    @Test
    void eventsComeInTimeOrderAndTiesInTheOrderTheyWereScheduled() {
        scheduler.at(30, new Event.ClientTurn(3));
        scheduler.at(10, new Event.ClientTurn(1));
        scheduler.at(20, new Event.ClientTurn(21));
        scheduler.at(20, new Event.ClientTurn(22));
        scheduler.at(20, new Event.ClientTurn(23));
        assertThat(drain(100)).containsExactly(1, 21, 22, 23, 3);
        assertThat(scheduler.now()).isEqualTo(30);
    }

    @Test
    void theClockStopsAtTheLastEventBeforeTheEndAndLaterOnesWait() {
        scheduler.at(10, new Event.ClientTurn(1));
        scheduler.at(50, new Event.ClientTurn(2));
        assertThat(drain(40)).containsExactly(1);
        assertThat(scheduler.now()).isEqualTo(10);
        assertThat(scheduler.pending()).isEqualTo(1);
    }

    @Test
    void nothingIsScheduledInThePast() {
        scheduler.at(10, new Event.ClientTurn(1));
        scheduler.next(10);
        scheduler.at(5, new Event.ClientTurn(2));
        scheduler.after(0, new Event.ClientTurn(3));
        Scheduler.Due late = scheduler.next(100);
        assertThat(late.atNanos()).isEqualTo(10);
        assertThat(((Event.ClientTurn) late.event()).client()).isEqualTo(2);
    }
}
