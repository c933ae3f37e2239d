package io.tarn.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

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
     * Takes the group's and others' permissions away from {@code dir} and everything under it
     * (files {@code rw-------}, folders {@code rwx------}), for folders whose files another program
     * creates with its own modes. Links are not followed; names removed meanwhile are skipped.
     *
     * @return how many files and folders were changed
     */
    public static int restrictTree(Path dir) throws IOException {
        if (!POSIX) {
            return 0;
        }
        int[] changed = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                restrict(d, DIR_PERMISSIONS, changed);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    restrict(f, FILE_PERMISSIONS, changed);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // removed meanwhile
                }
                throw e;
            }
        });
        return changed[0];
    }

    /** Makes an existing regular file owner-only ({@code rw-------}) where the platform has POSIX permissions. */
    public static void restrictFile(Path file) throws IOException {
        if (POSIX) {
            restrict(file, FILE_PERMISSIONS, new int[1]);
        }
    }

    private static void restrict(Path p, Set<PosixFilePermission> wanted, int[] changed)
            throws IOException {
        try {
            if (Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
                return;
            }
            Files.setPosixFilePermissions(p, wanted);
            changed[0]++;
        } catch (NoSuchFileException removedMeanwhile) {
            // RocksDB deletes obsolete files at any time
        }
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
