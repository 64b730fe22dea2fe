package io.eggroll.cluster;

import io.eggroll.train.schedule.ScheduleRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's shared secret, and the HMAC-SHA256 tags it puts on every task and result
 * (Hazelcast's open-source edition authenticates no member). The secret comes from a file
 * ({@code --cluster-secret-file}) or the {@value #ENV} environment variable, never from the command
 * line (where {@code ps} would show it). Without one the cluster runs unauthenticated, as before,
 * with one warning per process.
 */
public final class ClusterSecret {

    /** Environment variable holding the secret when no file is given. */
    public static final String ENV = "EGGROLL_CLUSTER_SECRET";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSecret.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final byte[] key;

    private ClusterSecret(byte[] key) {
        this.key = key;
    }

    /** No secret: messages carry no tag and every tag is accepted. */
    public static ClusterSecret none() {
        return new ClusterSecret(null);
    }

    /** A secret given as text (surrounding whitespace and a trailing newline are not part of it). */
    public static ClusterSecret of(String secret) {
        String s = secret.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the cluster secret is empty");
        }
        return new ClusterSecret(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The secret from {@code file} when given, else from {@value #ENV} in {@code env}, else none. */
    public static ClusterSecret load(Path file, Map<String, String> env) {
        if (file != null) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --cluster-secret-file " + file + ": " + e);
            }
            if (text.isBlank()) {
                throw new IllegalArgumentException("--cluster-secret-file " + file + " is empty");
            }
            return of(text);
        }
        String v = env.get(ENV);
        return v == null || v.isBlank() ? none() : of(v);
    }

    public boolean configured() {
        return key != null;
    }

    /** Logs, once per process, that the cluster is unauthenticated when no secret is configured. */
    void warnIfNone(String who) {
        if (key == null && WARNED.compareAndSet(false, true)) {
            LOG.warn("{}: no cluster secret (--cluster-secret-file or {}): the cluster is UNAUTHENTICATED; any "
                    + "process that knows the cluster name and reaches the ports can join it (docs/CLUSTER.md)", who, ENV);
        }
    }

    /** The tag of {@code body}, or null without a secret. */
    byte[] tag(Body body) {
        if (key == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(body.bytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable: " + e.getMessage(), e);
        }
    }

    /** Whether {@code tag} is {@code body}'s (always true without a secret); compared in constant time. */
    boolean valid(Body body, byte[] tag) {
        return key == null || (tag != null && MessageDigest.isEqual(tag(body), tag));
    }

    static Body body(int messageType) {
        return new Body().i(Wire.PROTOCOL_VERSION).i(messageType);
    }

    /** The fields of a message a tag covers, in a fixed order. */
    static final class Body {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(buf);

        Body s(String v) {
            return write(() -> {
                out.writeBoolean(v != null);
                if (v != null) {
                    byte[] b = v.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
            });
        }

        Body i(int v) {
            return write(() -> out.writeInt(v));
        }

        Body l(long v) {
            return write(() -> out.writeLong(v));
        }

        Body f(float[] v) {
            return write(() -> {
                out.writeInt(v == null ? -1 : v.length);
                for (int k = 0; v != null && k < v.length; k++) {
                    out.writeInt(Float.floatToRawIntBits(v[k]));
                }
            });
        }

        Body records(List<ScheduleRecord> records) {
            i(records == null ? -1 : records.size());
            for (ScheduleRecord r : records == null ? List.<ScheduleRecord>of() : records) {
                i(r.generation()).i(r.population()).i(r.rank()).f(new float[] {r.sigma(), r.learningRate()})
                        .l(r.optimizerStep()).i(r.effectivePopulation()).f(r.shapedFitness());
            }
            return this;
        }

        byte[] bytes() {
            return buf.toByteArray();
        }

        private interface Write {
            void run() throws IOException;
        }

        private Body write(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            }
            return this;
        }
    }
}
