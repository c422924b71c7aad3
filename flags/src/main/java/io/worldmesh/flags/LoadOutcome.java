package io.worldmesh.flags;

import java.util.List;

/** What the provider did the last time it found the flag file changed. */
public sealed interface LoadOutcome
        permits LoadOutcome.NotLoaded, LoadOutcome.Applied, LoadOutcome.Missing, LoadOutcome.TooLarge,
        LoadOutcome.Invalid {

    /** The provider has not been initialized yet. */
    record NotLoaded() implements LoadOutcome {
    }

    /** The file was parsed and is now the configuration; {@code changedKeys} may be empty. */
    record Applied(int flags, List<String> changedKeys) implements LoadOutcome {
        public Applied {
            changedKeys = List.copyOf(changedKeys);
        }
    }

    /** There is no file: the last good configuration, if any, stays. */
    record Missing() implements LoadOutcome {
    }

    /** The file was bigger than {@link FlagFileProvider#MAX_FILE_BYTES}: refused, the last good configuration stays. */
    record TooLarge(long bytes) implements LoadOutcome {
    }

    /** The file could not be read or parsed, or defines a flag wrongly: refused, the last good configuration stays. */
    record Invalid(String reason) implements LoadOutcome {
    }
}
