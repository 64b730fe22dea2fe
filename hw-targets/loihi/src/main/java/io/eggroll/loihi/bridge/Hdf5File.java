package io.eggroll.loihi.bridge;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An open HDF5 file, written and read through libeggroll_native (libhdf5). Paths are absolute
 * inside the file ({@code /layer/0/weight}); writing a dataset creates its missing parent
 * groups. Every failure is an {@link Hdf5Exception} carrying the library's message, which names
 * the file or dataset.
 */
public final class Hdf5File implements AutoCloseable {

    /** Element types, as {@code EGG_H5_*} in eggroll_native.h. */
    public enum Type {
        OTHER, F32, F64, I64, U8, BOOL, I32, STRING;

        static Type of(int code) {
            return code >= 0 && code < values().length ? values()[code] : OTHER;
        }
    }

    /** What is stored at a path: nothing, a group, or a dataset of a type and shape. */
    public record Info(boolean exists, boolean group, Type type, long[] shape, boolean variableLengthString,
                       int elementSize) {
        public long count() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public String toString() {
            return !exists ? "missing" : group ? "group" : type + Arrays.toString(shape)
                    + (type == Type.STRING ? (variableLengthString ? " vlen" : " fixed " + elementSize) : "");
        }
    }

    private final EggrollNative lib;
    private final Path path;
    private long handle;

    private Hdf5File(EggrollNative lib, Path path, long handle) {
        this.lib = lib;
        this.path = path;
        this.handle = handle;
    }

    /** Creates (or truncates) a file. */
    public static Hdf5File create(Path path) {
        return open(path, true);
    }

    /** Opens an existing file read-only. */
    public static Hdf5File openReadOnly(Path path) {
        return open(path, false);
    }

    private static Hdf5File open(Path path, boolean create) {
        EggrollNative lib = EggrollNative.get();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path.toString());
            long h = create ? (long) lib.h5Create.invokeExact(p) : (long) lib.h5Open.invokeExact(p);
            if (h < 0) {
                throw new Hdf5Exception(lib.lastError());
            }
            return new Hdf5File(lib, path, h);
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    public Path path() {
        return path;
    }

    private long h() {
        if (handle < 0) {
            throw new IllegalStateException("HDF5 file " + path + " is closed");
        }
        return handle;
    }

    private void check(int rc) {
        if (rc < 0) {
            throw new Hdf5Exception(path + ": " + lib.lastError());
        }
    }

