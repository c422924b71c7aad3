package io.worldmesh.app;

import io.worldmesh.engine.GameCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code worldmesh} command line. */
@Command(name = "worldmesh",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A sharded real-time multiplayer world server.",
        subcommands = {DemoCommand.class, ServeCommand.class, NodeCommand.class, GatewayCommand.class,
                ClusterCommand.class, BotsCommand.class, BenchCommand.class, SimulateCommand.class,
                ChaosCommand.class, GameCommand.class},
        footer = {"", "The launcher script also runs:",
                "  test           The whole test suite (unit, integration, browser).",
                "  build          Build the application without running the tests, and install the api and the",
                "                 game testkit into the local Maven repository, for game projects.",
                "  mvn ARGS...    Maven (the wrapper) with the JDK the launcher found, in the current directory:",
                "                 e.g. ./worldmesh mvn -f my-game/pom.xml test."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@link #main} runs it; tests run commands with it in-process. */
    static CommandLine commandLine() {
        CommandLine root = new CommandLine(new Main());
        gameSettingsInHelp(root);
        return root
                .registerConverter(java.time.Duration.class, new DurationConverter())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    if (e instanceof GameCatalog.Problem p) { // a game path or a game name: said, not a stack trace
                        cl.getErr().println("worldmesh " + cl.getCommandName() + ": " + p.getMessage());
                        return 2;
                    }
                    throw e;
                });
    }

    /** Every command that runs a game ends its help with the games found and the settings each takes. */
    private static void gameSettingsInHelp(CommandLine cl) {
        if (cl.getCommandSpec().findOption("--game-opt") != null) {
            cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                    help -> WorldOptions.gameSettingsHelp());
        }
        cl.getSubcommands().values().forEach(Main::gameSettingsInHelp);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
