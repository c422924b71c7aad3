package io.worldmesh.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code game ...}: making games. */
@Command(name = "game", mixinStandardHelpOptions = true, subcommands = GameNewCommand.class,
        description = "Making games: 'game new NAME --dir DIR' writes a new game project.")
final class GameCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
