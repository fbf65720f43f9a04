package io.hookline.storage;

import io.dropwizard.lifecycle.Managed;
import io.hookline.startup.StartupFailure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The exclusive right to write one SQLite database: an OS lock on {@code <database>.lock} beside it, held while the
 * server runs. Two servers on one file would each send {@code webhooksServiceBoot} and keep their own schedule; the
 * second is refused instead. The operating system drops the lock when the process dies, even by {@code kill -9}.
 */
public final class DatabaseLock implements Managed, AutoCloseable {
    /**
     * Lock files held by this process. A second channel on a file this process has locked must not even be opened:
     * closing it would drop the process's lock on some systems (POSIX locks belong to the process, not the channel).
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DatabaseLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a database path. */
    public static Path fileOf(String databasePath) {
        return Path.of(databasePath + ".lock").toAbsolutePath();
    }

    /** Takes the lock of {@code databasePath} or fails with one line naming the database and the holder. */
    public static DatabaseLock acquire(String databasePath) {
        Path file = fileOf(databasePath);
        if (!HELD.add(file)) throw inUse(databasePath, file, " (this process)");
        try {
            // The lock file sits beside the database, whose folder a first start creates (data/ is not shipped).
            Databases.createParentDirectory(databasePath);
            return lock(databasePath, file);
        } catch (RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    private static DatabaseLock lock(String databasePath, Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StartupFailure("database.path " + Path.of(databasePath).toAbsolutePath()
                    + ": cannot create the lock file " + file + " (" + e + "); check the folder's permissions", e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException e) {
            close(channel);
            throw new StartupFailure("database.path " + Path.of(databasePath).toAbsolutePath()
                    + ": cannot lock " + file + " (" + e + ")", e);
        }
        if (lock == null) {
            String holder = holder(file);
            close(channel);
            throw inUse(databasePath, file, holder);
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
        } catch (IOException ignored) {
            // the pid only helps the operator find the holder; the lock itself is taken
        }
        return new DatabaseLock(file, channel, lock);
    }

    private static StartupFailure inUse(String databasePath, Path file, String holder) {
        return new StartupFailure("database " + Path.of(databasePath).toAbsolutePath() + " is in use by another "
                + "Hookline" + holder + " (lock " + file + "); stop it first, or give this server its own "
                + "database.path (HOOKLINE_DB)");
    }

    private static String holder(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return s.matches("pid \\d+") ? " (" + s + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void stop() {
        close();
    }

    /** Releases the lock (the file stays: deleting it could let a third process lock a different inode). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            if (lock.isValid()) lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(channel);
        HELD.remove(file);
    }
}
