package io.worldmesh.flags;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What the poller compares to decide whether a file changed, without reading it. The file key (an inode on
 * Unix) catches a file replaced by rename with the same size within the file system's timestamp granularity.
 */
record FileStamp(long size, FileTime modified, Object fileKey) {

    /** The previous stamp before the first look, so that the first look always reports what it finds. */
    static final FileStamp NEVER_LOOKED = new FileStamp(-3, FileTime.fromMillis(0), null);

    /** The stamp of a file that does not exist. */
    static final FileStamp ABSENT = new FileStamp(-1, FileTime.fromMillis(0), null);

    /** The stamp of a file whose attributes could not be read, so that the failure is reported once. */
    static final FileStamp UNKNOWN = new FileStamp(-2, FileTime.fromMillis(0), null);

    static FileStamp of(BasicFileAttributes attributes) {
        return new FileStamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
    }
}
