package dev.qflux.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A segment file whose writes, fsyncs and truncations fail when a test says so. */
final class FaultyFileChannel extends FileChannel {

    /** Switches shared by every channel a {@link #opener} hands out; each one-shot switch fires once. */
    static final class Faults {
        volatile boolean failNextWrite;
        volatile boolean failNextForce;
        volatile boolean failTruncate;
        volatile boolean failOpen;
    }

    static SpoolSeams.ChannelOpener opener(Faults faults) {
        return file -> {
            if (faults.failOpen) {
                throw new IOException("Read-only file system (test): " + file);
            }
            return new FaultyFileChannel(
                    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), faults, file);
        };
    }

    private final FileChannel delegate;
    private final Faults faults;
    private final Path file;

    private FaultyFileChannel(FileChannel delegate, Faults faults, Path file) {
        this.delegate = delegate;
        this.faults = faults;
        this.file = file;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (faults.failNextWrite) {
            faults.failNextWrite = false;
            // ENOSPC part-way: some bytes really reach the file first.
            ByteBuffer first = srcs[offset].duplicate();
            first.limit(first.position() + first.remaining() / 2);
            delegate.write(first);
            throw new IOException("No space left on device (test): " + file);
        }
        return delegate.write(srcs, offset, length);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (faults.failNextForce) {
            faults.failNextForce = false;
            throw new IOException("Input/output error (test): fsync " + file);
        }
        delegate.force(metaData);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (faults.failTruncate) {
            throw new IOException("Input/output error (test): truncate " + file);
        }
        delegate.truncate(size);
        return this;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return delegate.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
