package io.worldmesh.flags;

import java.nio.file.Path;

/**
 * Counters of a {@link FlagFileProvider}, for logs and metrics.
 *
 * @param file             the flag file
 * @param lastOutcome      what the last check that found the file changed did
 * @param checks           how many times the file's stamp was looked at
 * @param applied          how many versions of the file became the configuration
 * @param refusedTooLarge  how many versions were refused for exceeding {@link FlagFileProvider#MAX_FILE_BYTES}
 * @param refusedInvalid   how many versions were refused as unreadable, malformed or wrongly defined
 */
public record FlagFileStatus(Path file, LoadOutcome lastOutcome, long checks, long applied, long refusedTooLarge,
                             long refusedInvalid) {

    static FlagFileStatus initial(Path file) {
        return new FlagFileStatus(file, new LoadOutcome.NotLoaded(), 0, 0, 0, 0);
    }

    FlagFileStatus checked() {
        return new FlagFileStatus(file, lastOutcome, checks + 1, applied, refusedTooLarge, refusedInvalid);
    }

    FlagFileStatus after(LoadOutcome outcome) {
        return new FlagFileStatus(file, outcome, checks,
                applied + (outcome instanceof LoadOutcome.Applied ? 1 : 0),
                refusedTooLarge + (outcome instanceof LoadOutcome.TooLarge ? 1 : 0),
                refusedInvalid + (outcome instanceof LoadOutcome.Invalid ? 1 : 0));
    }
}
