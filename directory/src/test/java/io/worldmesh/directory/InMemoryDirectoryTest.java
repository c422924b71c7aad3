package io.worldmesh.directory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The contract, in memory, on a clock of its own. */
class InMemoryDirectoryTest extends DirectoryContract {

    private final AtomicLong millis = new AtomicLong(1_000_000);

    @Override
    protected Directory newDirectory() {
        return new InMemoryDirectory(millis::get);
    }

    @Override
    protected void passes(Duration d) {
        millis.addAndGet(d.toMillis());
    }
}
