package io.tarn.block.local;

import io.tarn.block.BlockBatch;
import io.tarn.block.BlockKeys;
import io.tarn.block.BlockList;
import io.tarn.block.BlockListing;
import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockListing;
import io.tarn.block.BlockStat;
import io.tarn.block.BlockStore;
import io.tarn.block.BlockStoreException;
import io.tarn.block.BackgroundMd5;
import io.tarn.block.ByteRange;
import io.tarn.block.DigestingInputStream;
import io.tarn.block.FileRegionInputStream;
import io.tarn.block.IncompleteUploadException;
import io.tarn.block.InvalidKeyException;
import io.tarn.block.InvalidNamespaceException;
import io.tarn.block.Md5;
import io.tarn.block.Multipart;
import io.tarn.block.PartResult;
import io.tarn.block.PutResult;
import io.tarn.block.StorageNamespace;
import io.tarn.block.StorageNamespaces;
import io.tarn.util.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A block store on the local file system. A namespace {@code local://a/b} is the folder
 * {@code <root>/a/b}; it can never lead outside the root: absolute paths and {@code ..} segments
 * are refused when parsing, and every operation checks the real path (after following symbolic
 * links) of the deepest existing folder on the way to the object.
 *
 * <p>Writes go to a temporary file ({@code .tarn-tmp-*}) in the store's own staging folder
 * {@code <root>/}{@value #STAGING_DIR}, and are renamed into place atomically once the whole stream
 * was read and matched its declared length; on any failure the temporary file is deleted.
 *
 * <p><b>Durability</b> ({@code blockstore.local.sync}, default on): the data of every file is forced
 * to disk ({@code fdatasync}) before it is renamed into place, and the folder holding the new name is
 * synced after the rename, as is the parent of every folder the store creates. So once a write
 * returns, a power cut cannot lose its bytes nor leave a name pointing at bytes that were never
 * written. Without sync, writes survive a crash of the process (the rename is atomic and the bytes
 * are in the page cache), not necessarily of the machine. A {@link #batch()} keeps the first half
 * (each file forced before its rename) and makes the new names durable in its {@code sync()}, one
 * folder sync per folder for the whole batch (a commit's range and tree files).
 *
 * <p><b>Containment.</b> The store creates every folder it writes into itself, owner-only
 * ({@code rwx------}), and every file owner-only ({@code rw-------}). Before a rename it checks the
 * real path of the target folder, and after it checks again: a folder swapped for a link to the
 * outside meanwhile is detected, and whatever the rename put outside the root is removed. The ETag (MD5 hex, or the multipart form) is kept in the file's
 * user extended attribute {@code user.tarn.etag}; on file systems without extended attributes it
 * is recomputed from the content when asked for (then multipart objects report their plain MD5).
 *
 * <p>As on any file system, a key cannot be both an object and a folder: with {@code a/b} stored,
 * a put of {@code a} fails with a {@link BlockStoreException} (S3 and the memory store allow both).
 * Temporary files of writes cut off by a crash of the process stay behind in the staging folder,
 * invisible through the interface, until a store opened on the root more than an hour later removes
 * them.
 *
 * <p>Multipart uploads live under the reserved folder {@code <root>/.tarn-multipart/<id>/}, one file
 * per part, and are completed by concatenating the parts into a temporary file that is renamed
 * into place. Presigned URLs are not available.
 */
public final class LocalBlockStore implements BlockStore {
    public static final String TYPE = "local";
    /** Reserved top-level folder for multipart uploads; no namespace may use it. */
    public static final String MULTIPART_DIR = ".tarn-multipart";
    static final String TEMP_PREFIX = ".tarn-tmp-";
    /** Reserved top-level folder of the temporary files of writes in progress. */
    public static final String STAGING_DIR = TEMP_PREFIX + "staging";
    /** Temporary files older than this are leftovers of a crashed process, removed at start. */
    private static final long STALE_TEMP_MILLIS = 3_600_000L;
    private static final String ETAG_ATTRIBUTE = "tarn.etag";
    private static final String UPLOAD_INFO = "upload";
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Buffer of the first bytes of a write (small objects never allocate more). */
    private static final int FIRST_BUFFER_SIZE = 64 * 1024;
    /** Writes up to this size digest their MD5 inline; larger ones on a background thread. */
    static final int INLINE_MD5_BYTES = 4 * 1024 * 1024;
    /** Buffer size, and number of buffers, of the background MD5 of large writes. */
    private static final int BUFFER_SIZE = 512 * 1024;
    private static final int BACKGROUND_BUFFERS = 3;

    private final Path root;
    private final Path staging;
    private final boolean fsync;
    private final boolean xattrs;
    /** What the store does to make writes durable, in order ({@code force}, {@code publish}, {@code sync-folder}): for tests. */
    private volatile java.util.function.Consumer<String> events = e -> { };

    /** A store under {@code root} (created if missing, owner-only) that syncs every file it publishes. */
    public LocalBlockStore(Path root) {
        this(root, true);
    }

    /**
     * @param root  the folder holding every namespace; created if missing (owner-only)
     * @param fsync whether to force each file to disk before renaming it into place, and sync the
     *              folder entries it creates ({@code blockstore.local.sync})
     */
    public LocalBlockStore(Path root, boolean fsync) {
        this(root, fsync, true);
    }

    /**
     * @param useXattrs keep ETags in extended attributes where the file system supports them; with
     *                  {@code false} (or without support) ETags are recomputed from the content
     */
    LocalBlockStore(Path root, boolean fsync, boolean useXattrs) {
        try {
            OwnerOnly.createDirectories(root);
            this.root = root.toRealPath();
            this.staging = this.root.resolve(STAGING_DIR);
            OwnerOnly.createDirectories(staging);
            if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(staging + " is not a folder");
            }
            removeStaleTempFiles(staging);
        } catch (IOException e) {
            throw new BlockStoreException("cannot use local block store root " + root + ": " + e, e);
        }
        this.fsync = fsync;
        this.xattrs = useXattrs && xattrsWork(this.staging);
    }

    /** Removes temporary files left by a crashed process (recent ones may be another store's writes). */
    private static void removeStaleTempFiles(Path dir) throws IOException {
        long stale = System.currentTimeMillis() - STALE_TEMP_MILLIS;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() < stale) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException ignored) {
                    // gone meanwhile, or not ours to remove: harmless
                }
            }
        }
    }

    /**
     * Receives one line per durability step of the object writes ({@code force <temp>} after a
     * file's data is on disk, {@code publish <temp> <key path>} after its rename, {@code sync-folder
     * <folder>} after a folder sync), in the order they happen; for tests.
     */
    void onDurabilityStep(java.util.function.Consumer<String> listener) {
        this.events = listener;
    }

    /** Whether files are forced to disk, and folder entries synced, before a write returns. */
    public boolean syncs() {
        return fsync;
    }

    /** Whether user extended attributes can be written and read under {@code dir}. */
    private static boolean xattrsWork(Path dir) {
        Path probe = tempFileIn(dir);
        try {
            createOwnerOnly(probe).close();
            UserDefinedFileAttributeView view = Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class);
            if (view == null) {
                return false;
            }
            view.write(ETAG_ATTRIBUTE, ByteBuffer.wrap(new byte[] {'x'}));
            return view.size(ETAG_ATTRIBUTE) == 1;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            deleteQuietly(probe);
        }
    }

    /** Whether ETags are kept in extended attributes (else recomputed from the content). */
    public boolean keepsEtagsInXattrs() {
        return xattrs;
    }

    /** The real path of the root folder. */
    public Path root() {
        return root;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public StorageNamespace namespace(String uri) {
        StorageNamespace ns = StorageNamespaces.parse(uri, TYPE);
        namespaceDir(ns);
        return ns;
    }

    /**
     * The namespace with every symbolic link on the way to its folder resolved: its prefix is the
     * real path of the deepest existing part of the folder, relative to the root, followed by the
     * part that does not exist yet. {@code local://a} and {@code local://link-to-a/b}, with
     * {@code link-to-a} a link inside the root to {@code a}, give the prefixes {@code a} and
     * {@code a/b}: one holds the other.
     */
    @Override
    public StorageNamespace realNamespace(StorageNamespace ns) {
        Path dir = namespaceDir(ns);
        Path existing = dir;
        List<String> missing = new ArrayList<>();
        while (!existing.equals(root) && !existsNoFollow(existing)) {
            missing.add(0, existing.getFileName().toString());
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            throw new InvalidNamespaceException(ns.uri() + " leads through a broken link in the local block store");
        }
        if (!real.startsWith(root)) {
            throw escape(ns.uri());
        }
        List<String> segments = new ArrayList<>();
        for (Path name : root.relativize(real)) {
            if (!name.toString().isEmpty()) {
                segments.add(name.toString());
            }
        }
        segments.addAll(missing);
        return new StorageNamespace(ns.uri(), ns.scheme(), ns.bucket(), String.join("/", segments));
    }

    // ---- paths ---------------------------------------------------------------------------------

    private Path namespaceDir(StorageNamespace ns) {
        Path dir = namespaceDirLexically(ns);
        requireInsideRoot(dir, ns.uri());
        return dir;
    }

    /**
     * The folder of {@code ns}, checked by name only (valid, not reserved, under the root once
     * normalised), without looking at the file system: for callers that check a path inside it with
     * {@link #requireInsideRoot}, which resolves every link on the way, the folder's included.
     */
    private Path namespaceDirLexically(StorageNamespace ns) {
        StorageNamespaces.require(ns, TYPE);
        String problem = BlockKeys.problem(ns.prefix());
        if (problem != null) {
            throw new InvalidNamespaceException("storage namespace " + ns.uri() + " is invalid: " + problem);
        }
        String first = ns.prefix().split("/", 2)[0];
        if (first.equals(MULTIPART_DIR) || first.equals(STAGING_DIR) || hasTempSegment(ns.prefix())) {
            throw new InvalidNamespaceException("storage namespace " + ns.uri()
                    + " uses a name reserved by the local block store");
        }
        Path dir = root.resolve(ns.prefix()).normalize();
        if (!dir.startsWith(root)) {
            throw escape(ns.uri());
        }
        return dir;
    }

    /**
     * The file of {@code key} in {@code ns}, checked to be inside the root with its links resolved
     * (one walk of the file system: the object's path covers its namespace folder).
     */
    private Path objectPath(StorageNamespace ns, String key) {
        Path dir = namespaceDirLexically(ns);
        BlockKeys.requireValid(key);
        if (hasTempSegment(key)) {
            throw new InvalidKeyException("invalid object key '" + key + "': names starting with "
                    + TEMP_PREFIX + " are reserved by the local block store");
        }
        Path path = dir.resolve(key).normalize();
        requireInsideRoot(path, ns.uri() + " / " + key);
        return path;
    }

    private static boolean hasTempSegment(String path) {
        return path.startsWith(TEMP_PREFIX) || path.contains("/" + TEMP_PREFIX);
    }

    /**
     * Checks that {@code path}, with every symbolic link on the way resolved, stays inside the root:
     * the deepest part of it that exists must have a real path under the root.
     */
    private void requireInsideRoot(Path path, String what) {
        if (!path.startsWith(root)) {
            throw escape(what);
        }
        if (noLinkBelowRoot(path)) {
            return; // its existing part is real folders (and a file) under the real root: inside
        }
        Path p = path;
        while (p != null && !existsNoFollow(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw escape(what);
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            // a dangling link or a link loop: refuse rather than guess where it leads
            throw new InvalidNamespaceException(what + " leads through a broken link in the local block store");
        }
        if (!real.startsWith(root)) {
            throw escape(what);
        }
    }

    /**
     * Whether the existing part of {@code p} (a normalised path under the root) has no symbolic link
     * below the root: each name from the root down is looked at without following it, up to the first
     * that is missing or is not a folder. Then {@code p}'s existing part is its own real path, since the
     * root is real; an answer of false (a link, or an error) leaves the question to a real-path walk.
     * This costs one {@code lstat} per name below the root, where the real path costs a {@code readlink}
     * for every name from {@code /}.
     */
    private boolean noLinkBelowRoot(Path p) {
        if (p.equals(root)) {
            return true;
        }
        Path at = root;
        for (Path name : root.relativize(p)) {
            at = at.resolve(name);
            BasicFileAttributes attributes;
            try {
                attributes = attributesNoFollow(at);
            } catch (IOException | SecurityException e) {
                return false;
            }
            if (attributes == null) {
                return true;
            }
            if (!attributes.isDirectory()) {
                return !attributes.isSymbolicLink();
            }
        }
        return true;
    }

    /** Whether {@code p} exists, links not followed, as {@code Files.exists(p, NOFOLLOW_LINKS)}: any error reads as missing. */
    private static boolean existsNoFollow(Path p) {
        try {
            return attributesNoFollow(p) != null;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * The attributes of {@code p} itself (a link is not followed), or null when it does not exist:
     * unlike {@code Files.exists} and {@code Files.readAttributes}, a missing name costs no exception
     * (the JDK builds one with its stack trace inside those for every missing name: 3% of the CPU of
     * a small upload, whose target never exists yet).
     */
    private static BasicFileAttributes attributesNoFollow(Path p) throws IOException {
        return p.getFileSystem().provider()
                .readAttributesIfExists(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static InvalidNamespaceException escape(String what) {
        return new InvalidNamespaceException(what + " leads outside the local block store root");
    }

    private static Path tempFileIn(Path dir) {
        return dir.resolve(TEMP_PREFIX + UUID.randomUUID());
    }

    /** A new name for a temporary file in the staging folder. */
    private Path tempFile() {
        return tempFileIn(staging);
    }

    /** Creates {@code file} (which must not exist), owner-only, for writing. */
    private static FileChannel createOwnerOnly(Path file) throws IOException {
        return FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), OwnerOnly.file());
    }

    /**
     * Creates the missing folders up to {@code dir}, owner-only (syncing the parent of each when
     * syncing), and checks that {@code dir} really is inside the root: folders that a link swapped in
     * meanwhile made land outside are removed again.
     */
    private void createDirectories(Path dir, String what) {
        List<Path> created;
        try {
            created = OwnerOnly.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new BlockStoreException("cannot store " + what + ": " + e.getFile()
                    + " is an object, not a folder", e);
        } catch (IOException e) {
            throw new BlockStoreException("cannot create folder for " + what + ": " + e, e);
        }
        if (created.isEmpty()) {
            return;
        }
        List<Path> real = new ArrayList<>();
        boolean escaped = false;
        for (Path c : created) {
            try {
                Path r = c.toRealPath();
                real.add(r);
                escaped |= !r.startsWith(root);
            } catch (IOException e) {
                escaped = true;
            }
        }
        if (escaped) {
            for (int i = real.size() - 1; i >= 0; i--) {
                if (!real.get(i).startsWith(root)) {
                    deleteQuietly(real.get(i));
                }
            }
            throw escape(what);
        }
        if (fsync) {
            try {
                for (Path r : real) {
                    OwnerOnly.syncDirectory(r.getParent());
                }
            } catch (IOException e) {
                throw new BlockStoreException("cannot sync the folders created for " + what + ": " + e, e);
            }
        }
    }

    /**
     * Renames a finished temporary file over {@code target}, atomically, after checking that the
     * target's folder is inside the root; then checks that the name really landed inside the root
     * (a folder may have been swapped for a link between the check and the rename: whatever landed
     * outside is removed) and, when syncing, syncs the folder so the new name survives a power cut.
     */
    private void publish(Path tmp, Path target, String what) throws IOException {
        Path folder = publishUnsynced(tmp, target, what);
        if (fsync) {
            syncFolder(folder);
        }
    }

    /** {@link #publish} without the folder sync; returns the real path of the folder to sync. */
    private Path publishUnsynced(Path tmp, Path target, String what) throws IOException {
        requireInsideRoot(target, what);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new BlockStoreException("the file system cannot rename atomically: " + e, e);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            throw new BlockStoreException("cannot store " + what + ": a folder of that name exists", e);
        }
        Path folder = target.getParent();
        if (!noLinkBelowRoot(folder)) {
            try {
                folder = folder.toRealPath();
            } catch (IOException e) {
                throw new InvalidNamespaceException(what + " leads through a broken link in the local block store");
            }
            if (!folder.startsWith(root)) {
                deleteQuietly(folder.resolve(target.getFileName()));
                throw escape(what);
            }
        }
        events.accept("publish " + tmp.getFileName() + " " + root.relativize(target));
        return folder;
    }

    private void syncFolder(Path realFolder) throws IOException {
        OwnerOnly.syncDirectory(realFolder);
        events.accept("sync-folder " + root.relativize(realFolder));
    }

    /**
     * A batch whose puts force each file's data to disk before its rename, as {@link #put} does, but
     * leave the folder syncs to {@link BlockBatch#sync()}: each folder a put published into, or
     * holding an object relied on, is synced once there. Until then a power cut can lose a new name
     * (never leave a name pointing at unwritten bytes: the data is durable before the rename).
     */
    @Override
    public BlockBatch batch() {
        return fsync ? new FolderSyncBatch() : BlockStore.super.batch();
    }

    private final class FolderSyncBatch implements BlockBatch {
        private final java.util.Set<Path> folders = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public PutResult put(StorageNamespace ns, String key, InputStream data, long contentLength) {
            return store(ns, key, data, contentLength, (tmp, target, what) -> folders.add(publishUnsynced(tmp, target, what)));
        }

        /**
         * Links {@code file} into place instead of copying it, when it is a regular file on the store's
         * file system: the object is the file itself (made owner-only), its MD5 read from it, its data
         * forced to disk (already there when its writer synced it, as RocksDB's SST writer does, so the
         * force finds nothing to write), then renamed into place like any put. Elsewhere it is copied.
         */
        @Override
        public PutResult putFile(StorageNamespace ns, String key, Path file) throws IOException {
            Path target = objectPath(ns, key);
            String what = ns.uri() + " / " + key;
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new BlockStoreException("cannot store " + what + ": " + file + " is not a regular file", null);
            }
            Path tmp = tempFile();
            try {
                Files.createLink(tmp, file);
            } catch (IOException | UnsupportedOperationException e) {
                return BlockBatch.super.putFile(ns, key, file); // another file system: copied
            }
            boolean published = false; // once renamed, the temporary name is gone
            try {
                OwnerOnly.restrictFile(tmp);
                long size;
                String md5Hex;
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    DigestingInputStream d = new DigestingInputStream(java.nio.channels.Channels.newInputStream(ch), -1);
                    d.transferTo(java.io.OutputStream.nullOutputStream());
                    size = d.count();
                    md5Hex = d.md5Hex();
                    writeEtag(tmp, md5Hex);
                    ch.force(false);
                    events.accept("force " + tmp.getFileName());
                }
                createDirectories(target.getParent(), what);
                folders.add(publishUnsynced(tmp, target, what));
                published = true;
                return new PutResult(size, md5Hex);
            } finally {
                if (!published) {
                    deleteQuietly(tmp);
                }
            }
        }

        @Override
        public void rely(StorageNamespace ns, String key) {
            Path target = objectPath(ns, key);
            String what = ns.uri() + " / " + key;
            Path folder;
            try {
                folder = target.getParent().toRealPath();
            } catch (IOException e) {
                throw new BlockStoreException("cannot find the folder of " + what + ": " + e, e);
            }
            if (!folder.startsWith(root)) {
                throw escape(what);
            }
            folders.add(folder);
        }

        @Override
        public void sync() {
            for (Path folder : folders) {
                try {
                    syncFolder(folder);
                } catch (IOException e) {
                    throw new BlockStoreException("cannot sync folder " + folder + ": " + e, e);
                }
            }
            folders.clear();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is invisible (reserved name) and harmless
        }
    }

    // ---- etags ---------------------------------------------------------------------------------

    private void writeEtag(Path file, String etag) {
        if (!xattrs) {
            return;
        }
        try {
            UserDefinedFileAttributeView view =
                    Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view != null) {
                view.write(ETAG_ATTRIBUTE, ByteBuffer.wrap(etag.getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // no extended attributes here: readEtag recomputes the MD5 from the content
        }
    }

    private String readEtag(Path file) throws IOException {
        if (xattrs) {
            try {
                UserDefinedFileAttributeView view =
                        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
                ByteBuffer buf = ByteBuffer.allocate(64);
                view.read(ETAG_ATTRIBUTE, buf);
                buf.flip();
                return StandardCharsets.US_ASCII.decode(buf).toString();
            } catch (NoSuchFileException e) {
                throw e;
            } catch (IOException | UnsupportedOperationException ignored) {
                // attribute missing (file written by something else): fall through
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            DigestingInputStream d = new DigestingInputStream(in, -1);
            d.transferTo(java.io.OutputStream.nullOutputStream());
            return d.md5Hex();
        }
    }

    // ---- writes --------------------------------------------------------------------------------

    /**
     * Streams {@code data} into a new temporary file in {@code dir}, enforcing the declared length,
     * and returns it with its MD5; deletes it and throws on any failure. The first
     * {@value #INLINE_MD5_BYTES} bytes are digested inline; beyond that the MD5 runs on a
     * {@link BackgroundMd5} thread while this thread reads and writes the next buffer.
     */
    private Written writeTemp(InputStream data, long contentLength, String what) {
        Path tmp = tempFile();
        DigestingInputStream in = DigestingInputStream.lengthChecking(data, contentLength);
        MessageDigest inlineMd5 = Md5.newDigest();
        BackgroundMd5 background = null;
        boolean ok = false;
        try {
            byte[] md5;
            try (FileChannel out = createOwnerOnly(tmp)) {
                byte[] buf = new byte[contentLength >= 0 && contentLength < FIRST_BUFFER_SIZE
                        ? (int) contentLength + 1 : FIRST_BUFFER_SIZE];
                boolean ended = false;
                while (!ended) {
                    int n = fill(in, buf, what);
                    ended = n < buf.length; // fill() stops short only at the end of the data
                    if (n == 0) {
                        break;
                    }
                    writeFully(out, buf, n);
                    if (background == null && in.count() <= INLINE_MD5_BYTES) {
                        inlineMd5.update(buf, 0, n);
                    } else {
                        if (background == null) {
                            background = new BackgroundMd5(inlineMd5, BACKGROUND_BUFFERS, BUFFER_SIZE);
                        }
                        background.submit(buf, n);
                        buf = background.buffer();
                    }
                }
                requireComplete(in, what);
                md5 = background == null ? inlineMd5.digest() : background.finish();
                writeEtag(tmp, Md5.hex(md5));
                if (fsync) {
                    out.force(false);
                    events.accept("force " + tmp.getFileName());
                }
            }
            String md5Hex = Md5.hex(md5);
            ok = true;
            return new Written(tmp, in.count(), md5Hex);
        } catch (IOException e) {
            throw new BlockStoreException("cannot write " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlockStoreException("interrupted while writing " + what, e);
        } finally {
            if (background != null) {
                background.close();
            }
            if (!ok) {
                deleteQuietly(tmp);
            }
        }
    }

    /** Reads until {@code buf} is full or the data ends; a failing source is an incomplete upload. */
    private static int fill(DigestingInputStream in, byte[] buf, String what) {
        try {
            return in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            throw new IncompleteUploadException("upload of " + what + " failed after " + in.count()
                    + " bytes: " + e.getMessage(), e);
        }
    }

    private static void requireComplete(DigestingInputStream in, String what) {
        try {
            in.requireComplete();
        } catch (IOException e) {
            throw new IncompleteUploadException("upload of " + what + " failed after " + in.count()
                    + " bytes: " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel out, byte[] buf) throws IOException {
        writeFully(out, buf, buf.length);
    }

    private static void writeFully(FileChannel out, byte[] buf, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) {
            out.write(bb);
        }
    }

    private record Written(Path tmp, long size, String md5Hex) {}

    @Override
    public PutResult put(StorageNamespace ns, String key, InputStream data, long contentLength) {
        return store(ns, key, data, contentLength, this::publish);
    }

    /** How a written temporary file is published at its target ({@code what} names it in errors). */
    @FunctionalInterface
    private interface Publication {
        void publish(Path tmp, Path target, String what) throws IOException;
    }

    /** Writes {@code data} to a temporary file, then publishes it at the key's path (a put, alone or in a batch). */
    private PutResult store(StorageNamespace ns, String key, InputStream data, long contentLength,
                            Publication publication) {
        Path target = objectPath(ns, key);
        String what = ns.uri() + " / " + key;
        Written w = writeTemp(data, contentLength, what);
        boolean published = false;
        try {
            createDirectories(target.getParent(), what);
            publication.publish(w.tmp(), target, what);
            published = true; // renamed: the temporary name is gone, nothing to delete
        } catch (IOException e) {
            throw new BlockStoreException("cannot store " + what + ": " + e, e);
        } finally {
            if (!published) {
                deleteQuietly(w.tmp());
            }
        }
        return new PutResult(w.size(), w.md5Hex());
    }

    // ---- reads ---------------------------------------------------------------------------------

    @Override
    public InputStream get(StorageNamespace ns, String key, ByteRange range) {
        Path path = objectPath(ns, key);
        FileChannel ch;
        try {
            if (Files.isDirectory(path)) {
                throw notFound(ns, key);
            }
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            if (absent(e, path)) {
                throw notFound(ns, key);
            }
            throw new BlockStoreException("cannot read " + ns.uri() + " / " + key + ": " + e, e);
        }
        try {
            long size = ch.size();
            if (range == null) {
                return new FileRegionInputStream(ch, 0, size);
            }
            long first = Math.min(range.first(), size);
            long last = Math.min(range.last(), size - 1);
            return new FileRegionInputStream(ch, first, Math.max(first, last + 1));
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new BlockStoreException("cannot read " + ns.uri() + " / " + key + ": " + e, e);
        }
    }

    /**
     * Whether {@code e}, from reading or removing the object at {@code path}, means there is no such
     * object: its name is missing, or a name on the way is an object rather than a folder (for that,
     * {@code ENOTDIR}, the JDK throws a plain {@link FileSystemException}, so the path's folders below
     * the root are looked at).
     */
    private boolean absent(IOException e, Path path) {
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
            return true;
        }
        if (!(e instanceof FileSystemException)) {
            return false;
        }
        for (Path p = path.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            try {
                if (attributesNoFollow(p) != null && !Files.isDirectory(p)) {
                    return true;
                }
            } catch (IOException | SecurityException unknown) {
                return false;
            }
        }
        return false;
    }

    private static BlockNotFoundException notFound(StorageNamespace ns, String key) {
        return new BlockNotFoundException("no object " + ns.uri() + " / " + key);
    }

    @Override
    public Optional<BlockStat> stat(StorageNamespace ns, String key) {
        Path path = objectPath(ns, key);
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new BlockStat(a.size(), readEtag(path), a.lastModifiedTime().toInstant()));
        } catch (IOException e) {
            if (absent(e, path)) {
                return Optional.empty();
            }
            throw new BlockStoreException("cannot stat " + ns.uri() + " / " + key + ": " + e, e);
        }
    }

    /**
     * Walks the namespace folder depth first, each folder's entries sorted as their keys sort (a
     * folder {@code a} as {@code a/}), so keys come out in UTF-8 byte order; only one folder's
     * listing per level is held. Temporary files and anything that is not a regular file are skipped.
     */
    @Override
    public BlockList list(StorageNamespace ns, String prefix) {
        String p = BlockKeys.requireValidPrefix(prefix);
        Path dir = namespaceDir(ns);
        return new LocalListing(dir, p, ns.uri());
    }

    private record Listed(String key, Path path, boolean folder, long size, java.time.Instant lastModified) {}

    private static final class LocalListing implements BlockList {
        private final String prefix;
        private final String what;
        private final java.util.ArrayDeque<java.util.Iterator<Listed>> stack = new java.util.ArrayDeque<>();
        private BlockListing next;

        LocalListing(Path dir, String prefix, String what) {
            this.prefix = prefix;
            this.what = what;
            push(dir, "");
            next = advance();
        }

        /** Pushes a folder's entries that can lead to keys under the prefix, sorted by key. */
        private void push(Path dir, String keyPrefix) {
            List<Listed> entries = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(TEMP_PREFIX)) {
                        continue;
                    }
                    BasicFileAttributes a;
                    try {
                        a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    if (a.isDirectory()) {
                        String key = keyPrefix + name + "/";
                        if (key.startsWith(prefix) || prefix.startsWith(key)) {
                            entries.add(new Listed(key, f, true, 0, null));
                        }
                    } else if (a.isRegularFile()) {
                        String key = keyPrefix + name;
                        if (key.startsWith(prefix)) {
                            entries.add(new Listed(key, f, false, a.size(), a.lastModifiedTime().toInstant()));
                        }
                    }
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                return;
            } catch (IOException e) {
                throw new BlockStoreException("cannot list " + what + ": " + e, e);
            }
            entries.sort((x, y) -> BlockKeys.compareUtf8(x.key(), y.key()));
            stack.push(entries.iterator());
        }

        private BlockListing advance() {
            while (!stack.isEmpty()) {
                java.util.Iterator<Listed> top = stack.peek();
                if (!top.hasNext()) {
                    stack.pop();
                    continue;
                }
                Listed e = top.next();
                if (e.folder()) {
                    push(e.path(), e.key());
                    continue;
                }
                return new BlockListing(e.key(), e.size(), null, e.lastModified());
            }
            return null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public BlockListing next() {
            if (next == null) {
                throw new java.util.NoSuchElementException();
            }
            BlockListing out = next;
            next = advance();
            return out;
        }

        @Override
        public void close() {
            stack.clear();
            next = null;
        }
    }

    @Override
    public void delete(StorageNamespace ns, String key) {
        Path path = objectPath(ns, key);
        try {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            if (!absent(e, path)) {
                throw new BlockStoreException("cannot delete " + ns.uri() + " / " + key + ": " + e, e);
            }
        }
    }

    @Override
    public PutResult copy(StorageNamespace srcNs, String srcKey, StorageNamespace dstNs, String dstKey) {
        Path src = objectPath(srcNs, srcKey);
        Path dst = objectPath(dstNs, dstKey);
        String what = dstNs.uri() + " / " + dstKey;
        if (!Files.isRegularFile(src)) {
            throw notFound(srcNs, srcKey);
        }
        Path tmp = tempFile();
        try {
            String etag = readEtag(src);
            long size = 0;
            try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ);
                 FileChannel out = createOwnerOnly(tmp)) {
                long total = in.size();
                while (size < total) {
                    long n = in.transferTo(size, total - size, out);
                    if (n <= 0) {
                        break;
                    }
                    size += n;
                }
                writeEtag(tmp, etag);
                if (fsync) {
                    out.force(false);
                }
            }
            createDirectories(dst.getParent(), what);
            publish(tmp, dst, what);
            return new PutResult(size, etag);
        } catch (NoSuchFileException e) {
            throw notFound(srcNs, srcKey);
        } catch (IOException e) {
            throw new BlockStoreException("cannot copy to " + what + ": " + e, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    // ---- multipart -----------------------------------------------------------------------------

    private Path uploadsDir() {
        return root.resolve(MULTIPART_DIR);
    }

    private static String uploadInfo(StorageNamespace ns, String key) {
        return ns.prefix() + "\n" + key;
    }

    @Override
    public String createMultipartUpload(StorageNamespace ns, String key) {
        objectPath(ns, key);
        String id = UUID.randomUUID().toString();
        Path dir = uploadsDir().resolve(id);
        String what = "multipart upload of " + ns.uri() + " / " + key;
        Path tmp = tempFile();
        try {
            createDirectories(dir, what);
            try (FileChannel out = createOwnerOnly(tmp)) {
                writeFully(out, uploadInfo(ns, key).getBytes(StandardCharsets.UTF_8));
                if (fsync) {
                    out.force(false);
                }
            }
            publish(tmp, dir.resolve(UPLOAD_INFO), what);
        } catch (IOException e) {
            throw new BlockStoreException("cannot start multipart upload of " + ns.uri() + " / " + key
                    + ": " + e, e);
        } finally {
            deleteQuietly(tmp);
        }
        return id;
    }

    /** The folder of an existing upload for this namespace and key. */
    private Path uploadDir(StorageNamespace ns, String key, String uploadId) {
        objectPath(ns, key);
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
            throw noUpload(ns, key, uploadId);
        }
        Path dir = uploadsDir().resolve(uploadId);
        try {
            String info = Files.readString(dir.resolve(UPLOAD_INFO), StandardCharsets.UTF_8);
            if (!info.equals(uploadInfo(ns, key))) {
                throw noUpload(ns, key, uploadId);
            }
        } catch (NoSuchFileException e) {
            throw noUpload(ns, key, uploadId);
        } catch (IOException e) {
            throw new BlockStoreException("cannot read multipart upload " + uploadId + ": " + e, e);
        }
        return dir;
    }

    private static BlockNotFoundException noUpload(StorageNamespace ns, String key, String uploadId) {
        return new BlockNotFoundException("no multipart upload " + uploadId + " for " + ns.uri() + " / " + key);
    }

    private static String partName(int partNumber) {
        return String.format("part-%05d", partNumber);
    }

    @Override
    public PartResult uploadPart(StorageNamespace ns, String key, String uploadId, int partNumber,
                                 InputStream data, long contentLength) {
        Path dir = uploadDir(ns, key, uploadId);
        Multipart.requireValidPartNumber(partNumber);
        String what = "part " + partNumber + " of " + ns.uri() + " / " + key;
        Written w = writeTemp(data, contentLength, what);
        try {
            publish(w.tmp(), dir.resolve(partName(partNumber)), what);
        } catch (NoSuchFileException e) {
            throw noUpload(ns, key, uploadId);
        } catch (IOException e) {
            throw new BlockStoreException("cannot store part " + partNumber + ": " + e, e);
        } finally {
            deleteQuietly(w.tmp());
        }
        return new PartResult(partNumber, w.size(), w.md5Hex());
    }

    @Override
    public List<PartResult> listParts(StorageNamespace ns, String key, String uploadId) {
        return parts(uploadDir(ns, key, uploadId), ns, key, uploadId);
    }

    private List<PartResult> parts(Path dir, StorageNamespace ns, String key, String uploadId) {
        List<PartResult> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "part-*")) {
            for (Path f : files) {
                int n = Integer.parseInt(f.getFileName().toString().substring(5));
                out.add(new PartResult(n, Files.size(f), readEtag(f)));
            }
        } catch (NoSuchFileException e) {
            throw noUpload(ns, key, uploadId);
        } catch (IOException e) {
            throw new BlockStoreException("cannot list parts of upload " + uploadId + ": " + e, e);
        }
        out.sort(Comparator.comparingInt(PartResult::partNumber));
        return out;
    }

    @Override
    public PutResult completeMultipartUpload(StorageNamespace ns, String key, String uploadId,
                                             List<PartResult> parts) {
        Path dir = uploadDir(ns, key, uploadId);
        Path target = objectPath(ns, key);
        String what = ns.uri() + " / " + key;
        List<PartResult> chosen = Multipart.resolve(parts, parts(dir, ns, key, uploadId));
        Path tmp = tempFile();
        long size = 0;
        try {
            String etag = Multipart.etag(chosen);
            try (FileChannel out = createOwnerOnly(tmp)) {
                for (PartResult p : chosen) {
                    try (FileChannel in = FileChannel.open(dir.resolve(partName(p.partNumber())),
                            StandardOpenOption.READ)) {
                        long partSize = in.size();
                        long done = 0;
                        while (done < partSize) {
                            done += in.transferTo(done, partSize - done, out);
                        }
                        size += partSize;
                    }
                }
                writeEtag(tmp, etag);
                if (fsync) {
                    out.force(false);
                }
            }
            createDirectories(target.getParent(), what);
            publish(tmp, target, what);
            deleteTree(dir);
            return new PutResult(size, etag);
        } catch (IOException e) {
            throw new BlockStoreException("cannot complete multipart upload of " + what + ": " + e, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public void abortMultipartUpload(StorageNamespace ns, String key, String uploadId) {
        Path dir = uploadDir(ns, key, uploadId);
        try {
            deleteTree(dir);
        } catch (IOException e) {
            throw new BlockStoreException("cannot abort multipart upload " + uploadId + ": " + e, e);
        }
    }

    /**
     * Deletes an upload folder: its info file first, so a half-deleted upload is already gone. A part
     * still being written when the upload is aborted leaves a temporary file that may appear while
     * the folder is emptied; a few passes take care of it.
     */
    private static void deleteTree(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(UPLOAD_INFO));
        for (int pass = 0; ; pass++) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            } catch (NoSuchFileException e) {
                return;
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                if (pass >= 5) {
                    throw e;
                }
            }
        }
    }

    // ---- presign -------------------------------------------------------------------------------

    @Override
    public Optional<URI> presignGet(StorageNamespace ns, String key, Duration ttl) {
        objectPath(ns, key);
        return Optional.empty();
    }

    @Override
    public Optional<URI> presignPut(StorageNamespace ns, String key, Duration ttl) {
        objectPath(ns, key);
        return Optional.empty();
    }

    @Override
    public boolean presignsUploadParts() {
        return false;
    }

    @Override
    public Optional<URI> presignUploadPart(StorageNamespace ns, String key, String uploadId, int partNumber,
                                           Duration ttl) {
        objectPath(ns, key);
        return Optional.empty();
    }

    @Override
    public void close() {
        // nothing held open
    }
}
