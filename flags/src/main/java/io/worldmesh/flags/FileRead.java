package io.worldmesh.flags;

/** What one look at the flag file found. */
sealed interface FileRead
        permits FileRead.Unchanged, FileRead.Missing, FileRead.TooLarge, FileRead.Unreadable, FileRead.Content {

    /** Same stamp as the previous look: not read again. */
    record Unchanged() implements FileRead {
    }

    /** The file does not exist (and did exist, or this is the first look). */
    record Missing() implements FileRead {
    }

    /** Bigger than the bound: not parsed. {@code bytes} is at least bound + 1. */
    record TooLarge(FileStamp stamp, long bytes) implements FileRead {
    }

    /** The file exists but could not be read, e.g. a directory or no permission. */
    record Unreadable(FileStamp stamp, String reason) implements FileRead {
    }

    /** The file's content, read after taking {@code stamp}, so that a later write shows up as a new stamp. */
    record Content(FileStamp stamp, byte[] bytes) implements FileRead {
    }
}
