package io.worldmesh.app;

import io.worldmesh.client.SwarmOptions;
import picocli.CommandLine.Option;

/** How often bots play the game's actions; shared by the commands that run bots. */
final class ActionRateOption {

    @Option(names = "--action-rate", paramLabel = "PER_SECOND", description = "Game actions each bot sends per "
            + "second, on average, picked from those the game declares, their fields filled by type (0: none; "
            + "default: ${DEFAULT-VALUE}).")
    double perSecond = SwarmOptions.DEFAULT_ACTION_RATE_HZ;
}
