package io.worldmesh.directory;

import java.util.List;

/** What registering a process's settings with the directory found. */
public sealed interface SettingsCheck {

    /** The cluster's settings, which this process now runs with (its own if it was the first). */
    ClusterSettings cluster();

    record Agreed(ClusterSettings cluster) implements SettingsCheck {
    }

    /** The process's own settings differ from the cluster's: it must refuse to start, naming each difference. */
    record Differs(ClusterSettings cluster, List<String> differences) implements SettingsCheck {
    }
}