    public void group(String name) {
        try (Arena a = Arena.ofConfined()) {
            check((int) lib.h5Group.invokeExact(h(), a.allocateFrom(name)));
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    private void write(String name, Type type, long[] shape, MemorySegment data, Arena a) throws Throwable {
        check((int) lib.h5Write.invokeExact(h(), a.allocateFrom(name), type.ordinal(), shape.length,
                a.allocateFrom(JAVA_LONG, shape.length == 0 ? new long[1] : shape), data));
    }

    /** float32 dataset of the given shape (none = scalar). */
    public void writeFloats(String name, float[] data, long... shape) {
        checkCount(name, data.length, shape);
        try (Arena a = Arena.ofConfined()) {
            write(name, Type.F32, shape, a.allocateFrom(JAVA_FLOAT, data), a);
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    public void writeDoubles(String name, double[] data, long... shape) {
        checkCount(name, data.length, shape);
        try (Arena a = Arena.ofConfined()) {
            write(name, Type.F64, shape, a.allocateFrom(JAVA_DOUBLE, data), a);
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    public void writeLongs(String name, long[] data, long... shape) {
        checkCount(name, data.length, shape);
        try (Arena a = Arena.ofConfined()) {
            write(name, Type.I64, shape, a.allocateFrom(JAVA_LONG, data), a);
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    /** uint8 dataset (e.g. an embedded file). */
    public void writeBytes(String name, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            write(name, Type.U8, new long[] {data.length}, a.allocateFrom(JAVA_BYTE, data.length == 0 ? new byte[1] : data), a);
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    /** A scalar h5py-style bool (int8 enum FALSE/TRUE). */
    public void writeBool(String name, boolean value) {
        try (Arena a = Arena.ofConfined()) {
            write(name, Type.BOOL, new long[0], a.allocateFrom(JAVA_BYTE, (byte) (value ? 1 : 0)), a);
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    /** A scalar variable-length UTF-8 string (h5py.string_dtype()). */
    public void writeString(String name, String value) {
        writeStrings(name, true, 0, new String[] {value});
    }

    /**
     * Strings of the given shape (none = one scalar string): variable-length UTF-8, or
     * fixed-length NULLPAD ASCII of {@code width} bytes (numpy {@code S<width>}).
     */
    public void writeStrings(String name, boolean variableLength, int width, String[] values, long... shape) {
        checkCount(name, values.length, shape);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            for (byte x : b) {
                if (x == 0) {
                    throw new IllegalArgumentException(name + ": strings cannot contain NUL");
                }
            }
            bytes.writeBytes(b);
            bytes.write(0);
        }
        try (Arena a = Arena.ofConfined()) {
            check((int) lib.h5WriteStrings.invokeExact(h(), a.allocateFrom(name), variableLength ? 1 : 0, width,
                    shape.length, a.allocateFrom(JAVA_LONG, shape.length == 0 ? new long[1] : shape),
                    a.allocateFrom(JAVA_BYTE, bytes.toByteArray())));
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    private static void checkCount(String name, int n, long[] shape) {
        long c = 1;
        for (long d : shape) {
            c *= d;
        }
        if (c != n) {
            throw new IllegalArgumentException(name + ": " + n + " values for shape " + Arrays.toString(shape));
        }
    }

    // ------------------------------------------------------------------ reading

    public Info info(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = a.allocate(JAVA_INT, 5);
            MemorySegment dims = a.allocate(JAVA_LONG, 8);
            check((int) lib.h5Info.invokeExact(h(), a.allocateFrom(name), info, dims));
            int[] i = info.toArray(JAVA_INT);
            long[] d = Arrays.copyOf(dims.toArray(JAVA_LONG), i[0] == 2 ? i[2] : 0);
            return new Info(i[0] != 0, i[0] == 1, Type.of(i[1]), d, i[3] == 1, i[4]);
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    /** Info of a dataset that must exist. */
    public Info dataset(String name) {
        Info i = info(name);
        if (!i.exists() || i.group()) {
            throw new Hdf5Exception(path + ": no dataset '" + name + "'" + (i.group() ? " (it is a group)" : ""));
        }
        return i;
    }

    /** Reads a whole numeric dataset converted to {@code type}, then turns the bytes into a Java array. */
    private <T> T read(String name, Type type, int bytes, java.util.function.Function<MemorySegment, T> convert) {
        long count = dataset(name).count();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(bytes * Math.max(1, count));
            check((int) lib.h5Read.invokeExact(h(), a.allocateFrom(name), type.ordinal(), out, count));
            return convert.apply(out.asSlice(0, bytes * count));
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    public float[] readFloats(String name) {
        return read(name, Type.F32, 4, s -> s.toArray(JAVA_FLOAT));
    }

    public double[] readDoubles(String name) {
        return read(name, Type.F64, 8, s -> s.toArray(JAVA_DOUBLE));
    }

    public long[] readLongs(String name) {
        return read(name, Type.I64, 8, s -> s.toArray(JAVA_LONG));
    }

    public byte[] readBytes(String name) {
        return read(name, Type.U8, 1, s -> s.toArray(JAVA_BYTE));
    }

    public boolean readBool(String name) {
        return read(name, Type.BOOL, 1, s -> s.get(JAVA_BYTE, 0) != 0);
    }

    /** Every string of a string dataset, in storage order. */
    public List<String> readStrings(String name) {
        Info i = dataset(name);
        long cap = Math.max(64, i.count() * (i.variableLengthString() ? 4096L : i.elementSize() + 1L));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(cap);
            long used = (long) lib.h5ReadStrings.invokeExact(h(), a.allocateFrom(name), buf, cap);
            if (used < 0) {
                throw new Hdf5Exception(path + ": " + lib.lastError());
            }
            return split(buf.asSlice(0, used).toArray(JAVA_BYTE), (byte) 0);
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    /** A single string (scalar or one-element dataset). */
    public String readString(String name) {
        List<String> s = readStrings(name);
        if (s.size() != 1) {
            throw new Hdf5Exception(path + ": '" + name + "' holds " + s.size() + " strings, not one");
        }
        return s.getFirst();
    }

    /** Names of a group's members, sorted by name. */
    public List<String> list(String group) {
        long cap = 1 << 16;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(cap);
            long used = (long) lib.h5List.invokeExact(h(), a.allocateFrom(group), buf, cap);
            if (used < 0) {
                throw new Hdf5Exception(path + ": " + lib.lastError());
            }
            return split(buf.asSlice(0, used).toArray(JAVA_BYTE), (byte) '\n');
        } catch (Throwable t) {
            throw EggrollNative.rethrow(t);
        }
    }

    private static List<String> split(byte[] b, byte sep) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == sep) {
                out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (handle >= 0) {
            long h = handle;
            handle = -1;
            try {
                check((int) lib.h5Close.invokeExact(h));
            } catch (Throwable t) {
                throw EggrollNative.rethrow(t);
            }
        }
    }

    /** An HDF5 operation failed; the message names the file and dataset. */
    public static final class Hdf5Exception extends RuntimeException {
        public Hdf5Exception(String message) {
            super(message);
        }
    }
}
