package io.eggroll.loihi;

import io.eggroll.loihi.bridge.EggrollNative;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Native tests skip with the reason when libeggroll_native is missing, except under CI=true, where they fail. */
public final class NativeSupport {

    private NativeSupport() {}

    public static EggrollNative require() {
        Optional<String> why = EggrollNative.unavailableReason();
        if (why.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI=true and the native library is unavailable: " + why.get());
            }
            Assumptions.abort("native library unavailable: " + why.get());
        }
        return EggrollNative.get();
    }
}
