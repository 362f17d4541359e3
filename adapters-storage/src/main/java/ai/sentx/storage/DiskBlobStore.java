package ai.sentx.storage;

import ai.sentx.port.BlobStore;
import ai.sentx.port.BlobStoreException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@link BlobStore} in a local directory, for the local server: key {@code files/acct_1/file-2}
 * is the file {@code <root>/files/acct_1/file-2}.
 *
 * <p>Keys are {@code /}-separated segments of letters, digits, {@code .}, {@code _} and {@code -}
 * that do not start with {@code .} (so {@code .} and {@code ..} are impossible, and the store's
 * own temporary files, which start with {@code .}, never collide with a key). Anything else, such
 * as an absolute path, a backslash, an empty segment or a NUL, is rejected with an
 * {@link IllegalArgumentException}: no key reaches outside the root.
 *
 * <p>A put copies the source to a temporary file beside its target and renames it into place
 * atomically, so a reader sees the old bytes or the new ones, never a partial file. A put is not
 * forced to the disk: a power cut may lose a recent put (durability is S3's job in production).
 * Delete removes the file and then, best effort, the directories it leaves empty; a put into a
 * directory that a concurrent delete is removing tries again. Puts and deletes of different keys
 * may run concurrently from any thread.
 *
 * <p>Unlike S3, a directory cannot hold both a blob {@code a/b} and blobs {@code a/b/...}: the
 * second put of such a pair fails with a {@link BlobStoreException}. The domain's keys
 * ({@code files/<account>/<file id>}) never pair up like that.
 */
public final class DiskBlobStore implements BlobStore {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final int MAX_KEY_LENGTH = 1024;
    /** How often a put retries when a concurrent delete removes the directory it is writing into. */
    private static final int PUT_ATTEMPTS = 16;

    private final Path root;

    /**
     * A store under {@code root}, creating the directory (and its parents) if missing.
     *
     * @param root the directory (not {@code null})
     * @throws BlobStoreException if the directory cannot be created
     */
    public DiskBlobStore(Path root) {
        Objects.requireNonNull(root, "root");
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new BlobStoreException("cannot create the blob directory " + this.root, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @param key         a key of safe segments (see the class comment; not {@code null})
     * @param source      a regular file of exactly {@code length} bytes (not {@code null})
     * @param length      the file's size
     * @param contentType not stored (may be {@code null}): reads do not depend on it
     * @throws IllegalArgumentException if the key is not safe, or {@code length} is not the size of the copy
     * @throws BlobStoreException       if the source cannot be read, the disk fails, or a directory of longer
     *                                  keys is where the file would be, or a blob where its folder would be
     */
    @Override
    public void put(String key, Path source, long length, String contentType) {
        Path target = pathOf(key);
        Objects.requireNonNull(source, "source");
        Path temp = null;
        try {
            temp = createTempBeside(target, key);
            long copied = copy(source, temp);
            if (copied != length) {
                throw new IllegalArgumentException("length " + length + " is not the size of the source (" + copied + " bytes)");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new BlobStoreException("cannot store " + key + ": " + e.getClass().getSimpleName(), e);
        } finally {
            if (temp != null) deleteQuietly(temp);
        }
    }

    /**
     * {@inheritDoc} The stream is buffered.
     *
     * @throws IllegalArgumentException    if the key is not safe
     * @throws BlobStoreException.NotFound if no file is stored under the key
     * @throws BlobStoreException          if the file cannot be opened
     */
    @Override
    public InputStream open(String key) {
        Path path = pathOf(key);
        // A directory (the key is a prefix of longer keys) holds no bytes under this key.
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) throw new BlobStoreException.NotFound(key);
        try {
            return new BufferedInputStream(Files.newInputStream(path));
        } catch (NoSuchFileException e) {
            throw new BlobStoreException.NotFound(key);
        } catch (IOException e) {
            throw new BlobStoreException("cannot open " + key + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * {@inheritDoc} Directories left empty are removed, best effort, up to (not including) the root.
     *
     * @throws IllegalArgumentException if the key is not safe
     * @throws BlobStoreException       if the file exists and cannot be deleted
     */
    @Override
    public void delete(String key) {
        Path path = pathOf(key);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            if (!Files.deleteIfExists(path)) return;
        } catch (IOException e) {
            throw new BlobStoreException("cannot delete " + key + ": " + e.getClass().getSimpleName(), e);
        }
        removeEmptyParents(path.getParent());
    }

    /**
     * The file of {@code key} under the root.
     *
     * @throws NullPointerException     if the key is {@code null}
     * @throws IllegalArgumentException if the key is too long or not safe segments
     */
    Path pathOf(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a blob key has 1 to " + MAX_KEY_LENGTH + " characters");
        }
        // split with limit -1 keeps trailing empty segments, so "a/" is rejected like "a//b".
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("unsafe blob key: segments are [A-Za-z0-9._-], not empty, not starting with '.'");
            }
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("unsafe blob key: it leaves the store's directory");
        }
        return path;
    }

    /**
     * Creates the target's directories and a temporary file in them. A concurrent delete may
     * remove a directory (it was empty then) between those steps, or inside
     * {@link Files#createDirectories}, which then reports the directory as missing or, having seen
     * it exist a moment before, as a file that exists but is no directory: both are retried.
     */
    private Path createTempBeside(Path target, String key) throws IOException {
        Path dir = target.getParent();
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(dir);
                return Files.createTempFile(dir, ".put-", ".tmp");
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                if (e instanceof FileAlreadyExistsException && blobInPlaceOfAFolder(dir)) {
                    throw new BlobStoreException("cannot store " + key + ": a blob is stored where its folder would be", e);
                }
                if (attempt == PUT_ATTEMPTS) {
                    throw new BlobStoreException("cannot store " + key + ": concurrent deletes kept removing its folder", e);
                }
            }
        }
    }

    /**
     * Copies {@code source} into the existing, empty {@code temp} (the kernel copies; no bytes pass
     * through the heap). Not {@code Files.copy(..., REPLACE_EXISTING)}: that deletes the temporary
     * file first, and in that instant a concurrent delete may remove the emptied folder.
     */
    private static long copy(Path source, Path temp) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            long size = in.size();
            long position = 0;
            while (position < size) {
                long moved = in.transferTo(position, size - position, out);
                if (moved <= 0) break; // the source shrank while being copied
                position += moved;
            }
            return out.size();
        }
    }

    /** Whether {@code dir} or a directory above it (below the root) is a file, such as the blob of a shorter key. */
    private boolean blobInPlaceOfAFolder(Path dir) {
        for (Path current = dir; !current.equals(root); current = current.getParent()) {
            if (Files.isRegularFile(current, LinkOption.NOFOLLOW_LINKS)) return true;
        }
        return false;
    }

    private void removeEmptyParents(Path dir) {
        for (Path current = dir; current != null && !current.equals(root) && current.startsWith(root);
             current = current.getParent()) {
            try {
                Files.delete(current);
            } catch (IOException e) {
                // Not empty (the usual case: other blobs, or a concurrent put's temp file), already
                // gone, or not deletable: stop. An empty directory left behind costs only tidiness.
                return;
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // The put already failed with the cause that matters; a stray temp file is named .put-*.tmp.
        }
    }
}
