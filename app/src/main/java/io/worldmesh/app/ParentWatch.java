package io.worldmesh.app;

/**
 * A child of {@code cluster} ends with its parent, however the parent ended (Ctrl-C, --duration, kill -9), so
 * that no node or gateway is left running on its own.
 */
final class ParentWatch {

    static final String PROPERTY = "worldmesh.parent.pid";

    private ParentWatch() {
    }

    static void exitWhenParentDies() {
        String pid = System.getProperty(PROPERTY);
        if (pid == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> System.exit(0)),
                () -> System.exit(0));
    }
}
