package io.eggroll.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/**
 * OpenCL tests skip with the reason when no OpenCL device is usable here, except in CI
 * ({@code CI=true}), where PoCL is installed and a missing device is a failure.
 */
final class OpenClTestSupport {

    private OpenClTestSupport() {}

    static void assumeOpenCl() {
        Optional<String> reason = ClDevices.unavailableReason();
        if (reason.isPresent()) {
            String msg = "OpenCL unavailable: " + reason.get();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg + " (CI=true: OpenCL tests must run; install pocl-opencl-icd)");
            }
            assumeTrue(false, msg);
        }
    }

    /** The device the tests use: {@code EGGROLL_TEST_OPENCL_DEVICE} if set, else the default choice. */
    static ClDevice device() {
        assumeOpenCl();
        return ClDevices.select(System.getenv("EGGROLL_TEST_OPENCL_DEVICE"));
    }
}
