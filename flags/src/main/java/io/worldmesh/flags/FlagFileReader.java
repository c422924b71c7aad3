package io.worldmesh.flags;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Looks at a file by its stamp, and reads it only if the stamp changed, never more than a bound. */
final class FlagFileReader {

    private final Path file;
    private final int maxBytes;

    FlagFileReader(Path file, int maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    FileRead read(FileStamp previous) {
        FileStamp stamp;
        try {
            stamp = FileStamp.of(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            return previous.equals(FileStamp.ABSENT) ? new FileRead.Unchanged() : new FileRead.Missing();
        } catch (IOException e) {
            return previous.equals(FileStamp.UNKNOWN) ? new FileRead.Unchanged()
                    : new FileRead.Unreadable(FileStamp.UNKNOWN, "cannot read its attributes: " + e);
        }
        if (stamp.equals(previous)) {
            return new FileRead.Unchanged();
        }
        if (stamp.size() > maxBytes) {
            return new FileRead.TooLarge(stamp, stamp.size());
        }
        // The file may grow between the stat and the read: read one byte past the bound to notice.
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            return bytes.length > maxBytes ? new FileRead.TooLarge(stamp, bytes.length)
                    : new FileRead.Content(stamp, bytes);
        } catch (NoSuchFileException e) {
            return new FileRead.Missing();
        } catch (IOException e) {
            return new FileRead.Unreadable(stamp, e.toString());
        }
    }
}
