package io.worldmesh.flags;

import dev.openfeature.sdk.ErrorCode;

/** What evaluations read: the last good flags, or why there are none yet. Swapped whole, never mutated. */
sealed interface CurrentFlags permits CurrentFlags.Available, CurrentFlags.Unavailable {

    record Available(FlagSet flags) implements CurrentFlags {
    }

    /** No good configuration has been loaded yet: every evaluation fails with this error. */
    record Unavailable(ErrorCode errorCode, String message) implements CurrentFlags {
    }
}
