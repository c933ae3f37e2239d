package io.tarn.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Files and folders only their owner can read ({@code rw-------} and {@code rwx------}), and the
 * directory syncs that make a created or renamed name survive a power cut. On file systems without
 * POSIX permissions the attributes are left out (the platform's defaults apply).
 */
public final class OwnerOnly {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] FILE = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    private static final FileAttribute<?>[] DIR = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];

    private OwnerOnly() {}

    /** The attributes of a new owner-only file, for {@link FileChannel#open(Path, java.util.Set, FileAttribute[])}. */
    public static FileAttribute<?>[] file() {
        return FILE.clone();
    }

    /**
     * Creates {@code dir} and every missing folder above it, each owner-only, and returns the folders
     * it created, outermost first (empty when {@code dir} existed). A folder created meanwhile by
     * someone else is accepted if it is a folder.
     *
     * @throws FileAlreadyExistsException if a name on the way is a file
     */
    public static List<Path> createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.isDirectory(p)) {
            if (Files.exists(p)) {
                if (Files.isDirectory(p)) {
                    break; // created meanwhile
                }
                throw new FileAlreadyExistsException(p.toString(), null, "not a folder");
            }
            missing.add(0, p);
            p = p.getParent();
        }
        List<Path> created = new ArrayList<>();
        for (Path m : missing) {
            try {
                Files.createDirectory(m, DIR);
                created.add(m);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(m)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** Like {@link #createDirectories(Path)}, then syncs the parent of every folder it created. */
    public static List<Path> createDirectoriesDurably(Path dir) throws IOException {
        List<Path> created = createDirectories(dir);
        for (Path c : created) {
            syncDirectory(c.getParent());
        }
        return created;
    }

    /**
     * Syncs a folder, so that the names created, renamed or deleted in it so far survive a power cut
     * (Linux: {@code fsync} on the folder opened read-only).
     */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
