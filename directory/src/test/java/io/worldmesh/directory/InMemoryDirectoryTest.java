package io.worldmesh.directory;

/** The contract, in memory. */
class InMemoryDirectoryTest extends DirectoryContract {

    @Override
    protected Directory newDirectory() {
        return new InMemoryDirectory();
    }
}
